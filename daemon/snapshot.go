package daemon

import (
	"maps"
	"slices"
	"time"
)

// Snapshot returns what the daemon knows right now: its apps with their leases, versions and
// errors, the collections' problems and the conflicts, the request budget and the watcher.
// Queue counts come from the state (Backend.Status adds them). Safe for concurrent use.
func (d *Daemon) Snapshot() Status {
	st := Status{
		Version:   d.version,
		StartedAt: d.startedAt,
		StateDir:  d.cfg.Daemon.StateDir,
		Paused:    d.paused.Load(),
	}
	st.Budget, st.BudgetKnown = d.budget()
	d.mu.Lock()
	defer d.mu.Unlock()
	st.Problems = append(st.Problems, d.wsProblems...)
	for _, id := range slices.Sorted(maps.Keys(d.apps)) {
		a := d.apps[id]
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
	st.Watcher = WatcherStatus{Up: d.watch != nil && !d.watchInfo.stopped, LastRescan: d.watchInfo.lastRescan, Error: d.watchInfo.err}
	if d.watch != nil {
		st.Watcher.WatchedDirs = d.watch.WatchedDirs()
		st.Watcher.PendingPaths = d.watch.PendingPaths()
	}
	return st
}

// lastSyncOf parses a stored last-sync setting.
func lastSyncOf(v string) *time.Time {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil
	}
	return &t
}
