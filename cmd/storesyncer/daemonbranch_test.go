package main

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// fakeDaemon answers /healthz and the CLI's operation endpoints on the config's [api] listen
// address, recording what it was asked.
type fakeDaemon struct {
	mu       sync.Mutex
	requests map[string]json.RawMessage
}

func startFakeDaemon(t *testing.T, e *syncEnv, answer statusapi.OpResult) *fakeDaemon {
	t.Helper()
	cfgText, err := os.ReadFile(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	var listen string
	for _, line := range strings.Split(string(cfgText), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && strings.TrimSpace(k) == "listen" {
			listen = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	stateDir := filepath.Join(filepath.Dir(e.cfg), "state")
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stateDir, "api-token"), []byte("test-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := &fakeDaemon{requests: map[string]json.RawMessage{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(statusapi.Health{Status: "ok"})
	})
	mux.HandleFunc("POST /api/v1/", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer test-token" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		var body json.RawMessage
		_ = json.NewDecoder(r.Body).Decode(&body)
		d.mu.Lock()
		d.requests[r.URL.Path] = body
		d.mu.Unlock()
		_ = json.NewEncoder(w).Encode(answer)
	})
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return d
}

func TestCommandsGoThroughARunningDaemon(t *testing.T) {
	e := newSyncEnv(t).added()
	d := startFakeDaemon(t, e, statusapi.OpResult{ExitCode: exitConflict, Lines: []string{"conflict  en-US/keyword (changed on both sides)"}})
	tests := []struct {
		args []string
		path string
		want string // a field of the request body; every request but apps add names the app
	}{
		{[]string{"push", "--only", "text"}, "/api/v1/commands/push", `"only":"text"`},
		{[]string{"pull", "--into", "copy"}, "/api/v1/commands/pull", `"into":"copy"`},
		{[]string{"resolve", "en-US/keyword", "--keep", "local"}, "/api/v1/commands/resolve", `"keys":["en-US/keyword"]`},
		{[]string{"collections", "activate", "main"}, "/api/v1/commands/collections.activate", `"collection":"main"`},
		{[]string{"collections", "create", "xmas", "--from", "collection", "main"}, "/api/v1/commands/collections.create", `"source":"main"`},
		{[]string{"collections", "delete", "xmas"}, "/api/v1/commands/collections.delete", `"collection":"xmas"`},
		{[]string{"versions", "create", "2.0"}, "/api/v1/commands/versions.create", `"version":"2.0"`},
		{[]string{"versions", "set", "2.0"}, "/api/v1/commands/versions.set", `"version":"2.0"`},
		{[]string{"apps", "remove", "--bundle-id", "com.example.demo"}, "/api/v1/commands/apps.remove", `"app":"com.example.demo"`},
		{[]string{"approve", "--all"}, "/api/v1/commands/approve", `"app":"com.example.demo"`},
		{[]string{"apps", "add", "--bundle-id", "com.example.other"}, "/api/v1/commands/apps.add", `"bundle_id":"com.example.other"`},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args[:2], " "), func(t *testing.T) {
			exit, out, _ := e.run(tc.args...)
			if exit != exitConflict || !strings.Contains(out, "conflict  en-US/keyword") {
				t.Errorf("exit %d, stdout %q; want the daemon's exit and lines", exit, out)
			}
			d.mu.Lock()
			body := string(d.requests[tc.path])
			d.mu.Unlock()
			if !strings.Contains(body, tc.want) || (tc.path != "/api/v1/commands/apps.add" && !strings.Contains(body, `"app":"com.example.demo"`)) {
				t.Errorf("daemon got %s %s; want %s in it", tc.path, body, tc.want)
			}
		})
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("the CLI wrote to App Store Connect itself: %v", w)
	}
}
