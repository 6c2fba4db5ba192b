//go:build unix

package state

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestOpenMakesStatePrivate opens a state dir pre-created 0755 under a permissive umask: the
// dir is narrowed to 0700 with a warning, and state.db, its WAL and SHM are 0600 after a write.
func TestOpenMakesStatePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	st, err := Open(dir, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetSetting(context.Background(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "narrowed") {
		t.Errorf("no warning about the wide state dir: %s", logs.String())
	}
	want := map[string]os.FileMode{".": 0o700, DBFile: 0o600, DBFile + "-wal": 0o600, DBFile + "-shm": 0o600}
	for name, mode := range want {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := fi.Mode().Perm(); got != mode {
			t.Errorf("%s has mode %04o; want %04o", name, got, mode)
		}
	}
	if got := CheckModes(dir); len(got) != 0 {
		t.Errorf("CheckModes = %q; want none", got)
	}
	if err := os.Chmod(filepath.Join(dir, DBFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := CheckModes(dir); len(got) != 1 || !strings.Contains(got[0], "0644") {
		t.Errorf("CheckModes after chmod 644 = %q", got)
	}
	// Files an older release left wide are narrowed at the next open.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got := CheckModes(dir); len(got) != 0 {
		t.Errorf("CheckModes after reopening = %q; want none", got)
	}
}
