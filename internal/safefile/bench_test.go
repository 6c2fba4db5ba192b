package safefile

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// benchFiles writes n small files three folders deep, as a collection's screenshots are.
func benchFiles(b *testing.B, n int) (root string, rels []string) {
	b.Helper()
	root = b.TempDir()
	for i := range n {
		rel := fmt.Sprintf("screenshot/l%d/APP_IPHONE_67/%d.png", i%40, i)
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			b.Fatal(err)
		}
		rels = append(rels, rel)
	}
	return root, rels
}

// BenchmarkOpen compares Open (check, open without following or blocking, fstat, compare)
// with the plain os.Open and Stat it replaced, on the same 1,200 files.
func BenchmarkOpen(b *testing.B) {
	root, rels := benchFiles(b, 1200)
	b.Run("os.Open", func(b *testing.B) {
		for b.Loop() {
			for _, rel := range rels {
				f, err := os.Open(filepath.Join(root, rel))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := f.Stat(); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		}
	})
	b.Run("safefile.Open", func(b *testing.B) {
		for b.Loop() {
			for _, rel := range rels {
				f, _, err := Open(root, rel)
				if err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		}
	})
}
