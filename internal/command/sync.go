package command

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// This file holds the commands that sync an app with App Store Connect: push, pull, resolve.

func init() {
	register(func() Request { return &Push{} })
	register(func() Request { return &Pull{} })
	register(func() Request { return &Resolve{} })
}

// Push makes App Store Connect match the app's active collection (storesyncer push). Pushing
// also approves: the app's jobs waiting for approval are released.
type Push struct {
	App string `json:"app,omitempty"`
	// Only is "text", "media" or "all" (empty means all).
	Only  string `json:"only,omitempty"`
	Prune bool   `json:"prune,omitempty"`
	// Yes lets --prune delete without asking.
	Yes bool `json:"yes,omitempty"`
}

// Name is "push".
func (*Push) Name() string              { return "push" }
func (r *Push) scope() (scope, *string) { return existingApp, &r.App }
func (r *Push) run(ctx context.Context, e *Env) (Report, error) {
	opts := engine.PushOptions{Only: plan.Only(r.Only), Prune: r.Prune, Progress: e.Progress}
	var leftOut []string
	if e.grant.restricted() {
		var err error
		if opts.Keys, leftOut, err = r.restrict(ctx, e); err != nil {
			return nil, err
		}
		if len(opts.Keys) == 0 {
			rep := PushReport{LeftOut: leftOut, lines: []string{"nothing to push that the role " + e.grant.caller.Role.Title() + " covers (" + e.grant.Keys.String() + ")"}}
			rep.lines = append(rep.lines, leftOutLines(leftOut)...)
			return rep, nil
		}
	}
	if r.Prune && !r.Yes {
		opts.Confirm = e.Confirm
		if opts.Confirm == nil {
			opts.Confirm = func(*engine.PlanResult) bool { return false }
		}
	}
	res, err := e.Engine.Push(ctx, r.App, opts)
	if errors.Is(err, engine.ErrNotConfirmed) {
		if e.Confirm == nil {
			err = fmt.Errorf("%w: --prune deletes on App Store Connect; pass --yes", err)
		}
		return nil, Failure("push.not_confirmed", err)
	}
	if err != nil {
		return nil, err
	}
	rep := PushReport{PushReport: res.Report(), lines: res.Lines(), LeftOut: leftOut}
	if e.grant.restricted() {
		// A push approves, but only the jobs of the keys the role covers.
		if _, err := e.Store.ApproveKeys(ctx, r.App, plainKeys(opts.Keys)); err != nil {
			return nil, Failure("approve", err)
		}
		e.changed(r.App, JobsChanged)
		rep.lines = append(rep.lines, leftOutLines(leftOut)...)
	} else {
		e.changed(r.App, Pushed)
	}
	for _, p := range res.Plan.Problems {
		rep.notes = append(rep.notes, p.String())
	}
	for _, m := range res.Plan.Warnings {
		rep.notes = append(rep.notes, "warning: "+m)
	}
	if len(res.Failed) > 0 {
		return rep, &Error{Exit: statusapi.ExitFailure, Code: "push.failed", Silent: true, Err: fmt.Errorf("%d key(s) failed", len(res.Failed))}
	}
	return rep, PlanExit(res.Plan.Plan.Ops, res.Plan.Problems)
}

// PushReport is what push did; its JSON is engine.PushReport.
type PushReport struct {
	engine.PushReport
	// LeftOut are the changed keys a restricted member's role does not cover: not pushed.
	LeftOut      []string `json:"left_out,omitempty"`
	lines, notes []string
}

// restrict plans the push without an API call (App Store Connect taken to hold the bases)
// and parts the changed keys into those the caller's role covers and those left out.
func (r *Push) restrict(ctx context.Context, e *Env) (keys []plan.Key, leftOut []string, err error) {
	if r.Prune {
		return nil, nil, Forbidden(&roles.DeniedError{Role: e.grant.caller.Role, Op: roles.Push,
			Detail: "push --prune deletes whole localizations; the role covers " + e.grant.Keys.String()})
	}
	pr, err := e.Engine.Plan(ctx, r.App, engine.PlanOptions{Only: plan.Only(r.Only), LocalOnly: true})
	if err != nil {
		return nil, nil, err
	}
	var changed []string
	for _, op := range pr.Plan.Ops {
		if op.Kind != plan.InSync {
			changed = append(changed, string(op.Key))
		}
	}
	in, out := e.grant.split(changed)
	for _, k := range in {
		keys = append(keys, plan.Key(k))
	}
	return keys, out, nil
}

// leftOutLines says which keys a restricted push left out.
func leftOutLines(keys []string) []string {
	if len(keys) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("left out %d key(s) the role does not cover: %s", len(keys), strings.Join(keys, ", "))}
}

func plainKeys(keys []plan.Key) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = string(k)
	}
	return out
}

// Lines is the push's summary, key by key.
func (r PushReport) Lines() []string { return r.lines }

// Notes are the collection's problems and the plan's warnings, for stderr.
func (r PushReport) Notes() []string { return r.notes }

// PlanExit is the exit a plan deserves: 4 when a key is in conflict, 3 when a key is held by
// a validation error, else nil. The error is Silent: the plan's report shows the details.
func PlanExit(ops []plan.Op, problems []collection.Problem) error {
	code := statusapi.ExitOK
	conflicts := 0
	for _, op := range ops {
		if op.Kind == plan.Conflict {
			conflicts++
		}
	}
	if collection.HasErrors(problems) {
		code = RankExit(code, statusapi.ExitValidation)
	}
	if conflicts > 0 {
		code = RankExit(code, statusapi.ExitConflict)
	}
	switch code {
	case statusapi.ExitConflict:
		return &Error{Exit: statusapi.ExitConflict, Code: "conflict", Silent: true,
			Err: fmt.Errorf("%d key(s) in conflict: settle them with `storesyncer resolve KEY --keep local|remote`", conflicts)}
	case statusapi.ExitValidation:
		return &Error{Exit: statusapi.ExitValidation, Code: "validation.failed", Silent: true,
			Err: errors.New("the collection has validation errors; those keys are held")}
	}
	return nil
}

// Pull writes App Store Connect's state into a collection (storesyncer pull).
type Pull struct {
	App string `json:"app,omitempty"`
	// Into is the collection to pull into; empty is the active one.
	Into string `json:"into,omitempty"`
	// Force writes App Store Connect's values over local edits.
	Force bool `json:"force,omitempty"`
}

// Name is "pull".
func (*Pull) Name() string              { return "pull" }
func (r *Pull) scope() (scope, *string) { return existingApp, &r.App }
func (r *Pull) run(ctx context.Context, e *Env) (Report, error) {
	res, err := e.Engine.Pull(ctx, r.App, engine.PullOptions{Into: r.Into, Force: r.Force})
	if err != nil {
		return nil, err
	}
	e.changed(r.App, Pulled)
	rep := PullReport{PullReport: res.Report(r.App), lines: res.Lines()}
	if len(res.Conflicts) > 0 {
		return rep, &Error{Exit: statusapi.ExitConflict, Code: "pull.conflict", Silent: true,
			Err: fmt.Errorf("%d key(s) not pulled over local edits", len(res.Conflicts))}
	}
	return rep, nil
}

// PullReport is what pull did; its JSON is engine.PullReport.
type PullReport struct {
	engine.PullReport
	lines []string
}

// Lines is the pull's summary.
func (r PullReport) Lines() []string { return r.lines }

// Resolve settles conflicts by keeping one side (storesyncer resolve).
type Resolve struct {
	App string `json:"app,omitempty"`
	// Keys are the keys to settle ("de-DE/keyword"); with All, every conflict.
	Keys []string `json:"keys,omitempty"`
	All  bool     `json:"all,omitempty"`
	// Keep is "local" or "remote".
	Keep string `json:"keep"`
}

// Name is "resolve".
func (*Resolve) Name() string              { return "resolve" }
func (r *Resolve) scope() (scope, *string) { return existingApp, &r.App }
func (r *Resolve) run(ctx context.Context, e *Env) (Report, error) {
	side := plan.Side(r.Keep)
	if side != plan.KeepLocal && side != plan.KeepRemote {
		return nil, Usage("usage", "--keep must be local or remote")
	}
	if r.All == (len(r.Keys) > 0) {
		return nil, Usage("usage", "give the keys to resolve or --all (not both)")
	}
	if e.grant.restricted() {
		if r.All {
			return nil, Forbidden(&roles.DeniedError{Role: e.grant.caller.Role, Op: roles.Resolve,
				Detail: "resolve --all may settle keys outside the role; name the keys (" + e.grant.Keys.String() + ")"})
		}
		if _, out := e.grant.split(r.Keys); len(out) > 0 {
			return nil, e.grant.refuseKeys(roles.Resolve, out)
		}
	}
	keys := make([]plan.Key, 0, len(r.Keys))
	for _, s := range r.Keys {
		k, err := plan.ParseKey(s)
		if err != nil {
			return nil, Usage("usage", "%v", err)
		}
		keys = append(keys, k)
	}
	res, err := e.Engine.Resolve(ctx, r.App, keys, side)
	if err != nil {
		return nil, err
	}
	if len(res.Failed) == 0 {
		e.changed(r.App, Resolved)
	} else {
		e.changed(r.App, Replan)
	}
	rep := ResolveReport{Keep: r.Keep, Resolved: engine.Outcomes(res.Resolved), Failed: engine.FailureOutcomes(res.Failed)}
	if len(res.Resolved)+len(res.Failed) == 0 {
		rep.lines = append(rep.lines, "no key is in conflict")
	}
	what := "the next push sends the local value"
	if side == plan.KeepRemote {
		what = "the remote value is in the collection"
	}
	for _, op := range res.Resolved {
		rep.lines = append(rep.lines, fmt.Sprintf("resolved  %s (%s): %s", op.Key, op.Reason, what))
	}
	for _, f := range res.Failed {
		rep.lines = append(rep.lines, fmt.Sprintf("failed    %s: %v", f.Op.Key, f.Err))
	}
	if len(res.Failed) > 0 {
		return rep, &Error{Exit: statusapi.ExitFailure, Code: "resolve.failed", Silent: true, Err: fmt.Errorf("%d key(s) failed", len(res.Failed))}
	}
	return rep, nil
}

// ResolveReport is what resolve settled.
type ResolveReport struct {
	Keep     string              `json:"keep"`
	Resolved []engine.KeyOutcome `json:"resolved"`
	Failed   []engine.KeyOutcome `json:"failed"`
	lines    []string
}

// Lines is one line per settled or failed key.
func (r ResolveReport) Lines() []string { return r.lines }
