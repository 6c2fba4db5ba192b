package state

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFileHashes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	root := filepath.Join(dir, "ws", "main")
	a := FileHash{Path: filepath.Join(root, "screenshot", "1.png"), Size: 10, ModTimeNS: 1, ChangeTimeNS: 2, Inode: 1 << 63, MD5: "aa", Facts: `{"probed":true}`}
	b := FileHash{Path: filepath.Join(root, "screenshot", "2.png"), Size: 20, ModTimeNS: 3, ChangeTimeNS: 4, Inode: 7, MD5: "bb", Facts: "{}"}
	// A sibling folder whose name starts like root's is not under root.
	other := FileHash{Path: filepath.Join(dir, "ws", "main2", "1.png"), Size: 1, MD5: "cc", Facts: "{}"}
	s := openStore(t, dir, newClock())
	if err := s.SaveFileHashes(ctx, []FileHash{a, b, other}, nil); err != nil {
		t.Fatal(err)
	}
	b.MD5, b.Size = "b2", 21
	if err := s.SaveFileHashes(ctx, []FileHash{b}, []string{a.Path}); err != nil {
		t.Fatal(err)
	}
	got, err := s.FileHashes(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]FileHash{b.Path: b}, got); diff != "" {
		t.Errorf("FileHashes (-want +got):\n%s", diff)
	}
	// Dropping root (a deleted collection) leaves the sibling's entry.
	main2 := filepath.Join(dir, "ws", "main2")
	if err := s.SaveFileHashes(ctx, []FileHash{a}, nil); err != nil {
		t.Fatal(err)
	}
	if n, err := s.DropFileHashesUnder(ctx, root+string(filepath.Separator)); err != nil || n != 2 {
		t.Errorf("DropFileHashesUnder = %d, %v; want 2", n, err)
	}
	if got, _ := s.FileHashes(ctx, root); len(got) != 0 {
		t.Errorf("%d entries under root after the drop", len(got))
	}
	if got, _ := s.FileHashes(ctx, main2); len(got) != 1 {
		t.Errorf("%d entries of the sibling folder after the drop, want 1", len(got))
	}
	s.Close()

	// The entries survive a restart, and a read-only store reads them but writes none.
	ro := openReadOnly(t, dir)
	if got, err := ro.FileHashes(ctx, main2); err != nil || len(got) != 1 || got[other.Path].MD5 != "cc" {
		t.Errorf("FileHashes after reopen = %v, %v", got, err)
	}
	if err := ro.SaveFileHashes(ctx, []FileHash{a}, nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SaveFileHashes read-only = %v, want ErrReadOnly", err)
	}
	if _, err := ro.DropFileHashesUnder(ctx, main2); !errors.Is(err, ErrReadOnly) {
		t.Errorf("DropFileHashesUnder read-only = %v, want ErrReadOnly", err)
	}
}
