package daemon

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/metrics"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/workspace"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// fakeEngine is a hand-written Engine whose methods call its function fields; nil fields do
// nothing. It records the plans asked for.
type fakeEngine struct {
	plan func(app string, opts engine.PlanOptions) (*engine.PlanResult, error)
	sync func(app string, keys []plan.Key) (SyncResult, error)

	mu    sync.Mutex
	plans []engine.PlanOptions
	planc chan engine.PlanOptions
}

var _ Engine = (*fakeEngine)(nil)

func (f *fakeEngine) Plan(_ context.Context, app string, opts engine.PlanOptions) (*engine.PlanResult, error) {
	f.mu.Lock()
	f.plans = append(f.plans, opts)
	f.mu.Unlock()
	if f.planc != nil {
		f.planc <- opts
	}
	if f.plan != nil {
		return f.plan(app, opts)
	}
	return &engine.PlanResult{}, nil
}

func (f *fakeEngine) Sync(_ context.Context, app string, keys []plan.Key, _ map[plan.ResourceKey]int64, _ func(engine.Progress)) (SyncResult, error) {
	if f.sync != nil {
		return f.sync(app, keys)
	}
	return SyncResult{Done: keys}, nil
}

func (f *fakeEngine) RecordSeen(context.Context, *engine.PlanResult) error { return nil }

func (f *fakeEngine) LocalProblems(context.Context, string) (string, []collection.Problem, error) {
	return "", nil, nil
}

// unitDaemon builds a Daemon on a real state in a temp dir, a fake engine and clk, holding
// one app, without starting anything.
func unitDaemon(t testing.TB, eng Engine, clk clock.Clock, budget func() (ascapi.RateLimit, bool)) *Daemon {
	t.Helper()
	dir := t.TempDir()
	store, err := state.Open(dir, state.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cfg := config.Default()
	cfg.Workspace, cfg.Daemon.StateDir = t.TempDir(), dir
	log := slog.New(slog.DiscardHandler)
	d := &Daemon{
		cfg: cfg, log: log, clock: clk, rand: func() float64 { return 0 }, store: store, ws: &workspace.Workspace{Root: cfg.Workspace},
		eng: eng, metrics: (*metrics.Metrics)(nil), budget: budget, hub: newHub(store, clk, log),
		reloadc: make(chan struct{}, 1), workc: make(chan struct{}, 1), pollc: make(chan struct{}, 1),
		startedAt: clk.Now(), ready: make(chan struct{}),
	}
	d.apps = newRegistry(d)
	d.apps.apps[testApp] = &appState{app: workspace.App{BundleID: testApp, Active: "main"}, ours: true, conflicts: map[plan.Key]string{}, held: map[plan.Key]string{}}
	d.queue, d.dispatch = newJobQueue(d), newDispatcher(d)
	return d
}

// waitPending waits until clk has n live timers.
func waitPending(t testing.TB, clk *clock.Fake, n int) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for clk.Pending() != n {
		if time.Now().After(deadline) {
			t.Fatalf("fake clock has %d timers, want %d", clk.Pending(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// countingClock counts the timer functions its Fake clock has run, so a test knows, right
// after Advance, whether a timer fired.
type countingClock struct {
	*clock.Fake
	fired atomic.Int64
}

func (c *countingClock) AfterFunc(d time.Duration, f func()) clock.Timer {
	return c.Fake.AfterFunc(d, func() {
		c.fired.Add(1)
		f()
	})
}
