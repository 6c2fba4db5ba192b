package daemon

import (
	"context"
	"errors"
	"time"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/workspace"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// appState is what the daemon knows about one app of the workspace. It is guarded by
// registry.mu.
type appState struct {
	app workspace.App
	// ours is true while this daemon holds the app's lease.
	ours  bool
	lease Lease
	// planned is false until the app's whole collection was planned once since it was
	// (re)loaded, activated or taken over.
	planned bool

	targetVersion string
	versionState  string
	err           string
	// appProblem is err as a problem when app.toml itself is wrong (engine.AppCheckError).
	appProblem *Problem
	problems   []Problem
	conflicts  map[plan.Key]string
	held       map[plan.Key]string
}

// appFileProblems turns the joined errors of workspace.Apps into status problems.
func appFileProblems(err error) []Problem {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var out []Problem
	for _, e := range errs {
		p := Problem{Code: "app.invalid", Severity: "error", Message: e.Error()}
		var afe *workspace.AppFileError
		if errors.As(e, &afe) {
			p.Path = afe.Path
		}
		out = append(out, p)
	}
	return out
}

// runHeartbeat renews the leases every LeaseHeartbeat (through a reload of the apps, which
// also takes over leases gone stale elsewhere) and prunes old events and jobs once an hour.
func (d *Daemon) runHeartbeat(ctx context.Context) error {
	tick := make(chan struct{}, 1)
	var t clock.Timer
	arm := func() { t = d.clock.AfterFunc(LeaseHeartbeat, func() { poke(tick) }) }
	arm()
	defer func() { t.Stop() }()
	var lastPrune time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick:
			arm()
			poke(d.reloadc)
			if now := d.clock.Now(); now.Sub(lastPrune) >= pruneEvery {
				lastPrune = now
				d.prune(ctx, now)
			}
		}
	}
}

// Retention of the state's append-only parts.
const (
	pruneEvery     = time.Hour
	keepEvents     = 7 * 24 * time.Hour
	keepFinishJobs = 24 * time.Hour
)

// prune drops old events and finished jobs, so a daemon that runs for months keeps a small
// state. History is kept: it is what `storesyncer history` shows.
func (d *Daemon) prune(ctx context.Context, now time.Time) {
	if _, err := d.store.PruneEvents(ctx, now.Add(-keepEvents)); err != nil && ctx.Err() == nil {
		d.log.Warn("prune events", "error", err)
	}
	if _, err := d.store.PruneDone(ctx, now.Add(-keepFinishJobs)); err != nil && ctx.Err() == nil {
		d.log.Warn("prune finished jobs", "error", err)
	}
}
