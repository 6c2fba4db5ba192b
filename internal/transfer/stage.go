package transfer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/safefile"
)

// stage holds an import's files in a temporary folder beside the destination (same file
// system, so moving them in is a rename) until commit.
type stage struct {
	dst    string
	dir    string // the temporary folder; new/ holds staged files, old/ what they replace
	limits Limits
	// rels are the paths (relative to dst) to move into place, in order.
	rels []string
	keep bool // set when a rollback failed: old/ still holds the user's files
}

func newStage(dst string, limits Limits) (*stage, error) {
	parent := filepath.Dir(dst)
	dir, err := os.MkdirTemp(parent, ".storesyncer-import-")
	if err != nil {
		return nil, fmt.Errorf("stage import beside %s: %w", dst, err)
	}
	return &stage{dst: dst, dir: dir, limits: limits}, nil
}

func (s *stage) cleanup() {
	if !s.keep {
		os.RemoveAll(s.dir)
	}
}

func (s *stage) newPath(rel string) string { return filepath.Join(s.dir, "new", rel) }
func (s *stage) oldPath(rel string) string { return filepath.Join(s.dir, "old", rel) }

// stagePlan copies everything plan holds into the stage, counting it in rep.
func (s *stage) stagePlan(plan *importPlan, allowEmpty bool, rep *Report) error {
	for _, t := range plan.texts {
		b, err := readLimited(t.file, s.limits.MaxTextBytes)
		if err != nil {
			return err
		}
		if txt, err := collection.NormalizeText(b); err == nil && txt == "" && !allowEmpty {
			rep.Skipped++
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s: empty; skipped (empty means not managed; --allow-empty imports it)", t.file.path))
			continue
		}
		if err := writeNew(s.newPath(t.rel()), b); err != nil {
			return err
		}
		s.rels = append(s.rels, t.rel())
		rep.Texts++
	}
	for _, set := range plan.sets {
		if len(set.files) == 0 && !allowEmpty {
			// Counted, not warned about: a template's untouched folders are all empty.
			rep.Skipped++
			continue
		}
		dir := s.newPath(set.rel())
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("stage %s: %w", set.rel(), err)
		}
		for _, mf := range set.files {
			if err := copyNew(filepath.Join(dir, mf.name), mf.file); err != nil {
				return err
			}
			if set.kind == collection.PreviewDir {
				rep.Videos++
			} else {
				rep.Images++
			}
		}
		s.rels = append(s.rels, set.rel())
		rep.Sets++
	}
	return nil
}

func writeNew(p string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("stage %s: %w", p, err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return fmt.Errorf("stage %s: %w", p, err)
	}
	return nil
}

// copyNew copies f to p. Readers from a ZIP stop at the entry's declared size.
func copyNew(p string, f srcFile) error {
	rc, err := f.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("stage %s: %w", f.path, err)
	}
	if _, err := io.Copy(out, rc); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", f.path, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("copy %s: %w", f.path, err)
	}
	return nil
}

// undo is one step of a commit and how to take it back.
type undo func() error

// commit moves the staged files into dst. Each step moves what it replaces into old/ first;
// when a step fails, the steps done so far are undone in reverse order.
func (s *stage) commit(rename renameFunc) error {
	sort.Strings(s.rels)
	var done []undo
	rollback := func(cause error) error {
		var errs []error
		for i := len(done) - 1; i >= 0; i-- {
			if err := done[i](); err != nil {
				errs = append(errs, err)
			}
		}
		if len(errs) > 0 {
			s.keep = true
			return fmt.Errorf("%w; %w (the replaced files are kept in %s): %w", cause, errRollback, s.dir, errors.Join(errs...))
		}
		return cause
	}
	mkdirs := func(dir string) error {
		var missing []string
		for d := dir; ; d = filepath.Dir(d) {
			if _, err := os.Lstat(d); err == nil {
				break
			}
			missing = append(missing, d)
			if d == filepath.Dir(d) {
				break
			}
		}
		for i := len(missing) - 1; i >= 0; i-- {
			d := missing[i]
			if err := os.Mkdir(d, 0o755); err != nil {
				return fmt.Errorf("create %s: %w", d, err)
			}
			done = append(done, func() error { return os.Remove(d) })
		}
		return nil
	}
	if err := mkdirs(s.dst); err != nil {
		return rollback(err)
	}
	for _, rel := range s.rels {
		target := filepath.Join(s.dst, rel)
		if err := safefile.CheckWrite(s.dst, filepath.Dir(target)); err != nil { // never through a link out of the collection
			return rollback(fmt.Errorf("import into %s: %w", rel, err))
		}
		if err := mkdirs(filepath.Dir(target)); err != nil {
			return rollback(err)
		}
		if _, err := os.Lstat(target); err == nil {
			old := s.oldPath(rel)
			if err := os.MkdirAll(filepath.Dir(old), 0o755); err != nil {
				return rollback(fmt.Errorf("set aside %s: %w", target, err))
			}
			if err := rename(target, old); err != nil {
				return rollback(fmt.Errorf("set aside %s: %w", target, err))
			}
			done = append(done, func() error { return os.Rename(old, target) })
		}
		staged := s.newPath(rel)
		if err := rename(staged, target); err != nil {
			return rollback(fmt.Errorf("move %s into place: %w", rel, err))
		}
		done = append(done, func() error { return os.Rename(target, staged) })
	}
	return nil
}
