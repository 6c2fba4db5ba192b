package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/metrics"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/service"
	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/internal/workspace"
	"github.com/storesyncer/storesyncer/watcher"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// registry is the daemon's app registry: the workspace's apps as this daemon sees them, their
// leases, versions, errors, problems, conflicts and holds, the workspace's own problems and the
// watcher's health. It answers the dispatcher (jobApps), the pipeline and Snapshot. Create it
// with newRegistry; its methods are safe for concurrent use.
type registry struct {
	cfg     *config.Config
	ws      *workspace.Workspace
	lease   leaseHolder
	clock   clock.Clock
	log     *slog.Logger
	hub     *hub
	metrics *metrics.Metrics
	// reloadc asks the pipeline to re-read the workspace's apps.
	reloadc chan struct{}

	locksMu sync.Mutex
	locks   map[string]*sync.Mutex

	// mu guards the fields below: what Snapshot reports.
	mu   sync.Mutex
	apps map[string]*appState
	// reloaded is closed, and replaced, each time reloadApps has re-read the workspace.
	reloaded   chan struct{}
	wsProblems []Problem
	watch      *watcher.Watcher
	watchInfo  watchInfo
}

var _ jobApps = (*registry)(nil)

// newRegistry returns an empty registry for d's workspace; the first reloadApps fills it.
func newRegistry(d *Daemon) *registry {
	return &registry{cfg: d.cfg, ws: d.ws, lease: d.lease, clock: d.clock, log: d.log, hub: d.hub, metrics: d.metrics,
		reloadc: d.reloadc, locks: map[string]*sync.Mutex{}, apps: map[string]*appState{}}
}

// setWatcher records the running watcher: reloads set its roots and Snapshot reads it.
func (r *registry) setWatcher(w *watcher.Watcher) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.watch = w
}

// watcher returns the running watcher, nil before Run starts it.
func (r *registry) watcher() *watcher.Watcher {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.watch
}

// setWatchErrorText shows msg as the watcher's error in status until the next rescan.
func (r *registry) setWatchErrorText(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.watchInfo.err = msg
}

// snapshot adds the apps with their leases, versions and errors, the problems, the conflicts
// and the watcher to st.
func (r *registry) snapshot(st *Status) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st.Problems = append(st.Problems, r.wsProblems...)
	for _, id := range slices.Sorted(maps.Keys(r.apps)) {
		a := r.apps[id]
		as := AppStatus{
			BundleID: id, Platform: string(a.app.Platform), Account: a.app.Account,
			TargetVersion: a.targetVersion, VersionState: a.versionState, ActiveCollection: a.app.Active,
			Paused: st.Paused || !a.ours, Error: a.err,
		}
		if as.Error == "" && a.appProblem != nil { // a reload cleared err; app.toml is still wrong
			as.Error = a.appProblem.Message
		}
		if a.lease.Host != "" {
			as.Lease = &LeaseStatus{Lease: a.lease, Ours: a.ours}
		}
		st.Apps = append(st.Apps, as)
		if a.appProblem != nil {
			st.Problems = append(st.Problems, *a.appProblem)
		}
		st.Problems = append(st.Problems, a.problems...)
		for _, k := range slices.Sorted(maps.Keys(a.held)) {
			st.Problems = append(st.Problems, Problem{App: id, Collection: a.app.Active, Path: string(k), Code: "sync.held", Severity: "warning", Message: a.held[k]})
		}
		for _, k := range slices.Sorted(maps.Keys(a.conflicts)) {
			st.Conflicts = append(st.Conflicts, Conflict{App: id, Key: string(k), Reason: a.conflicts[k]})
		}
	}
	st.Watcher = WatcherStatus{Up: r.watch != nil && !r.watchInfo.stopped, LastRescan: r.watchInfo.lastRescan, Error: r.watchInfo.err}
	if r.watch != nil {
		st.Watcher.WatchedDirs = r.watch.WatchedDirs()
		st.Watcher.PendingPaths = r.watch.PendingPaths()
	}
}

// reloadApps re-reads every app.toml, takes or renews the apps' leases and returns the
// folders to watch: the active collection of every app this daemon holds. Apps whose active
// collection changed, or that are new to this daemon, are marked for a full plan.
func (r *registry) reloadApps(ctx context.Context) []string {
	apps, err := r.ws.Apps()
	var wsProblems []Problem
	if err != nil {
		if rerr := service.CheckReadable(r.ws.Root); rerr != nil {
			// macOS privacy protection (or plain permissions): say how to fix it.
			r.log.Error("workspace is not readable", "error", rerr)
			wsProblems = []Problem{{Path: r.ws.Root, Code: "workspace.unreadable", Severity: "error", Message: rerr.Error()}}
		} else {
			r.log.Warn("workspace has bad app files", "error", err)
			wsProblems = appFileProblems(err)
		}
	}
	now := r.clock.Now()
	seen := map[string]bool{}
	var roots []string
	for _, a := range apps {
		seen[a.BundleID] = true
		lease, ours, lerr := r.lease.acquire(r.ws.AppDir(a.BundleID), now, processAlive)
		r.mu.Lock()
		st, known := r.apps[a.BundleID]
		if !known {
			st = &appState{conflicts: map[plan.Key]string{}, held: map[plan.Key]string{}}
			r.apps[a.BundleID] = st
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
		r.mu.Unlock()
		switch {
		case ours:
			roots = append(roots, r.ws.CollectionDir(a.BundleID, a.Active))
			if !known || !wasOurs {
				r.hub.add(ctx, EventAppWatching, a.BundleID, map[string]any{"message": "watching " + r.ws.CollectionDir(a.BundleID, a.Active), "collection": a.Active})
			}
		case lerr == nil && (!known || wasOurs):
			r.log.Warn("app is synced by another machine", "app", a.BundleID, "host", lease.Host, "pid", lease.PID)
			r.hub.add(ctx, EventAppSkipped, a.BundleID, map[string]any{"message": st.err, "host": lease.Host, "pid": lease.PID})
		}
	}
	r.mu.Lock()
	for id, st := range r.apps {
		if !seen[id] {
			if st.ours {
				_ = r.lease.release(r.ws.AppDir(id))
			}
			delete(r.apps, id)
		}
	}
	r.wsProblems = wsProblems
	w := r.watch
	if r.reloaded != nil {
		close(r.reloaded)
	}
	r.reloaded = make(chan struct{})
	r.mu.Unlock()
	slices.Sort(roots)
	if w != nil {
		if err := w.SetRoots(roots); err != nil {
			r.log.Warn("set watched folders", "error", err)
		}
	}
	return roots
}

// waitForApp waits until a reload of the workspace has seen app, so that an answer to
// `apps add` is followed by a status that lists the app. It gives up after a few seconds: the
// app is picked up all the same, only later.
func (r *registry) waitForApp(ctx context.Context, app string) {
	expired := make(chan struct{})
	t := r.clock.AfterFunc(5*time.Second, func() { close(expired) })
	defer t.Stop()
	for {
		r.mu.Lock()
		_, known := r.apps[app]
		next := r.reloaded
		r.mu.Unlock()
		if known {
			return
		}
		if next == nil {
			next = make(chan struct{}) // no reload yet: wait for the deadline
		}
		poke(r.reloadc)
		select {
		case <-next:
		case <-expired:
			return
		case <-ctx.Done():
			return
		}
	}
}

// ourApps returns the bundle IDs of the apps this daemon holds, sorted.
func (r *registry) ourApps() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for id, st := range r.apps {
		if st.ours {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// unplannedApps returns the apps this daemon holds that need a full plan, and marks them
// planned.
func (r *registry) unplannedApps() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, id := range slices.Sorted(maps.Keys(r.apps)) {
		if st := r.apps[id]; st.ours && !st.planned {
			st.planned = true
			out = append(out, id)
		}
	}
	return out
}

// holds reports whether this daemon holds app's lease, and the app's active collection folder.
func (r *registry) holds(app string) (dir string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, found := r.apps[app]
	if !found || !st.ours {
		return "", false
	}
	return r.ws.CollectionDir(app, st.app.Active), true
}

// releaseLeases removes the lease files this daemon holds.
func (r *registry) releaseLeases() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, st := range r.apps {
		if st.ours {
			if err := r.lease.release(r.ws.AppDir(id)); err != nil {
				r.log.Warn("release lease", "app", id, "error", err)
			}
			st.ours = false
		}
	}
}

// leasedElsewhere returns an API error when another daemon holds app's lease: commands that
// write must not race it.
func (r *registry) leasedElsewhere(app string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.apps[app]
	if !ok || st.ours {
		return nil
	}
	return &statusapi.Error{Status: 409, Code: "lease", Message: fmt.Sprintf("%s is synced by %s (pid %d): run the command there, or stop that daemon", app, st.lease.Host, st.lease.PID)}
}

// markUnplanned makes the next reload plan app's whole collection.
func (r *registry) markUnplanned(app string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, ok := r.apps[app]; ok {
		st.planned = false
	}
}

// appOf finds the app whose active collection holds path.
func (r *registry) appOf(path string) (app, dir string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, st := range r.apps {
		if !st.ours {
			continue
		}
		dir := r.ws.CollectionDir(id, st.app.Active)
		if path == dir || strings.HasPrefix(path, dir+string(filepath.Separator)) {
			return id, dir, true
		}
	}
	return "", "", false
}

// recordPlan stores what a plan says about app for Snapshot: version, problems, conflicts and
// holds of the keys in scope (nil: all).
func (r *registry) recordPlan(app string, res *engine.PlanResult, scope []plan.Key) {
	problems := make([]Problem, 0, len(res.Problems))
	errKeys := map[plan.Key]bool{}
	for _, p := range res.Problems {
		problems = append(problems, Problem{App: app, Collection: res.Collection, Path: p.Path, Code: p.Code, Severity: string(p.Severity), Message: p.Message})
		if k, ok := problemKey(p.Path); ok && p.Severity == collection.SeverityError {
			errKeys[k] = true
		}
	}
	inScope := func(k plan.Key) bool { return scope == nil || slices.Contains(scope, k) }
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.apps[app]
	if !ok {
		return
	}
	seen := map[string]bool{}
	for _, p := range st.problems {
		seen[p.Path+"\x00"+p.Code] = true
	}
	for _, p := range problems {
		if !seen[p.Path+"\x00"+p.Code] && p.Severity == string(collection.SeverityError) {
			r.metrics.ValidationFailure(p.Code)
		}
	}
	st.problems = problems
	if res.Snapshot != nil {
		st.targetVersion, st.versionState = res.Snapshot.Version.String, res.Snapshot.Version.State
	}
	for k := range st.conflicts {
		// A local-only plan cannot see a conflict: the conflicts stay until a plan or a sync
		// that reads App Store Connect settles them.
		if inScope(k) && !res.LocalOnly {
			delete(st.conflicts, k)
		}
	}
	for k := range st.held {
		if inScope(k) {
			delete(st.held, k)
		}
	}
	for _, op := range res.Plan.Ops {
		switch {
		case op.Kind == plan.Conflict:
			st.conflicts[op.Key] = op.Reason
		case op.Kind == plan.Held && !errKeys[op.Key]:
			st.held[op.Key] = op.Reason
		}
	}
}

// setProblems replaces app's problems with those of a read of dir, its active collection; a
// read of another folder (an activation on its way) is dropped.
func (r *registry) setProblems(app, dir string, problems []collection.Problem) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.apps[app]
	if !ok || !st.ours || r.ws.CollectionDir(app, st.app.Active) != dir {
		return
	}
	out := make([]Problem, 0, len(problems))
	for _, p := range problems {
		out = append(out, Problem{App: app, Collection: st.app.Active, Path: p.Path, Code: p.Code, Severity: string(p.Severity), Message: p.Message})
	}
	st.problems = out
}

// setAppError records (or, with nil, clears) the condition that stops app from syncing.
func (r *registry) setAppError(app string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.apps[app]
	if !ok || !st.ours {
		return
	}
	st.err, st.appProblem = "", nil
	if err != nil {
		st.err = err.Error()
		if ae, ok := engine.AsAppCheck(app, "", err); ok { // app.toml is wrong: say so as a problem too
			st.appProblem = &Problem{App: app, Path: ae.Path, Code: ae.Code, Severity: "error", Message: ae.Err.Error()}
		}
	}
}

// setLastRescan records a finished full rescan, which also clears a watcher error.
func (r *registry) setLastRescan(t time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.watchInfo.lastRescan = &t
	r.watchInfo.err = ""
}

// setWatchError records that the watcher stopped.
func (r *registry) setWatchError(err error) {
	r.metrics.SetWatcherUp(false)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.watchInfo.err = err.Error()
	r.watchInfo.stopped = true
}

// updateWatchedDirs sets storesyncer_watcher_watched_dirs to what the watcher watches (what
// status shows) and returns it; the pipeline calls it after each batch.
func (r *registry) updateWatchedDirs() int {
	r.mu.Lock()
	w := r.watch
	r.mu.Unlock()
	if w == nil {
		return 0
	}
	n := w.WatchedDirs()
	r.metrics.SetWatchedDirs(n)
	return n
}

// recordOutcome updates the snapshot's conflicts and holds from what a sync found.
func (r *registry) recordOutcome(ctx context.Context, app string, res SyncResult) {
	var fresh []plan.Key
	r.mu.Lock()
	if st, ok := r.apps[app]; ok {
		for _, k := range res.Done {
			delete(st.conflicts, k)
			delete(st.held, k)
		}
		for k, r := range res.Conflicts {
			if _, had := st.conflicts[k]; !had {
				fresh = append(fresh, k)
			}
			st.conflicts[k] = r
		}
		for k, r := range res.Held {
			st.held[k] = r
		}
	}
	r.mu.Unlock()
	for _, k := range fresh {
		r.log.Info("conflict found", "app", app, "key", k, "reason", res.Conflicts[k], "settle", fmt.Sprintf("storesyncer resolve %s --keep local|remote", k))
		r.hub.add(ctx, EventConflict, app, map[string]any{"key": k, "reason": res.Conflicts[k],
			"message": fmt.Sprintf("conflict on %s: %s", k, res.Conflicts[k])})
	}
}

// appLock returns the lock that serializes engine operations on app.
func (r *registry) appLock(app string) *sync.Mutex {
	r.locksMu.Lock()
	defer r.locksMu.Unlock()
	l, ok := r.locks[app]
	if !ok {
		l = &sync.Mutex{}
		r.locks[app] = l
	}
	return l
}
