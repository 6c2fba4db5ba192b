//go:build unix

package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// tree makes root/col with a file, a folder and a secret outside col, and returns col.
func tree(tb testing.TB) (root, col string) {
	tb.Helper()
	root = tb.TempDir()
	col = filepath.Join(root, "col")
	for _, d := range []string{"col/sub/deep", "col/other"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	for rel, body := range map[string]string{"col/sub/a.txt": "inside", "secret.p8": "SECRET-MARKER"} {
		if err := os.WriteFile(filepath.Join(root, rel), []byte(body), 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return root, col
}

func TestReadFile(t *testing.T) {
	tests := []struct {
		name   string
		make   func(tb testing.TB, root, col string) // makes col/x
		want   string
		reason Reason
	}{
		{"regular file", func(tb testing.TB, root, col string) { write(tb, filepath.Join(col, "x"), "plain") }, "plain", ""},
		{"link inside, relative", func(tb testing.TB, root, col string) { link(tb, "sub/a.txt", filepath.Join(col, "x")) }, "inside", ""},
		{"link inside, absolute", func(tb testing.TB, root, col string) {
			link(tb, filepath.Join(col, "sub/a.txt"), filepath.Join(col, "x"))
		}, "inside", ""},
		{"link outside, relative", func(tb testing.TB, root, col string) { link(tb, "../secret.p8", filepath.Join(col, "x")) }, "", LinkOutside},
		{"link outside, absolute", func(tb testing.TB, root, col string) {
			link(tb, filepath.Join(root, "secret.p8"), filepath.Join(col, "x"))
		}, "", LinkOutside},
		{"link through a link outside", func(tb testing.TB, root, col string) {
			link(tb, "../secret.p8", filepath.Join(col, "y"))
			link(tb, "y", filepath.Join(col, "x"))
		}, "", LinkOutside},
		{"link loop", func(tb testing.TB, root, col string) {
			link(tb, "y", filepath.Join(col, "x"))
			link(tb, "x", filepath.Join(col, "y"))
		}, "", LinkLoop},
		{"link to itself", func(tb testing.TB, root, col string) { link(tb, "x", filepath.Join(col, "x")) }, "", LinkLoop},
		{"dangling link", func(tb testing.TB, root, col string) { link(tb, "nothing.txt", filepath.Join(col, "x")) }, "", LinkDangling},
		{"FIFO", func(tb testing.TB, root, col string) { fifo(tb, filepath.Join(col, "x")) }, "", Special},
		{"link to a FIFO inside", func(tb testing.TB, root, col string) {
			fifo(tb, filepath.Join(col, "sub/f"))
			link(tb, "sub/f", filepath.Join(col, "x"))
		}, "", Special},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, col := tree(t)
			tt.make(t, root, col)
			got, err := readWithin(t, col, "x")
			if tt.reason == "" {
				if err != nil || string(got) != tt.want {
					t.Fatalf("ReadFile = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			e, ok := IsRefused(err)
			if !ok || e.Reason != tt.reason || e.Path != "x" {
				t.Fatalf("ReadFile = %q, %v; want a refusal %q of x", got, err, tt.reason)
			}
			if len(got) != 0 {
				t.Errorf("read %q from a refused file", got)
			}
		})
	}
}

// readWithin reads with a deadline, so a blocking open fails the test instead of hanging it.
func readWithin(tb testing.TB, col, name string) ([]byte, error) {
	tb.Helper()
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := ReadFile(col, name)
		ch <- result{b, err}
	}()
	select {
	case r := <-ch:
		return r.b, r.err
	case <-time.After(10 * time.Second):
		tb.Fatal("ReadFile blocked")
		return nil, nil
	}
}

func TestCheckFolders(t *testing.T) {
	tests := []struct {
		name, target, at string
		reason           Reason
	}{
		{"folder inside", "../other", "sub/l", ""},
		{"the root", "..", "sub/l", LinkParent},
		{"its own folder", ".", "sub/l", LinkParent},
		{"a folder above", "../..", "sub/deep/l", LinkParent},
		{"a folder outside", "../..", "sub/l", LinkOutside},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, col := tree(t)
			link(t, tt.target, filepath.Join(col, filepath.FromSlash(tt.at)))
			c, err := Check(col, tt.at)
			if tt.reason == "" {
				if err != nil || !c.Info.IsDir() || !c.Link {
					t.Fatalf("Check = %+v, %v; want a folder through a link", c, err)
				}
				return
			}
			if e, ok := IsRefused(err); !ok || e.Reason != tt.reason {
				t.Fatalf("Check = %+v, %v; want %q", c, err, tt.reason)
			}
		})
	}
}

// TestOpenCatchesSwap replaces a checked file between Open's check and its open, by a link
// to a secret, a FIFO or another file, which Open must refuse without blocking.
func TestOpenCatchesSwap(t *testing.T) {
	tests := []struct {
		name   string
		swap   func(tb testing.TB, root, p string)
		reason Reason
	}{
		{"link to a secret", func(tb testing.TB, root, p string) { link(tb, filepath.Join(root, "secret.p8"), p) }, Changed},
		{"FIFO", func(tb testing.TB, root, p string) { fifo(tb, p) }, Special},
		{"another file", func(tb testing.TB, root, p string) {
			// Renamed over p: the old inode stays alive (held by keep), so the new one differs.
			write(tb, p+".new", "other")
			if err := os.Rename(p+".new", p); err != nil {
				tb.Fatal(err)
			}
		}, Changed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, col := tree(t)
			p := filepath.Join(col, "x")
			write(t, p, "plain")
			keep, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer keep.Close()
			afterCheck = func(string) {
				if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
					t.Fatal(err)
				}
				tt.swap(t, root, p)
			}
			defer func() { afterCheck = nil }()
			got, err := readWithin(t, col, "x")
			if e, ok := IsRefused(err); !ok || e.Reason != tt.reason {
				t.Fatalf("ReadFile = %q, %v; want %q", got, err, tt.reason)
			}
		})
	}
}

func TestReadRegularRefusesLinks(t *testing.T) {
	root, col := tree(t)
	link(t, filepath.Join(root, "secret.p8"), filepath.Join(col, "app.toml"))
	if _, err := ReadRegular(filepath.Join(col, "app.toml")); err == nil {
		t.Fatal("ReadRegular followed a link out of its folder")
	}
	_, err := ReadRegular(filepath.Join(col, "missing"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadRegular(missing) = %v; want ErrNotExist", err)
	}
}

func write(tb testing.TB, p, body string) {
	tb.Helper()
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func link(tb testing.TB, target, at string) {
	tb.Helper()
	if err := os.Symlink(target, at); err != nil {
		tb.Fatal(err)
	}
}

func fifo(tb testing.TB, p string) {
	tb.Helper()
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// TestReadFileFolderOnTheWay refuses a file reached through a folder link that leaves root,
// as when a listed folder is swapped for a link before a read.
func TestReadFileFolderOnTheWay(t *testing.T) {
	root, col := tree(t)
	if err := os.MkdirAll(filepath.Join(root, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "out", "a.txt"), "SECRET-MARKER")
	link(t, filepath.Join(root, "out"), filepath.Join(col, "d"))
	got, err := readWithin(t, col, filepath.Join(col, "d", "a.txt"))
	if e, ok := IsRefused(err); !ok || e.Reason != LinkOutside {
		t.Fatalf("ReadFile = %q, %v; want link outside", got, err)
	}
}

func TestCheckWrite(t *testing.T) {
	root, col := tree(t)
	link(t, filepath.Join(root), filepath.Join(col, "out"))
	link(t, "other", filepath.Join(col, "in"))
	tests := []struct {
		name, path string
		refused    bool
	}{
		{"new folders inside", filepath.Join(col, "new/deeper"), false},
		{"existing folder", filepath.Join(col, "sub/deep"), false},
		{"through a link inside", filepath.Join(col, "in/new"), false},
		{"through a link out", filepath.Join(col, "out/new/deeper"), true},
		{"the link out itself", filepath.Join(col, "out"), true},
	}
	for _, tt := range tests {
		err := CheckWrite(col, tt.path)
		if _, refused := IsRefused(err); refused != tt.refused || (!tt.refused && err != nil) {
			t.Errorf("%s: CheckWrite = %v; refused want %v", tt.name, err, tt.refused)
		}
	}
}
