package command

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/state"
)

// This file holds the commands that steer the queue: approve, pause, resume, rescan, jobs
// retry. They write the state, so they work without a daemon too: the daemon reads it when
// it starts.

func init() {
	register(func() Request { return &Approve{} })
	register(func() Request { return &Pause{} })
	register(func() Request { return &Resume{} })
	register(func() Request { return &Rescan{} })
	register(func() Request { return &JobsRetry{} })
}

// Approve releases the jobs waiting for approval, of App or ("") of every app; with Keys,
// only the jobs that change one of them.
type Approve struct {
	App  string   `json:"app,omitempty"`
	Keys []string `json:"keys,omitempty"`
}

// Name is "approve".
func (*Approve) Name() string              { return "approve" }
func (r *Approve) scope() (scope, *string) { return global, &r.App }
func (r *Approve) run(ctx context.Context, e *Env) (Report, error) {
	for _, k := range r.Keys {
		if _, err := plan.ParseKey(k); err != nil {
			return nil, Usage("usage", "%v", err)
		}
	}
	keys := r.Keys
	var leftOut []string
	if e.grant.restricted() {
		var err error
		if keys, leftOut, err = r.restrict(ctx, e); err != nil {
			return nil, err
		}
		if len(keys) == 0 {
			return ApproveReport{App: r.App, LeftOut: leftOut}, nil
		}
	}
	n, err := e.Store.ApproveKeys(ctx, r.App, keys)
	if err != nil {
		return nil, Failure("approve", err)
	}
	e.changed(r.App, JobsChanged)
	return ApproveReport{App: r.App, Approved: int(n), LeftOut: leftOut}, nil
}

// restrict keeps the keys a restricted member may approve: of the named keys, or (none
// named) of the held jobs of the app, those of jobs whose every key the role covers (a job
// is one write of a whole localization or set, so a job that also changes another key waits).
func (r *Approve) restrict(ctx context.Context, e *Env) (keys, leftOut []string, err error) {
	js, ok := e.Store.(interface {
		Jobs(ctx context.Context, f state.JobFilter) ([]state.Job, error)
	})
	if !ok {
		return nil, nil, Failure("approve", errors.New("the state cannot list jobs"))
	}
	jobs, err := js.Jobs(ctx, state.JobFilter{App: r.App, States: []state.JobState{state.JobHeld}})
	if err != nil {
		return nil, nil, Failure("approve", err)
	}
	for _, j := range jobs {
		if len(r.Keys) > 0 && !slices.ContainsFunc(j.Keys, func(k string) bool { return slices.Contains(r.Keys, k) }) {
			continue
		}
		if _, out := e.grant.split(j.Keys); len(out) > 0 {
			leftOut = append(leftOut, j.Keys...)
			continue
		}
		keys = append(keys, j.Keys...)
	}
	return keys, leftOut, nil
}

// ApproveReport counts the jobs released.
type ApproveReport struct {
	App      string `json:"app"`
	Approved int    `json:"approved"`
	// LeftOut are keys of held jobs a restricted member's role does not cover.
	LeftOut []string `json:"left_out,omitempty"`
}

// Lines is one line, and one more naming the keys left out.
func (r ApproveReport) Lines() []string {
	if len(r.LeftOut) > 0 {
		return append(r.lines(), fmt.Sprintf("left out %d key(s) the role does not cover: %s", len(r.LeftOut), strings.Join(r.LeftOut, ", ")))
	}
	return r.lines()
}

func (r ApproveReport) lines() []string {
	if r.Approved == 0 {
		return []string{"no job waits for approval"}
	}
	if r.App == "" {
		return []string{fmt.Sprintf("approved %d job(s): they are uploaded next", r.Approved)}
	}
	return []string{fmt.Sprintf("approved %d job(s) of %s: they are uploaded next", r.Approved, r.App)}
}

// Pause holds every upload until Resume; it survives restarts.
type Pause struct{}

// Name is "pause".
func (*Pause) Name() string              { return "pause" }
func (r *Pause) scope() (scope, *string) { return global, new(string) }
func (r *Pause) run(ctx context.Context, e *Env) (Report, error) {
	return setPaused(ctx, e, true)
}

// Resume releases the uploads held by Pause.
type Resume struct{}

// Name is "resume".
func (*Resume) Name() string              { return "resume" }
func (r *Resume) scope() (scope, *string) { return global, new(string) }
func (r *Resume) run(ctx context.Context, e *Env) (Report, error) {
	return setPaused(ctx, e, false)
}

func setPaused(ctx context.Context, e *Env, on bool) (Report, error) {
	v := "false"
	if on {
		v = "true"
	}
	if err := e.Store.SetSetting(ctx, state.KeyPaused, v); err != nil {
		return nil, err
	}
	e.changed("", PauseChanged)
	return PauseReport{Paused: on}, nil
}

// PauseReport says whether uploads are paused now.
type PauseReport struct {
	Paused bool `json:"paused"`
}

// Lines is one line.
func (r PauseReport) Lines() []string {
	if r.Paused {
		return []string{"paused: uploads are held until `storesyncer resume`"}
	}
	return []string{"resumed: uploads go ahead"}
}

// Rescan rescans every watched collection now.
type Rescan struct{}

// Name is "rescan".
func (*Rescan) Name() string              { return "rescan" }
func (r *Rescan) scope() (scope, *string) { return global, new(string) }
func (r *Rescan) run(_ context.Context, e *Env) (Report, error) {
	if e.Daemon == nil {
		return RescanReport{Daemon: false}, nil
	}
	e.changed("", RescanAsked)
	return RescanReport{Daemon: true}, nil
}

// RescanReport says whether a daemon rescans.
type RescanReport struct {
	// Daemon is false when no daemon runs: there is nothing to rescan until one starts, and it
	// scans every collection when it does.
	Daemon bool `json:"daemon"`
}

// Lines is one line.
func (r RescanReport) Lines() []string {
	if !r.Daemon {
		return []string{"no daemon runs: `storesyncer run` scans every collection when it starts"}
	}
	return []string{"rescanning every watched collection"}
}

// JobsRetry makes a failed or waiting job due now.
type JobsRetry struct {
	ID int64 `json:"id"`
}

// Name is "jobs.retry".
func (*JobsRetry) Name() string              { return "jobs.retry" }
func (r *JobsRetry) scope() (scope, *string) { return global, new(string) }
func (r *JobsRetry) validate() error {
	if r.ID <= 0 {
		return Usage("usage", "job id %d is not a positive number", r.ID)
	}
	return nil
}
func (r *JobsRetry) run(ctx context.Context, e *Env) (Report, error) {
	if err := e.Store.Retry(ctx, r.ID); err != nil {
		return nil, err
	}
	e.changed("", JobsChanged)
	return RetryReport{Retried: r.ID}, nil
}

// RetryReport names the job made due.
type RetryReport struct {
	Retried int64 `json:"retried"`
}

// Lines is one line.
func (r RetryReport) Lines() []string {
	return []string{fmt.Sprintf("job %d is due now", r.Retried)}
}
