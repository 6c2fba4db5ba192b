package transfer

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
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

// openDirSource lists the regular files under root. Symbolic links are not followed.
func openDirSource(root string) (*source, error) {
	s := &source{dirs: map[string]bool{}, close: func() error { return nil }}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if ignoredPath(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
			s.dirs[rel] = true
		case d.Type()&fs.ModeSymlink != 0:
			s.warnings = append(s.warnings, fmt.Sprintf("%s: symbolic link not followed; skipped", rel))
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			s.files = append(s.files, srcFile{path: rel, size: info.Size(), open: func() (io.ReadCloser, error) { return os.Open(p) }})
		default:
			s.warnings = append(s.warnings, fmt.Sprintf("%s: not a regular file; skipped", rel))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read import folder %s: %w", root, err)
	}
	s.sortFiles()
	return s, nil
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
