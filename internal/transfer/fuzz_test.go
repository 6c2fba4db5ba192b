package transfer

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzImportZip feeds arbitrary bytes to Import as a ZIP. It must never panic, and nothing may
// appear outside the destination: the parent folder holds only the collection afterwards.
func FuzzImportZip(f *testing.F) {
	f.Add(zipBytes(f, map[string][]byte{"keyword/en-US.txt": []byte("a,b")}))
	f.Add(zipBytes(f, map[string][]byte{"metadata/en-US/name.txt": []byte("App"), "screenshots/en-US/0_APP_IPHONE_67_0.png": pngOf(f, 4, 4, 1)}))
	f.Add(rawZip(f, rawEntry{name: "../evil.txt", data: []byte("x")}))
	f.Add(rawZip(f, rawEntry{name: "keyword/en-US.txt", data: []byte("/etc"), mode: os.ModeSymlink | 0o777}))
	f.Add([]byte("PK\x03\x04 not really a zip"))
	f.Fuzz(func(t *testing.T, data []byte) {
		root := t.TempDir()
		src := filepath.Join(root, "in.zip")
		if err := os.WriteFile(src, data, 0o644); err != nil {
			t.Fatal(err)
		}
		parent := filepath.Join(root, "parent")
		if err := os.Mkdir(parent, 0o755); err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(parent, "main")
		_, err := Import(src, dst, ImportOptions{Limits: Limits{MaxTotalBytes: 64 << 20}})
		entries, _ := os.ReadDir(parent)
		for _, e := range entries {
			if e.Name() != "main" {
				t.Fatalf("import left %s outside the collection", e.Name())
			}
		}
		if err != nil && len(entries) > 0 {
			t.Fatalf("failed import (%v) still created the collection", err)
		}
		// Everything inside is a plain file or folder, under dst.
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				t.Fatalf("import created a symbolic link %s", p)
			}
			if p != root && p != src && p != parent && !strings.HasPrefix(p, dst) {
				t.Fatalf("import wrote %s outside %s", p, dst)
			}
			return nil
		})
	})
}
