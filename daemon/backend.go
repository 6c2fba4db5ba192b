package daemon

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// backend is the daemon's statusapi.Backend: reads come from Snapshot and the state, commands
// run through the engine under the app's lock, as the daemon's own work does.
type backend struct{ d *Daemon }

var _ statusapi.Backend = backend{}

// Status returns Snapshot with the queue counts and last syncs from the state.
func (b backend) Status(ctx context.Context) statusapi.Status {
	st := apiStatus(b.d.Snapshot())
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

// apiStatus maps the daemon's Status to the status API's wire types.
func apiStatus(s Status) statusapi.Status {
	st := statusapi.Status{Version: s.Version, StartedAt: s.StartedAt, StateDir: s.StateDir, Paused: s.Paused,
		Watcher: statusapi.Watcher(s.Watcher)}
	if s.BudgetKnown {
		st.RateLimit = statusapi.RateLimit{Limit: s.Budget.Limit, Remaining: s.Budget.Remaining, Known: true, ResetHint: "Apple's budget is a rolling hour"}
	}
	for _, a := range s.Apps {
		as := statusapi.AppStatus{BundleID: a.BundleID, Platform: a.Platform, Account: a.Account,
			TargetVersion: a.TargetVersion, VersionState: a.VersionState, ActiveCollection: a.ActiveCollection,
			Paused: a.Paused, Error: a.Error}
		if a.Lease != nil {
			as.Lease = &statusapi.Lease{Host: a.Lease.Host, PID: a.Lease.PID, Heartbeat: a.Lease.Heartbeat, Ours: a.Lease.Ours}
		}
		st.Apps = append(st.Apps, as)
	}
	for _, p := range s.Problems {
		st.Problems = append(st.Problems, statusapi.Problem(p))
	}
	for _, c := range s.Conflicts {
		st.Conflicts = append(st.Conflicts, statusapi.Conflict(c))
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
	return b.HistoryOf(ctx, app, "", limit, before)
}

// HistoryOf returns what member did, newest first.
func (b backend) HistoryOf(ctx context.Context, app, member string, limit int, before int64) ([]statusapi.HistoryEntry, error) {
	rows, err := b.d.store.HistoryOf(ctx, state.HistoryFilter{App: app, Member: member}, limit, before)
	if err != nil {
		return nil, err
	}
	out := make([]statusapi.HistoryEntry, 0, len(rows))
	for _, h := range rows {
		e := statusapi.HistoryEntry{ID: h.ID, Time: h.Time, App: h.App, Action: h.Action, Result: historyResult(h.Result), Calls: h.APICalls, Member: h.Member}
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
	_, err := b.d.cmds.Do(ctx, &command.Rescan{})
	return err
}

// Pause holds every upload until Resume; it survives restarts.
func (b backend) Pause(ctx context.Context) error {
	_, err := b.d.cmds.Do(ctx, &command.Pause{})
	return err
}

// Resume releases uploads held by Pause.
func (b backend) Resume(ctx context.Context) error {
	_, err := b.d.cmds.Do(ctx, &command.Resume{})
	return err
}

// Approve releases held jobs of req.App ("" for all), of req.Keys when set, and returns how
// many.
func (b backend) Approve(ctx context.Context, req statusapi.ApproveRequest) (int, error) {
	rep, err := b.d.cmds.Do(ctx, &command.Approve{App: req.App, Keys: req.Keys})
	if err != nil {
		return 0, err
	}
	return rep.(command.ApproveReport).Approved, nil
}

// RetryJob makes job id due now.
func (b backend) RetryJob(ctx context.Context, id int64) error {
	_, err := b.d.cmds.Do(ctx, &command.JobsRetry{ID: id})
	switch {
	case errors.Is(err, state.ErrNotFound):
		return fmt.Errorf("%v: %w", err, statusapi.ErrNotFound)
	case errors.Is(err, state.ErrWrongState):
		return fmt.Errorf("%v: %w", err, statusapi.ErrInvalid)
	}
	return err
}

// Command runs a CLI command through the daemon's dispatcher, as the CLI runs it in-process.
func (b backend) Command(ctx context.Context, name string, body []byte) (statusapi.OpResult, error) {
	req, err := command.Decode(name, body)
	if errors.Is(err, command.ErrUnknown) {
		return statusapi.OpResult{}, fmt.Errorf("%v: %w", err, statusapi.ErrNotFound)
	}
	if err != nil {
		return command.Result(nil, err), nil
	}
	return b.d.cmds.Run(ctx, req), nil
}
