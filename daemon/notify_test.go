package daemon

import (
	"context"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/watcher/clock"
)

// recordingNotifier is a Notifier that sends every call to calls, as "ready: …",
// "status: …", "alive" or "stopping".
type recordingNotifier struct{ calls chan string }

var _ Notifier = recordingNotifier{}

func (n recordingNotifier) Ready(s string)  { n.calls <- "ready: " + s }
func (n recordingNotifier) Status(s string) { n.calls <- "status: " + s }
func (n recordingNotifier) Alive()          { n.calls <- "alive" }
func (n recordingNotifier) Stopping()       { n.calls <- "stopping" }

// TestNotifyPingsOnlyWhileTheLoopsTurn: the watchdog ping is sent only when the pipeline and
// the dispatcher both answer; a stuck pipeline gets no ping until it turns again.
func TestNotifyPingsOnlyWhileTheLoopsTurn(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	d := unitDaemon(t, &fakeEngine{}, clk, nil)
	calls := make(chan string, 16)
	d.notifier, d.notifyEvery = recordingNotifier{calls}, time.Minute
	d.pipelineProbe, d.dispatchProbe = make(chan chan struct{}), make(chan chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// Stand-ins for the two loops: the dispatcher always answers; the pipeline answers until
	// it is given work that blocks it.
	block, unblock := make(chan struct{}), make(chan struct{})
	go func() {
		for {
			select {
			case ack := <-d.dispatchProbe:
				close(ack)
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		for {
			select {
			case ack := <-d.pipelineProbe:
				close(ack)
			case <-block:
				<-unblock
			case <-ctx.Done():
				return
			}
		}
	}()
	done := make(chan error, 1)
	go func() { done <- d.runNotify(ctx) }()

	next := func(want string) {
		t.Helper()
		select {
		case got := <-calls:
			if got != want {
				t.Fatalf("notifier got %q, want %q", got, want)
			}
		case <-time.After(waitLimit):
			t.Fatalf("notifier got nothing, want %q", want)
		}
	}
	close(d.ready)
	next("ready: watching 1 apps; queue: 0 pending, 0 in flight, 0 retrying, 0 failed, 0 held")

	waitPending(t, clk, 1) // the next tick
	clk.Advance(time.Minute)
	next("alive")

	block <- struct{}{} // the pipeline is now stuck
	waitPending(t, clk, 1)
	clk.Advance(time.Minute) // tick: the probe waits for the pipeline…
	waitPending(t, clk, 1)
	clk.Advance(time.Minute) // …until the interval runs out
	waitPending(t, clk, 1)   // the next tick is armed, so this round is over
	select {
	case got := <-calls:
		t.Fatalf("a stuck pipeline was reported as %q", got)
	default:
	}

	close(unblock)
	clk.Advance(time.Minute)
	next("alive")

	waitPending(t, clk, 1) // this round is over before the pause
	d.paused.Store(true)
	clk.Advance(time.Minute)
	next("alive")
	next("status: watching 1 apps; queue: 0 pending, 0 in flight, 0 retrying, 0 failed, 0 held; paused")

	cancel()
	next("stopping")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
