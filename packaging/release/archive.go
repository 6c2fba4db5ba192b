package release

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"time"
)

// writeArchive writes a .tar.gz holding the binary and the config's archive files under one
// top folder-less layout (storesyncer, man/, completions/, …). It is reproducible: entries
// are sorted, owned by root and dated mtime.
func writeArchive(dst string, c *Config, s sources, mtime time.Time) error {
	type entry struct{ src, name string }
	entries := []entry{{s.binary, c.Name}}
	for _, f := range c.Archive {
		src := s.path(f.Src)
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			r, err := filepath.Rel(src, p)
			if err != nil {
				return err
			}
			entries = append(entries, entry{p, path.Join(f.Dst, filepath.ToSlash(r))})
			return nil
		})
		if err != nil {
			return fmt.Errorf("archive %s: %w", f.Src, err)
		}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		switch {
		case a.name < b.name:
			return -1
		case a.name > b.name:
			return 1
		}
		return 0
	})
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	gz, err := gzip.NewWriterLevel(out, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		if err := addFile(tw, e.src, e.name, mtime); err != nil {
			return fmt.Errorf("archive %s: %w", e.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return out.Close()
}

func addFile(tw *tar.Writer, src, name string, mtime time.Time) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	mode := int64(0o644)
	if fi.Mode().Perm()&0o111 != 0 {
		mode = 0o755
	}
	hdr := &tar.Header{
		Name: name, Mode: mode, Size: fi.Size(), ModTime: mtime.UTC(), Typeflag: tar.TypeReg,
		Uname: "root", Gname: "root", Format: tar.FormatPAX,
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}
