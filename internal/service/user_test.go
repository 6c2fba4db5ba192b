package service

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestHomeOf(t *testing.T) {
	u, err := user.Lookup("root")
	must(t, err)
	if home, err := HomeOf("root", Linux); err != nil || home != u.HomeDir {
		t.Errorf("HomeOf(root) = %q, %v; want %q", home, err, u.HomeDir)
	}
	for _, tt := range []struct{ goos, want string }{{Linux, "/home/no-such-user-x"}, {Darwin, "/Users/no-such-user-x"}} {
		home, err := HomeOf("no-such-user-x", tt.goos)
		if home != tt.want || err == nil || !strings.Contains(err.Error(), "no user no-such-user-x on this machine") {
			t.Errorf("HomeOf(unknown, %s) = %q, %v; want %q and an error", tt.goos, home, err, tt.want)
		}
	}
}

func TestDefaultConfigPath(t *testing.T) {
	if got := DefaultConfigPath(Linux, "/var/lib/s"); got != "/var/lib/s/.config/storesyncer/config.toml" {
		t.Errorf("linux: %s", got)
	}
	if got := DefaultConfigPath(Darwin, "/Users/s"); got != "/Users/s/Library/Application Support/storesyncer/config.toml" {
		t.Errorf("darwin: %s", got)
	}
}

// TestMakeDirs: missing folders (and missing parents) are made 0700 for the service's user;
// a folder that exists keeps its mode and owner. As root it hands them to nobody.
func TestMakeDirs(t *testing.T) {
	base := t.TempDir()
	existing := filepath.Join(base, "existing")
	must(t, os.Mkdir(existing, 0o755))
	account, wantUID := "", os.Getuid()
	if os.Geteuid() == 0 {
		u, err := user.Lookup("nobody")
		must(t, err)
		account = "nobody"
		wantUID, err = strconv.Atoi(u.Uid)
		must(t, err)
	}
	deep := filepath.Join(base, "home", "ws", "StoreSyncer")
	must(t, MakeDirs([]string{deep, existing}, account))
	for _, dir := range []string{filepath.Join(base, "home"), filepath.Join(base, "home", "ws"), deep} {
		fi, err := os.Stat(dir)
		must(t, err)
		if fi.Mode().Perm() != 0o700 || int(fi.Sys().(*syscall.Stat_t).Uid) != wantUID {
			t.Errorf("%s: mode %v, uid %d; want 0700, uid %d", dir, fi.Mode().Perm(), fi.Sys().(*syscall.Stat_t).Uid, wantUID)
		}
	}
	fi, err := os.Stat(existing)
	must(t, err)
	if fi.Mode().Perm() != 0o755 || int(fi.Sys().(*syscall.Stat_t).Uid) != os.Getuid() {
		t.Errorf("an existing folder changed: mode %v", fi.Mode().Perm())
	}
	file := filepath.Join(base, "file")
	must(t, os.WriteFile(file, nil, 0o600))
	if err := MakeDirs([]string{file}, ""); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("MakeDirs over a file: %v", err)
	}
	if err := MakeDirs([]string{filepath.Join(base, "x")}, "no-such-user-x"); err == nil {
		t.Error("MakeDirs for an unknown user succeeded")
	}
}
