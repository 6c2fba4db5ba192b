package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/daemon"
	"github.com/storesyncer/storesyncer/internal/config"
)

// TestCommandsThroughRunningDaemon runs a daemon for a config and uses the CLI beside it:
// `apps add`, `push` and `collections activate` go through the daemon's API and print what
// the daemon answers; `status` shows the app.
func TestCommandsThroughRunningDaemon(t *testing.T) {
	srv, err := ascapitest.NewServer(t, ascapitest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	listen, err := ascapitest.FreeLoopbackAddr()
	if err != nil {
		t.Fatal(err)
	}
	if err := ascapitest.WriteCredentials(dir, srv.Credentials(), srv.URL(), listen); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "workspace"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "config.toml")
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	startTestDaemon(t, cfg)

	code, out, stderr := runCLI(t, "--config", cfgPath, "apps", "add", "--bundle-id", "com.example.demo")
	if code != 0 || !strings.Contains(out, "added com.example.demo") {
		t.Fatalf("apps add: exit %d\n%s%s", code, out, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "state", "api-token")); err != nil {
		t.Fatalf("the daemon has no token file: %v", err)
	}
	code, out, stderr = runCLI(t, "--config", cfgPath, "--json", "push")
	var pushed struct {
		App    string            `json:"app"`
		Pushed []json.RawMessage `json:"pushed"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &pushed) != nil || pushed.App != "com.example.demo" || len(pushed.Pushed) != 0 {
		t.Fatalf("push --json: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "--config", cfgPath, "collections", "activate", "nosuch")
	if code != exitUsage || !strings.Contains(stderr, "nosuch") {
		t.Errorf("activate of a missing collection: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "--config", cfgPath, "status", "--json")
	if code != 0 || !strings.Contains(out, `"bundle_id": "com.example.demo"`) {
		t.Errorf("status: exit %d\n%s%s", code, out, stderr)
	}
}

// startTestDaemon runs a daemon on cfg until the test ends and waits until it serves its API.
func startTestDaemon(t *testing.T, cfg *config.Config) {
	t.Helper()
	d, err := daemon.New(daemon.Config{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("daemon: %v", err)
		}
	})
	select {
	case <-d.Ready():
	case err := <-done:
		t.Fatalf("daemon stopped: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("daemon not ready")
	}
}
