package daemon

import (
	"context"
	"fmt"
	"time"
)

// Notifier hears the daemon's lifecycle on behalf of a service manager (systemd's
// sd_notify: READY=1, STATUS=, WATCHDOG=1, STOPPING=1). Its methods are called from one
// goroutine, and must return quickly.
type Notifier interface {
	// Ready says the daemon has opened its state, watches the workspace and serves its API;
	// status is the first status line.
	Ready(status string)
	// Status is a one-line description of what the daemon does now (apps, the queue).
	Status(status string)
	// Alive says the daemon's main loops (the pipeline and the job dispatcher) answered
	// within the last interval. A stuck loop stops these calls, so a watchdog restarts it.
	Alive()
	// Stopping says the daemon is shutting down.
	Stopping()
}

// defaultNotifyInterval is how often the status and liveness are sent when
// Config.NotifyInterval is zero.
const defaultNotifyInterval = 30 * time.Second

// runNotify tells the notifier when the daemon is ready, then every interval asks the main
// loops to answer and sends Alive only when both did, and sends the status line when it
// changed. It does nothing without a notifier.
func (d *Daemon) runNotify(ctx context.Context) error {
	n := d.notifier
	if n == nil {
		return nil
	}
	select {
	case <-d.ready:
	case <-ctx.Done():
		return nil
	}
	last := d.statusLine(ctx)
	n.Ready(last)
	tick := make(chan struct{}, 1)
	for {
		t := d.clock.AfterFunc(d.notifyEvery, func() { poke(tick) })
		select {
		case <-ctx.Done():
			t.Stop()
			n.Stopping()
			return nil
		case <-tick:
		}
		if d.loopsAnswer(ctx) {
			n.Alive()
		}
		if s := d.statusLine(ctx); s != last {
			n.Status(s)
			last = s
		}
	}
}

// loopsAnswer reports whether the pipeline and the dispatcher each took and answered a probe
// within one notify interval.
func (d *Daemon) loopsAnswer(ctx context.Context) bool {
	for _, probes := range []chan chan struct{}{d.pipelineProbe, d.dispatchProbe} {
		expired := make(chan struct{})
		t := d.clock.AfterFunc(d.notifyEvery, func() { close(expired) })
		ack := make(chan struct{})
		ok := false
		select {
		case probes <- ack:
			select {
			case <-ack:
				ok = true
			case <-expired:
			case <-ctx.Done():
			}
		case <-expired:
		case <-ctx.Done():
		}
		t.Stop()
		if !ok {
			return false
		}
	}
	return true
}

// statusLine is the Notifier's status: the apps and the queue.
func (d *Daemon) statusLine(ctx context.Context) string {
	apps := len(d.apps.ourApps())
	c, err := d.store.Counts(ctx)
	if err != nil {
		return fmt.Sprintf("watching %d apps; queue unknown: %v", apps, err)
	}
	s := fmt.Sprintf("watching %d apps; queue: %d pending, %d in flight, %d retrying, %d failed, %d held",
		apps, c.Pending, c.InFlight, c.RetryWait, c.Failed, c.Held)
	if d.paused.Load() {
		s += "; paused"
	}
	return s
}
