package daemon

import (
	"context"

	"github.com/storesyncer/storesyncer/internal/metrics"
	"github.com/storesyncer/storesyncer/internal/state"
)

// appStats is the metrics' per-app source: every app this daemon holds, with its last
// successful sync and its waiting conflicts.
func (d *Daemon) appStats() ([]metrics.AppStats, error) {
	snap := d.Snapshot()
	conflicts := map[string]int{}
	for _, c := range snap.Conflicts {
		conflicts[c.App]++
	}
	var out []metrics.AppStats
	for _, a := range snap.Apps {
		if a.Lease != nil && !a.Lease.Ours {
			continue // another machine syncs it and reports it
		}
		s := metrics.AppStats{App: a.BundleID, Conflicts: conflicts[a.BundleID]}
		if v, ok, err := d.store.Setting(context.Background(), state.KeyLastSync(a.BundleID)); err == nil && ok {
			if t := lastSyncOf(v); t != nil {
				s.LastSync = *t
			}
		}
		out = append(out, s)
	}
	return out, nil
}
