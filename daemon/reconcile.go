package daemon

import (
	"context"
	"errors"
	"strings"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// replan plans keys of app and turns the plan into jobs, pulls, conflicts and problems. Keys
// a watcher flush names are planned local-only, without an API call: the worker re-reads
// App Store Connect just before it writes, and the remote poll brings web-side changes, so a
// save costs what a push of it costs; only their files are read again, the rest of the
// collection comes from the engine's last read (the worker's re-plan and the remote poll reuse
// it too). nil reads the whole collection and plans every key against App Store Connect.
func (d *Daemon) replan(ctx context.Context, app string, keys []plan.Key) {
	d.replanWith(ctx, app, engine.PlanOptions{Keys: keys, LocalOnly: keys != nil, Reuse: keys != nil, Changed: keys}, keys)
}

// replanWith plans app with opts and reconciles the result for scope (nil: every key).
func (d *Daemon) replanWith(ctx context.Context, app string, opts engine.PlanOptions, scope []plan.Key) {
	if _, ok := d.apps.holds(app); !ok {
		return
	}
	l := d.apps.appLock(app)
	l.Lock()
	defer l.Unlock()
	res, err := d.eng.Plan(ctx, app, opts)
	if err != nil {
		if ctx.Err() == nil {
			d.log.Warn("plan", "app", app, "error", err)
			d.apps.setAppError(app, err)
			d.metrics.SyncError(errorReason(err))
		}
		return
	}
	d.apps.setAppError(app, nil)
	if err := d.eng.RecordSeen(ctx, res); err != nil && ctx.Err() == nil {
		d.log.Warn("record bases of keys in sync", "app", app, "error", err)
	}
	if dir, _ := d.apps.holds(app); res.Dir != "" && res.Dir != dir {
		// app.toml names another active collection than the daemon knows: an activation is on
		// its way. Its reload plans the whole new collection (and asks for approval when it is
		// big); planning some of its keys now would slip them past that.
		d.apps.markUnplanned(app)
		poke(d.reloadc)
		return
	}
	d.apps.recordPlan(app, res, scope)
	if err := d.queue.enqueue(ctx, app, res, scope); err != nil && ctx.Err() == nil {
		d.log.Warn("queue changes", "app", app, "error", err)
	}
}

// refreshProblems reads app's collection again as a whole, without asking App Store Connect,
// for a path that names no key (a README, a typo'd folder): it changes only the problems.
func (d *Daemon) refreshProblems(ctx context.Context, app string) {
	if _, ok := d.apps.holds(app); !ok {
		return
	}
	l := d.apps.appLock(app)
	l.Lock()
	defer l.Unlock()
	dir, problems, err := d.eng.LocalProblems(ctx, app)
	if err != nil {
		if ctx.Err() == nil {
			d.apps.setAppError(app, err)
		}
		return
	}
	d.apps.setProblems(app, dir, problems)
}

// errorReason classifies err for storesyncer_sync_errors_total.
func errorReason(err error) string {
	var ae *ascapi.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &ae):
		switch {
		case ae.StatusCode == 401 || ae.StatusCode == 403:
			return "auth"
		case ae.StatusCode == 429:
			return "rate_limited"
		case ae.StatusCode == 404:
			return "not_found"
		case ae.StatusCode == 409:
			return "conflict"
		case ae.StatusCode >= 500:
			return "server"
		}
		return "validation"
	}
	return "network"
}

// joinKeys lists keys for a log line.
func joinKeys(keys []plan.Key) string {
	s := make([]string, len(keys))
	for i, k := range keys {
		s[i] = string(k)
	}
	return strings.Join(s, ",")
}
