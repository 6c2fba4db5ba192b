package daemon

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/service"
	"github.com/storesyncer/storesyncer/internal/workspace"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// appState is what the daemon knows about one app of the workspace. It is guarded by
// Daemon.mu.
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

// reloadApps re-reads every app.toml, takes or renews the apps' leases and returns the
// folders to watch: the active collection of every app this daemon holds. Apps whose active
// collection changed, or that are new to this daemon, are marked for a full plan.
func (d *Daemon) reloadApps(ctx context.Context) []string {
	apps, err := d.ws.Apps()
	var wsProblems []Problem
	if err != nil {
		if rerr := service.CheckReadable(d.ws.Root); rerr != nil {
			// macOS privacy protection (or plain permissions): say how to fix it.
			d.log.Error("workspace is not readable", "error", rerr)
			wsProblems = []Problem{{Path: d.ws.Root, Code: "workspace.unreadable", Severity: "error", Message: rerr.Error()}}
		} else {
			d.log.Warn("workspace has bad app files", "error", err)
			wsProblems = appFileProblems(err)
		}
	}
	now := d.clock.Now()
	seen := map[string]bool{}
	var roots []string
	for _, a := range apps {
		seen[a.BundleID] = true
		lease, ours, lerr := d.lease.acquire(d.ws.AppDir(a.BundleID), now, processAlive)
		d.mu.Lock()
		st, known := d.apps[a.BundleID]
		if !known {
			st = &appState{conflicts: map[plan.Key]string{}, held: map[plan.Key]string{}}
			d.apps[a.BundleID] = st
		}
		// A changed app_id, platform or account is a changed identity: plan it again, which
		// checks it (engine.AppCheckError) before anything is written.
		if st.app.Active != a.Active || st.app.AppID != a.AppID || st.app.Platform != a.Platform || st.app.Account != a.Account || !st.ours && ours {
			st.planned = false
		}
		wasOurs := st.ours
		st.app, st.lease, st.ours = a, lease, ours
		st.err = ""
		if lerr != nil {
			st.err = lerr.Error()
		} else if !ours {
			st.err = fmt.Sprintf("synced by %s (pid %d, heartbeat %s): this daemon leaves the app alone until that lease is %s old",
				lease.Host, lease.PID, lease.Heartbeat.Format(time.RFC3339), LeaseTTL)
		}
		d.mu.Unlock()
		switch {
		case ours:
			roots = append(roots, d.ws.CollectionDir(a.BundleID, a.Active))
			if !known || !wasOurs {
				d.hub.add(ctx, EventAppWatching, a.BundleID, map[string]any{"message": "watching " + d.ws.CollectionDir(a.BundleID, a.Active), "collection": a.Active})
			}
		case lerr == nil && (!known || wasOurs):
			d.log.Warn("app is synced by another machine", "app", a.BundleID, "host", lease.Host, "pid", lease.PID)
			d.hub.add(ctx, EventAppSkipped, a.BundleID, map[string]any{"message": st.err, "host": lease.Host, "pid": lease.PID})
		}
	}
	d.mu.Lock()
	for id, st := range d.apps {
		if !seen[id] {
			if st.ours {
				_ = d.lease.release(d.ws.AppDir(id))
			}
			delete(d.apps, id)
		}
	}
	d.wsProblems = wsProblems
	w := d.watch
	if d.reloaded != nil {
		close(d.reloaded)
	}
	d.reloaded = make(chan struct{})
	d.mu.Unlock()
	slices.Sort(roots)
	if w != nil {
		if err := w.SetRoots(roots); err != nil {
			d.log.Warn("set watched folders", "error", err)
		}
	}
	return roots
}

// waitForApp waits until a reload of the workspace has seen app, so that an answer to
// `apps add` is followed by a status that lists the app. It gives up after a few seconds: the
// app is picked up all the same, only later.
func (d *Daemon) waitForApp(ctx context.Context, app string) {
	expired := make(chan struct{})
	t := d.clock.AfterFunc(5*time.Second, func() { close(expired) })
	defer t.Stop()
	for {
		d.mu.Lock()
		_, known := d.apps[app]
		next := d.reloaded
		d.mu.Unlock()
		if known {
			return
		}
		if next == nil {
			next = make(chan struct{}) // no reload yet: wait for the deadline
		}
		poke(d.reloadc)
		select {
		case <-next:
		case <-expired:
			return
		case <-ctx.Done():
			return
		}
	}
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

// ourApps returns the bundle IDs of the apps this daemon holds, sorted.
func (d *Daemon) ourApps() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for id, st := range d.apps {
		if st.ours {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// unplannedApps returns the apps this daemon holds that need a full plan, and marks them
// planned.
func (d *Daemon) unplannedApps() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for _, id := range slices.Sorted(maps.Keys(d.apps)) {
		if st := d.apps[id]; st.ours && !st.planned {
			st.planned = true
			out = append(out, id)
		}
	}
	return out
}

// holds reports whether this daemon holds app's lease, and the app's active collection folder.
func (d *Daemon) holds(app string) (dir string, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	st, found := d.apps[app]
	if !found || !st.ours {
		return "", false
	}
	return d.ws.CollectionDir(app, st.app.Active), true
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

// releaseLeases removes the lease files this daemon holds.
func (d *Daemon) releaseLeases() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, st := range d.apps {
		if st.ours {
			if err := d.lease.release(d.ws.AppDir(id)); err != nil {
				d.log.Warn("release lease", "app", id, "error", err)
			}
			st.ours = false
		}
	}
}
