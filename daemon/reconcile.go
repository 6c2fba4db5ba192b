package daemon

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/collection"
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
	if _, ok := d.holds(app); !ok {
		return
	}
	l := d.appLock(app)
	l.Lock()
	defer l.Unlock()
	res, err := d.eng.Plan(ctx, app, opts)
	if err != nil {
		if ctx.Err() == nil {
			d.log.Warn("plan", "app", app, "error", err)
			d.setAppError(app, err)
			d.metrics.SyncError(errorReason(err))
		}
		return
	}
	d.setAppError(app, nil)
	if err := d.eng.RecordSeen(ctx, res); err != nil && ctx.Err() == nil {
		d.log.Warn("record bases of keys in sync", "app", app, "error", err)
	}
	if dir, _ := d.holds(app); res.Dir != "" && res.Dir != dir {
		// app.toml names another active collection than the daemon knows: an activation is on
		// its way. Its reload plans the whole new collection (and asks for approval when it is
		// big); planning some of its keys now would slip them past that.
		d.markUnplanned(app)
		poke(d.reloadc)
		return
	}
	d.recordPlan(app, res, scope)
	if err := d.queue.enqueue(ctx, app, res, scope); err != nil && ctx.Err() == nil {
		d.log.Warn("queue changes", "app", app, "error", err)
	}
}

// recordPlan stores what a plan says about app for Snapshot: version, problems, conflicts and
// holds of the keys in scope (nil: all).
func (d *Daemon) recordPlan(app string, res *engine.PlanResult, scope []plan.Key) {
	problems := make([]Problem, 0, len(res.Problems))
	errKeys := map[plan.Key]bool{}
	for _, p := range res.Problems {
		problems = append(problems, Problem{App: app, Collection: res.Collection, Path: p.Path, Code: p.Code, Severity: string(p.Severity), Message: p.Message})
		if k, ok := problemKey(p.Path); ok && p.Severity == collection.SeverityError {
			errKeys[k] = true
		}
	}
	inScope := func(k plan.Key) bool { return scope == nil || slices.Contains(scope, k) }
	d.mu.Lock()
	defer d.mu.Unlock()
	st, ok := d.apps[app]
	if !ok {
		return
	}
	seen := map[string]bool{}
	for _, p := range st.problems {
		seen[p.Path+"\x00"+p.Code] = true
	}
	for _, p := range problems {
		if !seen[p.Path+"\x00"+p.Code] && p.Severity == string(collection.SeverityError) {
			d.metrics.ValidationFailure(p.Code)
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

// refreshProblems re-validates app's collection without asking App Store Connect: a path that
// names no key (a README, a typo'd folder) changes only the problems.
func (d *Daemon) refreshProblems(app string) {
	dir, ok := d.holds(app)
	if !ok {
		return
	}
	d.mu.Lock()
	st := d.apps[app]
	opts := collection.Options{Platform: st.app.Platform, ExtraLocales: d.cfg.Collection.ExtraLocales, ExtraDisplayTypes: d.cfg.Collection.ExtraDisplayTypes, Quiet: d.cfg.Collection.Quiet}
	active := st.app.Active
	d.mu.Unlock()
	problems, err := collection.Validate(dir, opts)
	if err != nil {
		d.setAppError(app, err)
		return
	}
	out := make([]Problem, 0, len(problems))
	for _, p := range problems {
		out = append(out, Problem{App: app, Collection: active, Path: p.Path, Code: p.Code, Severity: string(p.Severity), Message: p.Message})
	}
	d.mu.Lock()
	if st, ok := d.apps[app]; ok {
		st.problems = out
	}
	d.mu.Unlock()
}

// setAppError records (or, with nil, clears) the condition that stops app from syncing.
func (d *Daemon) setAppError(app string, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	st, ok := d.apps[app]
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
