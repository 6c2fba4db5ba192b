package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/config"
)

// paritySteps is every state-changing command of the README's table, in an order where each
// one does something real; the command each covers is the name after "commands/" in the API.
var paritySteps = []struct {
	command string // the command.Request name the step runs
	args    []string
	// before changes both envs the same way first: a local edit, a web edit.
	before func(e *syncEnv)
}{
	{"apps.add", []string{"apps", "add", "--bundle-id", testBundle}, nil},
	{"push", []string{"push"}, func(e *syncEnv) { e.write("keyword/en-US.txt", []byte("planner,parity\n")) }},
	{"push", []string{"--json", "push", "--only", "text"}, nil},
	{"pull", []string{"pull"}, nil},
	{"pull", []string{"--json", "pull", "--into", "snapshot"}, nil},
	{"pull", []string{"pull"}, func(e *syncEnv) {
		e.write("keyword/de-DE.txt", []byte("lokal,seite\n"))
		e.webEdit(demoEditable, "de-DE", ascapiAttrs("keywords", "web,seite"))
	}},
	{"resolve", []string{"resolve", "de-DE/keyword", "--keep", "remote"}, nil},
	{"resolve", []string{"resolve", "--all", "--keep", "local"}, nil},
	{"resolve", []string{"resolve", "en-US/nosuchfield", "--keep", "local"}, nil},
	{"collections.create", []string{"collections", "create", "xmas", "--from", "collection", "main"}, nil},
	{"collections.create", []string{"collections", "create", "xmas", "--from", "collection", "main"}, nil},
	{"collections.activate", []string{"collections", "activate", "xmas"}, nil},
	{"collections.activate", []string{"--json", "collections", "activate", "main"}, nil},
	{"collections.delete", []string{"collections", "delete", "xmas"}, nil},
	{"collections.delete", []string{"collections", "delete", "main"}, nil},
	{"versions.create", []string{"versions", "create", "1.2"}, nil},
	{"versions.set", []string{"--json", "versions", "set", "1.1.1"}, nil},
	{"approve", []string{"approve", "--all"}, nil},
	{"pause", []string{"pause"}, nil},
	{"resume", []string{"--json", "resume"}, nil},
	{"jobs.retry", []string{"jobs", "retry", "999"}, nil},
	{"rescan", []string{"rescan"}, nil},
	{"members.list", []string{"members", "list"}, nil},
	{"members.invite", []string{"members", "invite", "--role", "designer"}, nil},
	{"members.set-role", []string{"members", "set-role", "Nobody", "designer"}, nil},
	{"members.remove", []string{"--json", "members", "remove", "Nobody"}, nil},
	{"apps.remove", []string{"apps", "remove", "--bundle-id", testBundle}, nil},
}

type parityResult struct {
	exit           int
	stdout, stderr string
}

// TestCommandParity runs every state-changing command once without a daemon (in-process,
// under the state lock) and once with `storesyncer run` going (through the daemon's API), on
// two identical simulators, and compares the exit code and output step by step. Only rescan
// and members invite may differ: without a daemon there is nothing watched to rescan and no
// address to invite to.
func TestCommandParity(t *testing.T) {
	covered := map[string]bool{}
	for _, s := range paritySteps {
		covered[s.command] = true
	}
	for _, name := range command.Names() {
		if !covered[name] {
			t.Errorf("command %s has no parity step", name)
		}
	}

	alone := newSyncEnv(t)
	withDaemon := newSyncEnv(serialTB{t}) // t is parallel already
	startParityDaemon(t, withDaemon)
	for i, step := range paritySteps {
		if step.before != nil {
			step.before(alone)
			step.before(withDaemon)
		}
		a := parityRun(alone, step.args)
		d := parityRun(withDaemon, step.args)
		if step.command == "members.invite" {
			// An invitation is a URL of the daemon's address: without one there is none.
			if a.exit != 2 || !strings.Contains(a.stderr, "no daemon runs") || d.exit != 0 || !strings.Contains(d.stdout, "/invite/") {
				t.Errorf("step %d %v: in-process %+v, daemon %+v", i, step.args, a, d)
			}
			continue
		}
		if step.command == "rescan" {
			if a.exit != 0 || d.exit != 0 || !strings.Contains(a.stdout, "no daemon runs") || !strings.Contains(d.stdout, "rescanning") {
				t.Errorf("step %d %v: in-process %+v, daemon %+v", i, step.args, a, d)
			}
			continue
		}
		if testing.Verbose() {
			t.Logf("step %d %v: exit %d\n%s%s", i, step.args, a.exit, a.stdout, a.stderr)
		}
		if a != d {
			t.Errorf("step %d %v differs:\nin-process exit %d\n%s%s\ndaemon exit %d\n%s%s", i, step.args, a.exit, a.stdout, a.stderr, d.exit, d.stdout, d.stderr)
		}
	}
}

// parityRun runs args in e and replaces e's folder in the output, so two envs compare. Of
// stderr it keeps the errors and the collection's problems: a push's progress lines are
// shown only in-process (the daemon's answer comes at the end).
func parityRun(e *syncEnv, args []string) parityResult {
	exit, out, errOut := e.run(args...)
	dir := filepath.Dir(e.cfg)
	var kept []string
	for _, l := range strings.SplitAfter(errOut, "\n") {
		if !progressLine.MatchString(l) {
			kept = append(kept, l)
		}
	}
	return parityResult{exit, strings.ReplaceAll(out, dir, "DIR"), strings.ReplaceAll(strings.Join(kept, ""), dir, "DIR")}
}

// progressLine is a line pushProgress prints on a non-terminal.
var progressLine = regexp.MustCompile(`^(created|updated|deleted|reordered|pulled|uploaded|failed) \S+`)

// startParityDaemon runs a daemon on e's config that writes nothing by itself ([sync] auto is
// off, the remote poll waits an hour), so every difference comes from the command path.
func startParityDaemon(t *testing.T, e *syncEnv) {
	t.Helper()
	f, err := os.OpenFile(e.cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteString("\n[sync]\nauto = false\nremote_poll_interval = \"1h\"\n")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(e.ws, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	startTestDaemon(t, cfg)
}

// serialTB is a testing.TB that newSyncEnv does not make parallel again.
type serialTB struct{ testing.TB }
