package collection

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
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
		jobs = append(jobs, func() { checkText(s.root, it) })
	}
	for _, set := range s.sets {
		for _, f := range set.files {
			jobs = append(jobs, func() { s.checkMedia(set, f, hash, cache) })
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

// checkMedia opens one media file, checks it and, with hash set, records its MD5.
func (s *scan) checkMedia(set *setItem, f *fileItem, hash bool, cache FileCache) {
	unreadable := CodeImageUnreadable
	if set.kind == Previews {
		unreadable = CodePreviewUnreadable
	}
	fail := func(err error) {
		f.problems = append(f.problems, Problem{Path: f.rel, Code: unreadable, Severity: SeverityError, Message: fmt.Sprintf("cannot read: %v", unwrapPath(err))})
	}
	abs := filepath.Join(s.root, filepath.FromSlash(f.rel))
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
	f.size, f.modTime = fi.Size(), fi.ModTime().UnixNano()
	var facts FileFacts
	if cache != nil {
		facts, _ = cache.Get(abs, f.size, fi.ModTime())
	}
	known := facts
	if set.kind == Screenshots {
		f.problems = append(f.problems, checkImage(file, f.size, f.rel, f.ext, set.check, &facts)...)
	} else {
		f.problems = append(f.problems, checkVideo(file, f.size, f.rel, set.check)...)
	}
	if hash && facts.MD5 == "" {
		h := md5.New()
		if _, err := io.Copy(h, io.NewSectionReader(file, 0, f.size)); err != nil {
			fail(err)
			return
		}
		facts.MD5 = hex.EncodeToString(h.Sum(nil))
	}
	f.md5 = facts.MD5
	if cache != nil && facts != known {
		cache.Put(abs, f.size, fi.ModTime(), facts)
	}
}

// allProblems gathers every problem of the walk and the checks, each once, sorted.
func (s *scan) allProblems() []Problem {
	out := append([]Problem{}, s.problems...)
	for _, it := range s.texts {
		out = append(out, it.problems...)
	}
	for _, set := range s.sets {
		out = append(out, set.own...)
		for _, f := range set.files {
			out = append(out, f.problems...)
		}
	}
	sortProblems(out)
	return out
}
