package transfer

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/storesyncer/storesyncer/internal/safefile"
)

// zipTime is the modification time of every entry StoreSyncer writes, so the same content
// always gives the same bytes.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// storedExts are already compressed; deflating them again costs time and saves nothing.
var storedExts = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".mp4": true, ".mov": true, ".m4v": true}

// outEntry is one file of an export or template: its slash path and its content, either in
// memory or in a file on disk.
type outEntry struct {
	name string
	data []byte
	abs  string
}

func (e outEntry) open() (io.ReadCloser, error) {
	if e.abs == "" {
		return io.NopCloser(strings.NewReader(string(e.data))), nil
	}
	f, _, err := safefile.Open(filepath.Dir(e.abs), filepath.Base(e.abs)) // a link swapped in is not exported
	return f, err
}

// writeZip writes files and folders (names ending in "/") deterministically: sorted, with a
// fixed time and permissions, every folder of every file listed, and Store or Deflate fixed by
// extension.
func writeZip(w io.Writer, files []outEntry, dirs []string) error {
	all := map[string]*outEntry{}
	for _, d := range dirs {
		for d = strings.TrimSuffix(d, "/"); d != "."; d = path.Dir(d) {
			all[d+"/"] = nil
		}
	}
	for i := range files {
		all[files[i].name] = &files[i]
		for d := path.Dir(files[i].name); d != "."; d = path.Dir(d) {
			all[d+"/"] = nil
		}
	}
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	zw := zip.NewWriter(w)
	for _, n := range names {
		h := &zip.FileHeader{Name: n, Modified: zipTime}
		e := all[n]
		if e == nil {
			h.SetMode(0o755 | os.ModeDir)
			if _, err := zw.CreateHeader(h); err != nil {
				return fmt.Errorf("write zip folder %s: %w", n, err)
			}
			continue
		}
		h.SetMode(0o644)
		h.Method = zip.Deflate
		if storedExts[extOf(n)] {
			h.Method = zip.Store
		}
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("write zip entry %s: %w", n, err)
		}
		rc, err := e.open()
		if err != nil {
			return err
		}
		_, err = io.Copy(fw, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("write zip entry %s: %w", n, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("finish zip: %w", err)
	}
	return nil
}
