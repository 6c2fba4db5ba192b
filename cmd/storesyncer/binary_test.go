package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Stamps the test binary is built with, as packaging/cmd/release stamps a release.
const (
	testVersion = "v0.0.0-test"
	testCommit  = "0123456789abcdef0123456789abcdef01234567"
	testDate    = "2026-12-01T12:00:00Z"
)

var built struct {
	once sync.Once
	dir  string
	path string
	err  error
	out  []byte
}

// storesyncerBinary builds the real storesyncer binary once per test run, stamped the way a
// release is, and returns its path.
func storesyncerBinary(t testing.TB) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "storesyncer-bin-")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "storesyncer")
		ldflags := strings.Join([]string{"-X main.version=" + testVersion, "-X main.commit=" + testCommit, "-X main.date=" + testDate}, " ")
		cmd := exec.Command("go", "build", "-o", built.path, "-ldflags", ldflags, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		built.out, built.err = cmd.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.path
}

// TestVersionIsStamped: the version, commit and date given to the linker are what
// `storesyncer version` prints.
func TestVersionIsStamped(t *testing.T) {
	out, err := exec.Command(storesyncerBinary(t), "version").CombinedOutput()
	if err != nil {
		t.Fatalf("version: %v\n%s", err, out)
	}
	want := "storesyncer " + testVersion + " (commit " + testCommit + ", built " + testDate + ", go"
	if !strings.HasPrefix(string(out), want) {
		t.Errorf("version printed %q, want it to start with %q", out, want)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}
