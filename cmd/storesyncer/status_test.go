package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// statusBackend answers the read-only endpoints; the embedded nil interface panics if a
// command calls anything else, which would be a bug in these commands.
type statusBackend struct {
	statusapi.Backend
	status  statusapi.Status
	jobs    []statusapi.Job
	history func(app string, limit int, before int64) []statusapi.HistoryEntry
}

func (b *statusBackend) Status(context.Context) statusapi.Status { return b.status }
func (b *statusBackend) Jobs(context.Context) ([]statusapi.Job, error) {
	return b.jobs, nil
}
func (b *statusBackend) History(_ context.Context, app string, limit int, before int64) ([]statusapi.HistoryEntry, error) {
	return b.history(app, limit, before), nil
}

// startDaemonAPI runs a real status API with b and writes a config that points at it. It
// returns the config path and the state dir.
func startDaemonAPI(tb testing.TB, b statusapi.Backend) (configPath, stateDir string) {
	tb.Helper()
	dir := tb.TempDir()
	stateDir = filepath.Join(dir, "state")
	tokenFile := filepath.Join(stateDir, "api-token")
	srv, err := statusapi.New(statusapi.Config{Listen: "127.0.0.1:0", TokenFile: tokenFile, Backend: b})
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	tb.Cleanup(func() { cancel(); <-done })
	<-srv.Ready()
	return writeAPIConfig(tb, dir, srv.Addr(), stateDir, tokenFile), stateDir
}

func writeAPIConfig(tb testing.TB, dir, listen, stateDir, tokenFile string) string {
	tb.Helper()
	path := filepath.Join(dir, "config.toml")
	text := fmt.Sprintf("workspace = %q\n[daemon]\nstate_dir = %q\n[api]\nlisten = %q\ntoken_file = %q\n",
		filepath.Join(dir, "ws"), stateDir, listen, tokenFile)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// runCLI runs the CLI and returns exit code, stdout and stderr.
func runCLI(tb testing.TB, args ...string) (int, string, string) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return exitCode(err), out.String(), errOut.String()
}

var (
	t0      = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	synced  = t0.Add(-5 * time.Minute)
	rescan  = t0.Add(-42 * time.Minute)
	nextTry = t0.Add(90 * time.Second)
)

func sampleStatus() statusapi.Status {
	return statusapi.Status{
		Version: "v1.0.0", StartedAt: t0.Add(-3 * time.Hour), StateDir: "/state",
		Apps: []statusapi.AppStatus{
			{BundleID: "com.example.app", Platform: "IOS", TargetVersion: "2.1.0", VersionState: "PREPARE_FOR_SUBMISSION", ActiveCollection: "christmas", LastSync: &synced, AwaitingApproval: 24},
			{BundleID: "com.example.mac", Platform: "MAC_OS", ActiveCollection: "main", Lease: &statusapi.Lease{Host: "build-mac", PID: 4242, Heartbeat: t0.Add(-10 * time.Second)}},
		},
		Queue: statusapi.Queue{Pending: 3, InFlight: 1, Failed: 1, Held: 2, Waiting: []statusapi.QueueWait{
			{For: "approval", Jobs: 2, Why: "waits for approval: `storesyncer approve ja/keyword` or --all"},
			{For: "rate_budget", Jobs: 1, Why: "the request budget is spent (0 of 3600 left): resumes at 12:01:30"},
		}},
		Problems:  []statusapi.Problem{{App: "com.example.app", Collection: "christmas", Path: "keyword/de-DE.txt", Code: "text.too_long", Severity: "error", Message: "104 characters, at most 100"}},
		Conflicts: []statusapi.Conflict{{App: "com.example.app", Key: "en-US/description", Reason: "changed on both sides"}},
		RateLimit: statusapi.RateLimit{Limit: 3600, Remaining: 3412, Known: true, ResetHint: "rolling hour"},
		Watcher:   statusapi.Watcher{Up: true, WatchedDirs: 42, PendingPaths: 1, LastRescan: &rescan},
	}
}

func TestPrintStatus(t *testing.T) {
	var b bytes.Buffer
	if err := printStatus(&b, sampleStatus(), t0); err != nil {
		t.Fatal(err)
	}
	want := `daemon running (v1.0.0), up 3h0m0s, state dir /state
watcher: up, 42 folders, 1 path pending, last rescan 42m0s ago
rate limit: 3412 of 3600 requests left (rolling hour)
queue: 3 pending, 1 in flight, 1 failed, 2 held
  2 waiting (approval): waits for approval: ` + "`storesyncer approve ja/keyword`" + ` or --all
  1 waiting (rate_budget): the request budget is spent (0 of 3600 left): resumes at 12:01:30

com.example.app (IOS)
  version 2.1.0 PREPARE_FOR_SUBMISSION, collection christmas, last sync 5m0s ago
  24 operations wait for approval
  problems:
    christmas/keyword/de-DE.txt: error: text.too_long: 104 characters, at most 100
  conflicts:
    en-US/description: changed on both sides
    decide with ` + "`storesyncer resolve --app com.example.app KEY --keep local|remote` (or --all)" + `

com.example.mac (MAC_OS)
  version unknown, collection main, never synced
  held by build-mac (pid 4242, heartbeat 10s ago): this daemon does not sync it
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("status output (-want +got):\n%s", diff)
	}
}

func TestPrintJobs(t *testing.T) {
	jobs := []statusapi.Job{
		{ID: 7, App: "com.example.app", Resource: "appStoreVersionLocalizations/de-DE", Keys: []string{"de-DE/keyword", "de-DE/description"}, State: "retry_wait", Attempts: 2, NextAttemptAt: &nextTry, LastError: "HTTP 503:\nService Unavailable"},
		{ID: 8, App: "com.example.app", Resource: "appScreenshotSets/de-DE/APP_IPHONE_67", Keys: []string{"a", "b", "c", "d"}, State: "pending"},
		{ID: 9, App: "com.example.app", Resource: "ja/appInfoLocalizations", Keys: []string{"ja/name"}, State: "held", LastError: "auto sync is off", WaitingFor: "approval", Why: "waits for approval: `storesyncer approve ja/name` or --all"},
	}
	var b bytes.Buffer
	if err := printJobs(&b, jobs, t0); err != nil {
		t.Fatal(err)
	}
	want := `ID  STATE       TRIES  APP              RESOURCE                               KEYS                             NEXT      WAITS FOR / LAST ERROR
7   retry_wait  2      com.example.app  appStoreVersionLocalizations/de-DE     de-DE/keyword,de-DE/description  in 1m30s  HTTP 503: Service Unavailable
8   pending     0      com.example.app  appScreenshotSets/de-DE/APP_IPHONE_67  a,b,… (4 keys)                   -         -
9   held        0      com.example.app  ja/appInfoLocalizations                ja/name                          -         approval: waits for approval: ` + "`storesyncer approve ja/name`" + ` or --all
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("queue output (-want +got):\n%s", diff)
	}
}

func TestStatusCommands(t *testing.T) {
	var historyArgs []any
	b := &statusBackend{
		status: sampleStatus(),
		jobs: []statusapi.Job{
			{ID: 1, App: "com.example.app", Resource: "r1", State: "pending"},
			{ID: 2, App: "com.example.mac", Resource: "r2", State: "pending"},
			{ID: 3, App: "com.example.app", Resource: "r3", State: "failed"},
		},
		history: func(app string, limit int, before int64) []statusapi.HistoryEntry {
			historyArgs = append(historyArgs, []any{app, limit, before})
			return []statusapi.HistoryEntry{{ID: 12, Time: t0, App: "com.example.app", Action: "push", Result: "success", Calls: 2, Keys: []string{"de-DE/keyword"}}}
		},
	}
	cfg, _ := startDaemonAPI(t, b)

	t.Run("status", func(t *testing.T) {
		code, out, errOut := runCLI(t, "status", "--config", cfg)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{"queue: 3 pending, 1 in flight, 1 failed, 2 held", "christmas/keyword/de-DE.txt: error: text.too_long: 104 characters, at most 100", "en-US/description: changed on both sides", "com.example.mac (MAC_OS)"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("status --json --app", func(t *testing.T) {
		code, out, errOut := runCLI(t, "status", "--config", cfg, "--json", "--app", "com.example.mac")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got statusapi.Status
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		want := sampleStatus()
		want.Apps = want.Apps[1:]
		want.Problems, want.Conflicts = []statusapi.Problem{}, []statusapi.Conflict{}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("status --json (-want +got):\n%s", diff)
		}
	})
	t.Run("status --app unknown", func(t *testing.T) {
		code, _, errOut := runCLI(t, "status", "--config", cfg, "--app", "com.nope")
		if code != exitUsage {
			t.Errorf("exit %d, want %d", code, exitUsage)
		}
		if !strings.Contains(errOut, "the daemon does not sync com.nope; it syncs: com.example.app, com.example.mac") {
			t.Errorf("stderr = %q", errOut)
		}
	})
	t.Run("queue --app --limit --json", func(t *testing.T) {
		code, out, errOut := runCLI(t, "queue", "--config", cfg, "--app", "com.example.app", "--limit", "1", "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got statusapi.JobList
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]statusapi.Job{b.jobs[0]}, got.Jobs); diff != "" {
			t.Errorf("jobs (-want +got):\n%s", diff)
		}
	})
	t.Run("history", func(t *testing.T) {
		historyArgs = nil
		code, out, errOut := runCLI(t, "history", "--config", cfg, "--app", "com.example.app", "--limit", "5", "--before", "40")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if diff := cmp.Diff([]any{[]any{"com.example.app", 5, int64(40)}}, historyArgs); diff != "" {
			t.Errorf("daemon asked (-want +got):\n%s", diff)
		}
		for _, want := range []string{"12  " + t0.Local().Format(time.DateTime) + "  com.example.app  -       push    success  2      de-DE/keyword  -", "older: storesyncer history --before 12"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("history --limit 0", func(t *testing.T) {
		if code, _, _ := runCLI(t, "history", "--config", cfg, "--limit", "0"); code != exitUsage {
			t.Errorf("exit %d, want %d", code, exitUsage)
		}
	})
}

func TestStatusWithoutDaemon(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	stateDir := filepath.Join(dir, "state")
	cfg := writeAPIConfig(t, dir, addr, stateDir, filepath.Join(stateDir, "api-token"))
	wantMsg := "no daemon is running for state dir " + stateDir + ": start it with `storesyncer run` or `storesyncer service start`"
	for _, cmd := range []string{"status", "queue", "history"} {
		t.Run(cmd, func(t *testing.T) {
			code, _, errOut := runCLI(t, cmd, "--config", cfg)
			if code != exitFailure {
				t.Errorf("exit %d, want %d", code, exitFailure)
			}
			if !strings.Contains(errOut, wantMsg) {
				t.Errorf("stderr = %q, want %q", errOut, wantMsg)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		code, out, _ := runCLI(t, "status", "--config", cfg, "--json")
		var got struct{ Error statusapi.ErrorBody }
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %q", err, out)
		}
		if code != exitFailure || got.Error.Code != "daemon.not_running" || got.Error.Message != wantMsg {
			t.Errorf("exit %d, error %+v", code, got.Error)
		}
	})
}

func TestStatusWrongToken(t *testing.T) {
	cfg, stateDir := startDaemonAPI(t, &statusBackend{})
	if err := os.WriteFile(filepath.Join(stateDir, "api-token"), []byte("stale\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "status", "--config", cfg)
	if code != exitFailure || !strings.Contains(errOut, "refused the token in "+filepath.Join(stateDir, "api-token")) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
