package daemon

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// TestPollerTimingAndBudget drives the remote poll on a fake clock: it polls after the
// jittered interval with a full read, skips while the request budget is nearly spent, and
// waits twice as long after that.
func TestPollerTimingAndBudget(t *testing.T) {
	clk := &countingClock{Fake: clock.NewFake(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))}
	eng := &fakeEngine{planc: make(chan engine.PlanOptions, 10)}
	var remaining atomic.Int64
	remaining.Store(3000)
	d := unitDaemon(t, eng, clk, func() (ascapi.RateLimit, bool) {
		return ascapi.RateLimit{Limit: 3600, Remaining: int(remaining.Load()), Known: true}, true
	})
	d.cfg.Sync.RemotePollInterval = 10 * time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- d.runPoller(ctx) }()
	defer func() { cancel(); <-done }()
	// advance moves the clock and reports whether the poll timer fired; when it did, it
	// waits until the poller has armed the next one.
	advance := func(by time.Duration) bool {
		t.Helper()
		before := clk.fired.Load()
		clk.Advance(by)
		fired := clk.fired.Load() > before
		if fired {
			waitPending(t, clk.Fake, 1)
		}
		return fired
	}

	waitPending(t, clk.Fake, 1)
	// rand is 0: the first wait is 75 % of the interval.
	if advance(7*time.Minute + 29*time.Second) {
		t.Fatal("polled before 7m30s")
	}
	if !advance(time.Second) {
		t.Fatal("no poll at 7m30s")
	}
	if opts := <-eng.planc; !opts.Full {
		t.Errorf("poll plan %+v, want a full read", opts)
	}

	remaining.Store(100) // under 5 %: the poll is skipped and the next wait doubles
	if !advance(7*time.Minute + 30*time.Second) {
		t.Fatal("no poll timer at 7m30s")
	}
	remaining.Store(3000)
	if advance(15*time.Minute - time.Second) {
		t.Fatal("the wait after a skipped poll did not double")
	}
	if !advance(time.Second) {
		t.Fatal("no poll after the doubled wait")
	}
	if opts := <-eng.planc; !opts.Full {
		t.Errorf("poll plan %+v, want a full read", opts)
	}
	select {
	case opts := <-eng.planc:
		t.Fatalf("the skipped poll planned %+v", opts)
	default:
	}
}
