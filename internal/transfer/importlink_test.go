//go:build unix

package transfer

import (
	"os"
	"path/filepath"
	"testing"
)

// TestImportNeverWritesThroughALinkOut imports into a collection whose promotionalText folder
// is a link to a folder outside it: the import fails naming the folder, and nothing is
// written or set aside there.
func TestImportNeverWritesThroughALinkOut(t *testing.T) {
	parent := t.TempDir()
	dst := filepath.Join(parent, "main")
	outside := filepath.Join(parent, "outside")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "en-US.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dst, "promotionalText")); err != nil {
		t.Fatal(err)
	}
	src := writeFile(t, "t.zip", zipBytes(t, map[string][]byte{"promotionalText/en-US.txt": []byte("Ho ho ho")}))
	if _, err := Import(src, dst, ImportOptions{}); err == nil {
		t.Error("import through a link out of the collection succeeded")
	}
	got, err := os.ReadFile(filepath.Join(outside, "en-US.txt"))
	if err != nil || string(got) != "mine" {
		t.Errorf("the outside file is now %q, %v", got, err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 1 {
		t.Errorf("outside holds %d entries", len(entries))
	}
}
