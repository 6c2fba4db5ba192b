package daemon

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

const (
	testApp     = "com.example.demo"
	testVersion = "1.1"
	waitLimit   = 20 * time.Second
)

// env is a daemon running against a simulator, with its workspace in a temp folder.
type env struct {
	t      testing.TB
	srv    *ascapitest.Server
	dir    string
	cfg    *config.Config
	d      *Daemon
	cancel context.CancelFunc
	done   chan error
	log    *syncBuffer
	clock  clock.Clock // nil: the wall clock
}

// envOptions tune newEnv.
type envOptions struct {
	// extra is appended to the config file (TOML).
	extra string
	// configure sets simulator fields before it starts.
	configure func(*ascapitest.Server)
	// noApp skips adding the demo app.
	noApp bool
	// before runs after the config is written and before the daemon starts.
	before func(e *env)
	// quiet replaces the 50 ms quiet period, for cases whose writes must land in one flush
	// even on a loaded machine.
	quiet time.Duration
	// clock runs the daemon's timers (retries, poll, heartbeat); nil is the wall clock.
	clock clock.Clock
}

// writeTestConfig writes the simulator's credentials and a config with fast timings into dir
// and loads it.
func writeTestConfig(t testing.TB, srv *ascapitest.Server, dir, extra string, quiet time.Duration) *config.Config {
	t.Helper()
	if err := ascapitest.WriteCredentials(dir, srv.Credentials(), srv.URL(), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.toml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if quiet == 0 {
		quiet = 50 * time.Millisecond
	}
	cfgText := string(b) + fmt.Sprintf("\n[watch]\nquiet_period = %q\nmax_wait = \"4s\"\ndelete_delay = \"300ms\"\n", quiet) + extra
	if !strings.Contains(extra, "[sync]") {
		cfgText += "\n[sync]\nremote_poll_interval = \"1h\"\n"
	}
	if err := os.WriteFile(path, []byte(cfgText), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "workspace"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// newEnv starts a simulator and a daemon, adds the demo app (collection main pulled from
// version 1.1) and waits until the daemon watches it.
func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	srv, err := ascapitest.NewServer(t, ascapitest.Options{Configure: func(s *ascapitest.Server) {
		s.ProcessAfterReads = 1
		if o.configure != nil {
			o.configure(s)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv.EnableConformance(t) // every exchange is checked against Apple's OpenAPI document
	e := &env{t: t, srv: srv, dir: t.TempDir(), log: &syncBuffer{}, clock: o.clock}
	e.cfg = writeTestConfig(t, srv, e.dir, o.extra, o.quiet)
	if o.before != nil {
		o.before(e)
	}
	if !o.noApp && o.configure == nil && o.before == nil {
		// The seed is deterministic, so a workspace and state made once against another
		// simulator match this one: copying them saves each test the pull of apps add.
		ws, st := goldenApp(t)
		copyTree(t, ws, e.cfg.Workspace)
		copyTree(t, st, e.cfg.Daemon.StateDir)
		e.start()
		e.waitFor("the app is watched", func() bool {
			_, ok := e.d.holds(testApp)
			return ok && e.d.Snapshot().Watcher.WatchedDirs > 3
		})
		e.waitIdle()
		srv.ResetJournal()
		return e
	}
	e.start()
	if !o.noApp {
		res := e.d.Command(context.Background(), &command.AppsAdd{BundleID: testApp})
		if res.ExitCode != 0 {
			t.Fatalf("apps add: %+v %+v", res, res.Error)
		}
		e.waitFor("the app is watched", func() bool {
			_, ok := e.d.holds(testApp)
			return ok && e.d.Snapshot().Watcher.WatchedDirs > 3
		})
		e.waitIdle()
		srv.ResetJournal()
	}
	return e
}

// start runs a new daemon on e's config.
func (e *env) start() {
	e.t.Helper()
	d, err := New(Config{Config: e.cfg, Logger: slog.New(slog.NewTextHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug})),
		AssetPollInterval: 20 * time.Millisecond, Version: "test", Clock: e.clock})
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.d, e.cancel, e.done = d, cancel, make(chan error, 1)
	go func() { e.done <- d.Run(ctx) }()
	select {
	case <-d.Ready():
	case err := <-e.done:
		e.t.Fatalf("daemon stopped: %v", err)
	case <-time.After(waitLimit):
		e.t.Fatal("daemon not ready")
	}
	e.t.Cleanup(e.stop)
}

// stop stops the daemon and waits for it.
func (e *env) stop() {
	if e.cancel == nil {
		return
	}
	e.cancel()
	e.cancel = nil
	select {
	case err := <-e.done:
		if err != nil {
			e.t.Errorf("daemon run: %v", err)
		}
	case <-time.After(waitLimit):
		e.t.Error("daemon did not stop")
	}
	if e.t.Failed() {
		e.t.Logf("daemon log:\n%s", e.log.String())
	}
}

// coll is the path of name inside the active collection main.
func (e *env) coll(name ...string) string {
	return filepath.Join(append([]string{e.cfg.Workspace, testApp, "main"}, name...)...)
}

// waitFor polls cond until it holds, failing the test after waitLimit.
func (e *env) waitFor(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			jobs, _ := e.d.Backend().Jobs(context.Background())
			evs, _ := e.d.Backend().Events(context.Background(), 0, 200)
			for _, ev := range evs {
				e.t.Logf("event %s %s %s", ev.Type, ev.App, ev.Data)
			}
			e.t.Fatalf("timed out waiting for %s; jobs %+v; status %+v", what, jobs, e.d.Backend().Status(context.Background()))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitIdle waits until the start-up rescan was handled, no path is pending in the watcher
// and no job is open.
func (e *env) waitIdle() {
	e.t.Helper()
	e.waitFor("the daemon to be idle", func() bool {
		st := e.d.Backend().Status(context.Background())
		return st.Watcher.LastRescan != nil && st.Watcher.PendingPaths == 0 && st.Queue.Pending+st.Queue.InFlight == 0
	})
}

// patches returns the PATCHes of localizations in the journal.
func (e *env) patches() []ascapitest.Entry {
	var out []ascapitest.Entry
	for _, c := range e.srv.APICalls() {
		if c.Method == "PATCH" && (strings.HasPrefix(c.Path, "/v1/appStoreVersionLocalizations/") || strings.HasPrefix(c.Path, "/v1/appInfoLocalizations/")) {
			out = append(out, c)
		}
	}
	return out
}

// remoteText returns an attribute of the version localization of locale.
func (e *env) remoteText(locale, attr string) string {
	m, _ := e.srv.VersionLocalization(testApp, testVersion, locale)
	return m[attr]
}

// waitRemote waits until the remote attribute of locale holds want.
func (e *env) waitRemote(locale, attr, want string) {
	e.t.Helper()
	e.waitFor(fmt.Sprintf("%s %s = %q on App Store Connect", locale, attr, want), func() bool { return e.remoteText(locale, attr) == want })
}

// writeFile writes content to path, creating folders.
func writeFile(t testing.TB, path string, content []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
}

// sentinel edits en-US's promotional text and waits for its PATCH: everything flushed before
// it has been handled once it arrives.
func (e *env) sentinel(n int) {
	e.t.Helper()
	want := fmt.Sprintf("Sentinel %d", n)
	writeFile(e.t, e.coll("promotionalText", "en-US.txt"), []byte(want+"\n"))
	e.waitRemote("en-US", "promotionalText", want)
	e.waitIdle()
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// countWhere counts entries matching f.
func countWhere(es []ascapitest.Entry, f func(ascapitest.Entry) bool) int {
	return len(slices.DeleteFunc(slices.Clone(es), func(e ascapitest.Entry) bool { return !f(e) }))
}

// golden holds a workspace and state dir with the demo app added, made once per test binary.
var golden struct {
	once      sync.Once
	ws, state string
	err       error
}

// goldenApp returns the golden workspace and state dir, making them on first use.
func goldenApp(t testing.TB) (ws, stateDir string) {
	t.Helper()
	golden.once.Do(func() {
		dir, err := os.MkdirTemp("", "daemon-golden-")
		if err != nil {
			golden.err = err
			return
		}
		goldenDirs = append(goldenDirs, dir)
		g := &goldenTB{TB: t}
		srv := &ascapitest.Server{ProcessAfterReads: 1}
		if err := srv.Start(""); err != nil {
			golden.err = err
			return
		}
		defer srv.Close()
		e := &env{t: g, srv: srv, dir: dir, log: &syncBuffer{}}
		e.cfg = writeTestConfig(g, srv, dir, "", 0)
		e.start()
		res := e.d.Command(context.Background(), &command.AppsAdd{BundleID: testApp})
		if res.ExitCode != 0 {
			golden.err = fmt.Errorf("apps add: %+v", res.Error)
			return
		}
		e.waitFor("the app is watched", func() bool { _, ok := e.d.holds(testApp); return ok })
		e.waitIdle()
		e.stop()
		golden.ws, golden.state = e.cfg.Workspace, e.cfg.Daemon.StateDir
	})
	if golden.err != nil {
		t.Fatalf("golden workspace: %v", golden.err)
	}
	return golden.ws, golden.state
}

// goldenDirs are removed when the test binary ends.
var goldenDirs []string

// goldenTB is the testing.TB the golden env runs with: its cleanups run at once, not when
// the first test that asked for it ends (the env is stopped explicitly).
type goldenTB struct{ testing.TB }

func (goldenTB) Cleanup(func()) {}

// copyTree copies the files of src into dst, leaving out the state's lock and token.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if d.Name() == "lock" || d.Name() == "api-token" {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
