package daemon

import (
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
	d.apps.snapshot(&st)
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
