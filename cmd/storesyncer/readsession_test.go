package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// holdState opens the env's state dir the way a running daemon does, holding its lock
// until release is called (or the test ends).
func (e *syncEnv) holdState() (release func()) {
	e.tb.Helper()
	st, err := state.Open(filepath.Join(filepath.Dir(e.cfg), "state"), state.Options{})
	if err != nil {
		e.tb.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			_ = st.Close()
		}
	}
	e.tb.Cleanup(release)
	return release
}

type runResult struct {
	Exit           int
	Stdout, Stderr string
}

func (e *syncEnv) result(args ...string) runResult {
	e.tb.Helper()
	exit, out, errOut := e.run(args...)
	return runResult{exit, out, errOut}
}

// readCommands are the commands that only read the state.
var readCommands = [][]string{
	{"plan"},
	{"--json", "plan"},
	{"--json", "plan", "--only", "text"},
	{"apps", "list"},
	{"--json", "apps", "list"},
	{"--json", "versions", "list"},
	{"versions", "list"},
	{"collections", "list"},
	{"--json", "collections", "list"},
}

func TestReadCommandsWorkWhileTheStateIsLocked(t *testing.T) {
	e := newSyncEnv(t).added()
	e.mustRun("collections", "create", "christmas", "--from", "collection", "main")
	e.write("keyword/de-DE.txt", []byte("neu,lokal\n"))
	e.write("keyword/en-US.txt", []byte("local,side\n"))
	e.webEdit(demoEditable, "en-US", ascapiAttrs("keywords", "web,side"))
	e.webEdit(demoEditable, "ja", ascapiAttrs("description", "ウェブ"))

	unlocked := map[string]runResult{}
	for _, args := range readCommands {
		unlocked[strings.Join(args, " ")] = e.result(args...)
	}
	// The commands read something worth comparing: a plan with every kind of line, the app
	// with its target version.
	if r := unlocked["--json plan"]; r.Exit != exitConflict || !strings.Contains(r.Stdout, `"kind": "conflict"`) || !strings.Contains(r.Stdout, `"kind": "pull"`) {
		t.Fatalf("plan --json without a lock: exit %d\n%s%s", r.Exit, r.Stdout, r.Stderr)
	}
	if r := unlocked["apps list"]; r.Exit != 0 || !strings.Contains(r.Stdout, testBundle) || !strings.Contains(r.Stdout, "last sync: 20") {
		t.Fatalf("apps list without a lock: exit %d\n%s%s", r.Exit, r.Stdout, r.Stderr)
	}
	if r := unlocked["collections list"]; r.Exit != 0 || !strings.Contains(r.Stdout, "christmas") {
		t.Fatalf("collections list without a lock: exit %d\n%s%s", r.Exit, r.Stdout, r.Stderr)
	}
	stateBefore := e.state()
	e.sim.ResetJournal()

	release := e.holdState()
	for _, args := range readCommands {
		name := strings.Join(args, " ")
		t.Run(name, func(t *testing.T) {
			got := e.result(args...)
			if diff := cmp.Diff(unlocked[name], got); diff != "" {
				t.Errorf("storesyncer %s beside a lock holder differs from without (-unlocked +locked):\n%s", name, diff)
			}
		})
	}
	release()

	if w := e.writes(); len(w) != 0 {
		t.Errorf("the read commands wrote to App Store Connect: %v", w)
	}
	if diff := cmp.Diff(stateBefore, e.state()); diff != "" {
		t.Errorf("the read commands changed the state (-before +after):\n%s", diff)
	}
}

func TestWriteCommandsStillNeedTheLock(t *testing.T) {
	e := newSyncEnv(t).added()
	e.write("keyword/de-DE.txt", []byte("neu,lokal\n"))
	e.holdState()
	tests := [][]string{
		{"--json", "push"},
		{"--json", "pull"},
		{"--json", "collections", "delete", "main"},
		{"--json", "versions", "create", "9.9.9"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
			exit, out, _ := e.run(args...)
			var body struct {
				Error struct{ Code, Message, Path string }
			}
			if err := json.Unmarshal([]byte(out), &body); err != nil {
				t.Fatalf("exit %d, stdout not JSON: %v\n%s", exit, err, out)
			}
			stateDir := filepath.Join(filepath.Dir(e.cfg), "state")
			if exit != exitFailure || body.Error.Code != "state.locked" || body.Error.Path != stateDir ||
				!strings.Contains(body.Error.Message, "is in use by process") {
				t.Errorf("exit %d, error %+v; want exit %d, state.locked naming %s and its holder", exit, body.Error, exitFailure, stateDir)
			}
		})
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("a refused command wrote to App Store Connect: %v", w)
	}
	if got := e.read("main", "keyword/de-DE.txt"); got != "neu,lokal\n" {
		t.Errorf("a refused command changed the collection: keyword/de-DE.txt = %q", got)
	}
}

// TestDaemonRunningPushGoesToItPlanReadsBeside is the whole case: the daemon owns the state and answers on its API;
// push goes to it while plan reads the state itself.
func TestDaemonRunningPushGoesToItPlanReadsBeside(t *testing.T) {
	e := newSyncEnv(t).added()
	e.write("keyword/de-DE.txt", []byte("neu,lokal\n"))
	e.holdState()
	d := startFakeDaemon(t, e, statusapi.OpResult{ExitCode: exitOK, Lines: []string{"pushed by the daemon"}})

	exit, out, errOut := e.run("push")
	if exit != exitOK || !strings.Contains(out, "pushed by the daemon") {
		t.Errorf("push: exit %d, stdout %q, stderr %q; want the daemon's answer", exit, out, errOut)
	}
	exit, out, errOut = e.run("plan")
	if exit != exitOK || !strings.Contains(out, "update    de-DE/keyword") || !strings.Contains(out, "total: 1 update") {
		t.Errorf("plan: exit %d\n%s%s", exit, out, errOut)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.requests["/api/v1/commands/push"]; !ok || len(d.requests) != 1 {
		t.Errorf("the daemon got %v; want only the push", d.requests)
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("the CLI wrote to App Store Connect itself: %v", w)
	}
}
