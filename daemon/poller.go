package daemon

import (
	"context"
	"time"

	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// Rate budget thresholds of the remote poll, as fractions of the hourly limit.
const (
	pollSkipBelow    = 0.05
	pollSlowBelow    = 0.20
	pollMaxSlowdown  = 8
	pollJitterFactor = 0.25
)

// runPoller reads App Store Connect for web-side changes every remote_poll_interval (±25 %),
// or at once when pollc is poked: text edits reach the files, media changes become conflicts,
// local changes the watcher missed become jobs.
func (d *Daemon) runPoller(ctx context.Context) error {
	base := d.cfg.Sync.RemotePollInterval
	if base <= 0 {
		return nil
	}
	tick := make(chan struct{}, 1)
	slow := 1
	var t clock.Timer
	arm := func() {
		wait := time.Duration(float64(base*time.Duration(slow)) * (1 - pollJitterFactor + 2*pollJitterFactor*d.rand()))
		t = d.clock.AfterFunc(wait, func() { poke(tick) })
	}
	arm()
	defer func() { t.Stop() }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick:
		case <-d.pollc:
			t.Stop()
		}
		slow = d.pollOnce(ctx, slow)
		arm()
	}
}

// pollOnce polls every app this daemon holds, unless the rate budget is nearly spent, and
// returns the slowdown factor for the next wait.
func (d *Daemon) pollOnce(ctx context.Context, slow int) int {
	if rl, ok := d.budget(); ok && rl.Limit > 0 {
		left := float64(rl.Remaining) / float64(rl.Limit)
		switch {
		case left < pollSkipBelow:
			d.log.Info("remote poll skipped: request budget nearly spent", "remaining", rl.Remaining, "limit", rl.Limit)
			return min(slow*2, pollMaxSlowdown)
		case left < pollSlowBelow:
			slow = min(slow*2, pollMaxSlowdown)
		default:
			slow = 1
		}
	}
	for _, app := range d.apps.ourApps() {
		d.replanWith(ctx, app, engine.PlanOptions{Full: true, Reuse: true}, nil)
	}
	now := d.clock.Now()
	if err := d.store.SetSetting(ctx, state.KeyLastRemotePoll, now.UTC().Format(time.RFC3339)); err != nil && ctx.Err() == nil {
		d.log.Warn("record remote poll", "error", err)
	}
	d.hub.add(ctx, EventRemotePolled, "", map[string]any{"message": "polled App Store Connect"})
	return slow
}
