package collection

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/storesyncer/storesyncer/internal/safefile"
)

// check reads every file the walk found and applies its rules, in parallel over GOMAXPROCS
// goroutines. With hash set it also computes each media file's MD5. cache may be nil.
func (s *scan) check(hash bool, cache FileCache) {
	var jobs []func()
	for _, it := range s.texts {
		if !it.done {
			jobs = append(jobs, func() { checkText(s.root, it) })
		}
	}
	for _, set := range s.sets {
		for _, f := range set.files {
			if !f.done {
				jobs = append(jobs, func() { s.checkMedia(set, f, hash, cache) })
			}
		}
	}
	parallel(jobs)
}

// parallel runs jobs on up to GOMAXPROCS goroutines and returns when all are done.
func parallel(jobs []func()) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) {
					return
				}
				jobs[i]()
			}
		})
	}
	wg.Wait()
}

// checkMedia checks one media file and, with hash set, records its MD5. With a cache, a
// regular file whose Lstat matches its entry is not opened: its facts come from the cache (an
// entry is only ever made from a file safefile opened). Any other file is opened through
// safefile.
func (s *scan) checkMedia(set *setItem, f *fileItem, hash bool, cache FileCache) {
	unreadable := CodeImageUnreadable
	if set.kind == Previews {
		unreadable = CodePreviewUnreadable
	}
	fail := func(err error) {
		f.problems = append(f.problems, Problem{Path: f.rel, Code: unreadable, Severity: SeverityError, Message: fmt.Sprintf("cannot read: %v", unwrapPath(err))})
	}
	abs := filepath.Join(s.root, filepath.FromSlash(f.rel))
	var facts, known FileFacts
	var st FileStat
	if cache != nil {
		// A link's own stat says nothing of its target: a link is read afresh.
		if li, err := os.Lstat(abs); err == nil && li.Mode().IsRegular() {
			st = StatOf(li)
			facts, _ = cache.Get(abs, st)
			known = facts
		} else {
			cache = nil
		}
	}
	if !facts.Probed || (hash && facts.MD5 == "") {
		file, fi, err := safefile.Open(s.root, f.rel)
		if err != nil {
			if p, ok := refusedProblem(f.rel, err); ok {
				f.problems = append(f.problems, p)
				return
			}
			fail(err)
			return
		}
		defer file.Close()
		if opened := StatOf(fi); opened != st { // changed since the Lstat
			st, facts = opened, FileFacts{}
		}
		if err := readMedia(file, st.Size, set.kind, hash, &facts); err != nil {
			fail(err)
			return
		}
	}
	f.size, f.modTime = st.Size, st.ModTime
	if set.kind == Screenshots {
		f.problems = append(f.problems, checkImage(facts, f.size, f.rel, f.ext, set.check)...)
	} else {
		f.problems = append(f.problems, checkVideo(facts, f.size, f.rel, set.check)...)
	}
	f.md5 = facts.MD5
	if cache != nil && facts != known {
		cache.Put(abs, st, facts)
	}
}

// readMedia fills in what facts lack from the open media file r of size bytes: the header
// facts and, with hash set, the MD5.
func readMedia(r io.ReaderAt, size int64, kind MediaKind, hash bool, facts *FileFacts) error {
	if !facts.Probed {
		switch kind {
		case Screenshots:
			if err := probeImage(r, size, facts); err != nil {
				return err
			}
		default:
			probeVideo(r, size, facts)
		}
	}
	if hash && facts.MD5 == "" {
		h := md5.New()
		if _, err := io.Copy(h, io.NewSectionReader(r, 0, size)); err != nil {
			return err
		}
		facts.MD5 = hex.EncodeToString(h.Sum(nil))
	}
	return nil
}

// allProblems gathers every problem of the walk and the checks, each once, sorted.
func (s *scan) allProblems() []Problem {
	out := append([]Problem{}, s.problems...)
	for _, it := range s.texts {
		out = append(out, it.problems...)
	}
	for _, set := range s.sets {
		out = append(out, set.own...)
		out = append(out, set.alias...)
		for _, f := range set.files {
			out = append(out, f.problems...)
		}
	}
	sortProblems(out)
	return out
}
