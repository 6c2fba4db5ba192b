package transfer

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/safefile"
)

// srcFile is one regular file of an import source.
type srcFile struct {
	// path is slash-separated and relative to the source root.
	path string
	// size is the size the source declares (a ZIP header may lie; opened readers enforce it).
	size int64
	open func() (io.ReadCloser, error)
}

// source is an import source flattened to its files and folders, litter removed.
type source struct {
	files    []srcFile
	dirs     map[string]bool // every folder, explicit or implied by a file's path
	warnings []string
	rejected []Rejected
	close    func() error
}

// openSource opens src, a ZIP file or a folder.
func openSource(src string, limits Limits) (*source, error) {
	fi, err := os.Stat(src)
	if err != nil {
		return nil, fmt.Errorf("open import source: %w", err)
	}
	if fi.IsDir() {
		return openDirSource(src)
	}
	return openZipSource(src, limits)
}

// openDirSource lists the regular files under root. A symbolic link is followed when its
// target stays inside root (a release_notes.txt in every locale pointing at one shared file);
// a link that leaves root, dangles or loops is not followed and is rejected by path.
func openDirSource(root string) (*source, error) {
	s := &source{dirs: map[string]bool{}, close: func() error { return nil }}
	realRoot, err := filepath.EvalSymlinks(root)
	if err == nil {
		realRoot, err = filepath.Abs(realRoot)
	}
	if err != nil {
		return nil, fmt.Errorf("read import folder %s: %w", root, err)
	}
	if err := s.walkDir(root, realRoot, realRoot, "", []string{realRoot}); err != nil {
		return nil, fmt.Errorf("read import folder %s: %w", root, err)
	}
	s.sortFiles()
	return s, nil
}

// walkDir lists the folder dirReal (rel inside the source; chain holds the real paths of the
// folders being walked, to catch a link back to one of them).
func (s *source) walkDir(root, realRoot, dirReal, rel string, chain []string) error {
	entries, err := os.ReadDir(dirReal)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if ignoredPath(name) {
			continue
		}
		r := path.Join(rel, name)
		p := filepath.Join(dirReal, name)
		typ := e.Type()
		if typ&fs.ModeSymlink != 0 {
			link, _ := os.Readlink(p)
			real, err := filepath.EvalSymlinks(p)
			if err != nil {
				s.reject(r, fmt.Sprintf("symbolic link to %s, which does not exist; not followed (point it at a file inside %s or replace it with the file)", link, root))
				continue
			}
			if !within(realRoot, real) {
				s.reject(r, fmt.Sprintf("symbolic link to %s, outside %s; not followed (copy the file into the folder you import)", link, root))
				continue
			}
			fi, err := os.Stat(real)
			if err != nil {
				return err
			}
			p, typ = real, fi.Mode().Type()
		}
		switch {
		case typ.IsDir():
			if slices.Contains(chain, p) {
				s.reject(r, "symbolic link to a folder that holds it (a loop); not followed")
				continue
			}
			s.dirs[r] = true
			if err := s.walkDir(root, realRoot, p, r, append(slices.Clip(chain), p)); err != nil {
				return err
			}
		case typ.IsRegular():
			fi, err := os.Stat(p)
			if err != nil {
				return err
			}
			s.files = append(s.files, srcFile{path: r, size: fi.Size(), open: func() (io.ReadCloser, error) {
				f, _, err := safefile.Open(realRoot, p) // a link or FIFO swapped in since the listing is refused, never blocks
				return f, err
			}})
		default:
			s.warnings = append(s.warnings, fmt.Sprintf("%s: not a regular file; skipped", r))
		}
	}
	return nil
}

// within reports whether the real path p is root or inside it.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// reject records a file or folder of the source that is not imported, and why.
func (s *source) reject(p, reason string) {
	s.rejected = append(s.rejected, Rejected{Path: p, Reason: reason})
}

func (s *source) sortFiles() {
	sort.Slice(s.files, func(i, j int) bool { return s.files[i].path < s.files[j].path })
	for _, f := range s.files {
		for d := path.Dir(f.path); d != "."; d = path.Dir(d) {
			s.dirs[d] = true
		}
	}
	for explicit := range s.dirs {
		for d := path.Dir(explicit); d != "."; d = path.Dir(d) {
			s.dirs[d] = true
		}
	}
}

// ignoredPath reports whether any component of a slash path is litter or a dot name.
func ignoredPath(p string) bool {
	for _, c := range strings.Split(p, "/") {
		if c == "__MACOSX" || (c != "" && collection.IsIgnored(c)) {
			return true
		}
	}
	return false
}

// rebase returns s seen from its sub-folder prefix (no trailing slash); files outside it drop.
func (s *source) rebase(prefix string) {
	pre := prefix + "/"
	var files []srcFile
	for _, f := range s.files {
		if strings.HasPrefix(f.path, pre) {
			f.path = strings.TrimPrefix(f.path, pre)
			files = append(files, f)
		}
	}
	dirs := map[string]bool{}
	for d := range s.dirs {
		if strings.HasPrefix(d, pre) {
			dirs[strings.TrimPrefix(d, pre)] = true
		}
	}
	s.files, s.dirs = files, dirs
}

// children returns the names directly inside folder dir ("" is the root): files and folders.
func (s *source) children(dir string) (files, dirs []string) {
	seenF, seenD := map[string]bool{}, map[string]bool{}
	under := func(p string) (string, bool) {
		if dir == "" {
			return p, true
		}
		if strings.HasPrefix(p, dir+"/") {
			return p[len(dir)+1:], true
		}
		return "", false
	}
	for _, f := range s.files {
		if rest, ok := under(f.path); ok && !strings.Contains(rest, "/") && !seenF[rest] {
			seenF[rest] = true
			files = append(files, rest)
		}
	}
	for d := range s.dirs {
		if rest, ok := under(d); ok && rest != "" && !strings.Contains(rest, "/") && !seenD[rest] {
			seenD[rest] = true
			dirs = append(dirs, rest)
		}
	}
	sort.Strings(files)
	sort.Strings(dirs)
	return files, dirs
}

// file returns the file at p.
func (s *source) file(p string) (srcFile, bool) {
	i := sort.Search(len(s.files), func(i int) bool { return s.files[i].path >= p })
	if i < len(s.files) && s.files[i].path == p {
		return s.files[i], true
	}
	return srcFile{}, false
}
