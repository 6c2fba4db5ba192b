package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
)

// lockedBuffer is a bytes.Buffer safe for a writer and a reader on other goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitOutput polls out until it holds want.
func waitOutput(tb testing.TB, out *lockedBuffer, want string) {
	tb.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			tb.Fatalf("output never showed %q:\n%s", want, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestDemoEditReachesSimulator runs `storesyncer demo` as a user would, edits the file it
// names, and sees the PATCH reach the simulator and the demo print it.
func TestDemoEditReachesSimulator(t *testing.T) {
	var srv *ascapitest.Server
	var srvMu sync.Mutex
	demoServerHook = func(s *ascapitest.Server) { srvMu.Lock(); srv = s; srvMu.Unlock() }
	defer func() { demoServerHook = nil }()
	dir := filepath.Join(t.TempDir(), "demo")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--dir", dir, "--quiet-period", "50ms", "--exit-after", "120s"}, strings.NewReader(""), &out, &errOut)
	}()
	waitOutput(t, &out, "Ctrl-C stops")
	file := filepath.Join(dir, "workspace", "com.example.demo", "main", "keyword", "en-US.txt")
	if !strings.Contains(out.String(), "edit        "+file) {
		t.Errorf("the demo does not name the file to edit:\n%s", out.String())
	}
	for _, want := range []string{"/api/v1/status", "/metrics", filepath.Join(dir, "state", "api-token")} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demo does not print %s:\n%s", want, out.String())
		}
	}
	if err := os.WriteFile(file, []byte("planner,demo,edit\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, &out, "PATCH en-US/appStoreVersionLocalizations (en-US/keyword)")
	srvMu.Lock()
	got, _ := srv.VersionLocalization("com.example.demo", "1.1", "en-US")
	srvMu.Unlock()
	if got["keywords"] != "planner,demo,edit" {
		t.Errorf("simulator keywords = %q, want the edit", got["keywords"])
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("demo: %v\n%s", err, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("demo did not stop on cancel")
	}

	// A second run starts afresh in the same folder; a foreign folder is refused.
	if code, _, stderr := runCLI(t, "demo", "--dir", dir, "--exit-after", "1ms"); code != 0 {
		t.Errorf("second demo run exit %d: %s", code, stderr)
	}
	foreign := t.TempDir()
	if err := os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "demo", "--dir", foreign, "--exit-after", "1ms"); code != exitFailure || !strings.Contains(stderr, "not made by storesyncer demo") {
		t.Errorf("demo in a foreign folder: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(foreign, "notes.txt")); err != nil {
		t.Errorf("the demo touched a foreign folder: %v", err)
	}
}

// TestRunConfigErrorExitsUsage checks that `run` with a bad config exits 2 and names the
// line, so a service manager does not restart-loop on it.
func TestRunConfigErrorExitsUsage(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte("workspace = \""+dir+"\"\n[sync]\nconcurency = 4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "run", "--config", path)
	if code != exitUsage || !strings.Contains(stderr, "concurency") {
		t.Errorf("exit %d, stderr %q; want 2 naming the unknown key", code, stderr)
	}
}
