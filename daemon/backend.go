package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// backend is the daemon's statusapi.Backend: reads come from Snapshot and the state, commands
// run through the engine under the app's lock, as the daemon's own work does.
type backend struct{ d *Daemon }

var _ statusapi.Backend = backend{}

// Status returns Snapshot with the queue counts and last syncs from the state.
func (b backend) Status(ctx context.Context) statusapi.Status {
	st := b.d.Snapshot()
	if c, err := b.d.store.Counts(ctx); err == nil {
		st.Queue = statusapi.Queue{Pending: c.Pending + c.RetryWait, InFlight: c.InFlight, Failed: c.Failed, Held: c.Held}
	}
	if jobs, err := b.Jobs(ctx); err == nil {
		st.Queue.Waiting = queueWaits(jobs)
	}
	if held, err := b.d.store.Jobs(ctx, state.JobFilter{States: []state.JobState{state.JobHeld}}); err == nil {
		for _, j := range held {
			if !approvalHold(j.HeldReason) {
				continue
			}
			if i := slices.IndexFunc(st.Apps, func(a statusapi.AppStatus) bool { return a.BundleID == j.App }); i >= 0 {
				st.Apps[i].AwaitingApproval += len(j.Keys)
			}
		}
	}
	for i := range st.Apps {
		if v, ok, err := b.d.store.Setting(ctx, state.KeyLastSync(st.Apps[i].BundleID)); err == nil && ok {
			st.Apps[i].LastSync = lastSyncOf(v)
		}
	}
	return st
}

// Jobs returns the open jobs, oldest first.
func (b backend) Jobs(ctx context.Context) ([]statusapi.Job, error) {
	jobs, err := b.d.store.Jobs(ctx, state.JobFilter{})
	if err != nil {
		return nil, err
	}
	out := make([]statusapi.Job, 0, len(jobs))
	now := b.d.clock.Now()
	for _, j := range jobs {
		aj := statusapi.Job{ID: j.ID, App: j.App, Resource: j.Resource, Keys: j.Keys, State: string(j.State), Attempts: j.Attempts,
			LastError: j.LastError, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt}
		if j.State == state.JobHeld && j.HeldReason != "" {
			aj.LastError = j.HeldReason
		}
		if j.State == state.JobPending || j.State == state.JobRetryWait {
			t := j.NextAttemptAt
			aj.NextAttemptAt = &t
		}
		b.d.explainWait(&aj, j, now)
		out = append(out, aj)
	}
	return out, nil
}

// History returns the sync history, newest first.
func (b backend) History(ctx context.Context, app string, limit int, before int64) ([]statusapi.HistoryEntry, error) {
	rows, err := b.d.store.History(ctx, app, limit, before)
	if err != nil {
		return nil, err
	}
	out := make([]statusapi.HistoryEntry, 0, len(rows))
	for _, h := range rows {
		e := statusapi.HistoryEntry{ID: h.ID, Time: h.Time, App: h.App, Action: h.Action, Result: historyResult(h.Result), Calls: h.APICalls}
		if h.Key != "" {
			e.Keys = []string{h.Key}
		}
		if e.Result == "failed" {
			e.Error = h.Detail
		}
		out = append(out, e)
	}
	return out, nil
}

// historyResult maps the state's result words to the API's success, failed or dropped.
func historyResult(r string) string {
	switch r {
	case "ok", "success", "done":
		return "success"
	case "failed", "error":
		return "failed"
	}
	return r
}

// Events returns stored events after afterID.
func (b backend) Events(ctx context.Context, afterID int64, limit int) ([]statusapi.Event, error) {
	evs, err := b.d.store.Events(ctx, afterID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]statusapi.Event, len(evs))
	for i, e := range evs {
		out[i] = toAPIEvent(e)
	}
	return out, nil
}

// Subscribe streams events as they are recorded.
func (b backend) Subscribe(ctx context.Context) (<-chan statusapi.Event, func()) {
	return b.d.hub.subscribe(ctx)
}

// Rescan asks the watcher for a full rescan.
func (b backend) Rescan(ctx context.Context) error {
	b.d.mu.Lock()
	w := b.d.watch
	b.d.mu.Unlock()
	if w == nil {
		return &statusapi.Error{Status: 503, Code: "not_ready", Message: "the daemon is starting"}
	}
	w.Rescan()
	return nil
}

// Pause holds every upload until Resume; it survives restarts.
func (b backend) Pause(ctx context.Context) error { return b.d.setPaused(ctx, true) }

// Resume releases uploads held by Pause.
func (b backend) Resume(ctx context.Context) error { return b.d.setPaused(ctx, false) }

func (d *Daemon) setPaused(ctx context.Context, on bool) error {
	v := "false"
	if on {
		v = "true"
	}
	if err := d.store.SetSetting(ctx, state.KeyPaused, v); err != nil {
		return err
	}
	d.paused.Store(on)
	poke(d.workc)
	return nil
}

// Approve releases held jobs of req.App ("" for all), of req.Keys when set, and returns how
// many.
func (b backend) Approve(ctx context.Context, req statusapi.ApproveRequest) (int, error) {
	n, err := b.d.store.ApproveKeys(ctx, req.App, req.Keys)
	if err != nil {
		return 0, err
	}
	poke(b.d.workc)
	return int(n), nil
}

// RetryJob makes job id due now.
func (b backend) RetryJob(ctx context.Context, id int64) error {
	err := b.d.store.Retry(ctx, id)
	switch {
	case errors.Is(err, state.ErrNotFound):
		return fmt.Errorf("job %d: %w", id, statusapi.ErrNotFound)
	case errors.Is(err, state.ErrWrongState):
		return fmt.Errorf("%v: %w", err, statusapi.ErrInvalid)
	case err != nil:
		return err
	}
	poke(b.d.workc)
	return nil
}

// Push syncs the app now through the engine and then releases its held jobs: a `storesyncer
// push` while the daemon runs is also how a user approves.
func (b backend) Push(ctx context.Context, req statusapi.PushRequest) (statusapi.OpResult, error) {
	app, res, err := b.onHeldApp(req.App, func(app string) (statusapi.OpResult, error) {
		req.App = app
		return b.d.eng.Push(ctx, req)
	})
	if err == nil {
		if _, aerr := b.d.store.Approve(ctx, app); aerr != nil {
			b.d.log.Warn("approve after push", "app", app, "error", aerr)
		}
		poke(b.d.workc)
		b.d.hub.wake()
	}
	return res, err
}

// Pull pulls App Store Connect into a collection.
func (b backend) Pull(ctx context.Context, req statusapi.PullRequest) (statusapi.OpResult, error) {
	defer b.d.hub.wake()
	_, res, err := b.onHeldApp(req.App, func(app string) (statusapi.OpResult, error) {
		req.App = app
		return b.d.eng.Pull(ctx, req)
	})
	return res, err
}

// Resolve settles conflicts, then re-plans the app so its queue and status follow.
func (b backend) Resolve(ctx context.Context, req statusapi.ResolveRequest) (statusapi.OpResult, error) {
	app, res, err := b.onHeldApp(req.App, func(app string) (statusapi.OpResult, error) {
		req.App = app
		return b.d.eng.Resolve(ctx, req)
	})
	if err == nil {
		if res.ExitCode == 0 {
			b.d.releaseResolved(ctx, app)
		}
		b.d.markUnplanned(app)
		poke(b.d.reloadc)
		b.d.hub.wake()
	}
	return res, err
}

// AppsAdd adds an app to the workspace; the daemon starts watching it.
func (b backend) AppsAdd(ctx context.Context, req statusapi.AppsAddRequest) (statusapi.OpResult, error) {
	if req.BundleID == "" {
		return statusapi.OpResult{}, fmt.Errorf("apps add: bundle_id is required: %w", statusapi.ErrInvalid)
	}
	res, err := withAppLock(b.d, req.BundleID, func() (statusapi.OpResult, error) { return b.d.eng.AppsAdd(ctx, req) })
	if err == nil && res.ExitCode == 0 {
		b.d.waitForApp(ctx, req.BundleID)
		b.d.hub.wake()
	}
	return res, err
}

// Activate makes a collection the app's desired state. The change of app.toml is picked up
// like an edit: the whole collection is re-planned, and a change over approve_over waits for
// approval.
func (b backend) Activate(ctx context.Context, req statusapi.ActivateRequest) (statusapi.OpResult, error) {
	app, err := b.d.resolveApp(req.App)
	if err != nil {
		return statusapi.OpResult{}, err
	}
	if err := b.d.ws.SetActive(app, req.Collection); err != nil {
		return engineFailure("collection.activate", err), nil
	}
	b.d.hub.add(ctx, "collection_activated", app, map[string]any{"collection": req.Collection,
		"message": fmt.Sprintf("collection %s is active; the daemon makes App Store Connect match it", req.Collection)})
	poke(b.d.reloadc)
	out, _ := json.Marshal(map[string]string{"app": app, "active": req.Collection})
	return statusapi.OpResult{Output: out, Lines: []string{fmt.Sprintf("%s is now active for %s; the daemon syncs it (a change over approve_over waits for `storesyncer push`)", req.Collection, app)}}, nil
}

// withAppLock runs f holding app's lock.
// onHeldApp runs f for the app named by app ("" is the workspace's only app) holding the
// app's lock, after checking that no other machine holds its lease. It returns the app f ran
// for.
func (b backend) onHeldApp(app string, f func(app string) (statusapi.OpResult, error)) (string, statusapi.OpResult, error) {
	app, err := b.d.resolveApp(app)
	if err != nil {
		return "", statusapi.OpResult{}, err
	}
	if err := b.d.leasedElsewhere(app); err != nil {
		return "", statusapi.OpResult{}, err
	}
	res, err := withAppLock(b.d, app, func() (statusapi.OpResult, error) { return f(app) })
	return app, res, err
}

func withAppLock(d *Daemon, app string, f func() (statusapi.OpResult, error)) (statusapi.OpResult, error) {
	l := d.appLock(app)
	l.Lock()
	defer l.Unlock()
	return f()
}

// resolveApp returns app, or the only app of the workspace when app is "". It reads the
// workspace rather than the daemon's view, which a just-added app may not have reached yet.
func (d *Daemon) resolveApp(app string) (string, error) {
	if app != "" {
		if _, err := d.ws.App(app); err != nil {
			return "", fmt.Errorf("%v: %w", err, statusapi.ErrNotFound)
		}
		return app, nil
	}
	apps, _ := d.ws.Apps()
	if len(apps) == 1 {
		return apps[0].BundleID, nil
	}
	ids := make([]string, 0, len(apps))
	for _, a := range apps {
		ids = append(ids, a.BundleID)
	}
	msg := "no app in the workspace " + d.ws.Root + ": add one with `storesyncer apps add --bundle-id ID`"
	if len(ids) > 0 {
		msg = "more than one app: pass --app with one of: " + strings.Join(ids, ", ")
	}
	return "", &statusapi.Error{Status: 400, Code: "usage", Message: msg}
}

// leasedElsewhere returns an API error when another daemon holds app's lease: commands that
// write must not race it.
func (d *Daemon) leasedElsewhere(app string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	st, ok := d.apps[app]
	if !ok || st.ours {
		return nil
	}
	return &statusapi.Error{Status: 409, Code: "lease", Message: fmt.Sprintf("%s is synced by %s (pid %d): run the command there, or stop that daemon", app, st.lease.Host, st.lease.PID)}
}

// markUnplanned makes the next reload plan app's whole collection.
func (d *Daemon) markUnplanned(app string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if st, ok := d.apps[app]; ok {
		st.planned = false
	}
}
