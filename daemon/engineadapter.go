package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// Exit codes of OpResult, as the CLI uses them.
const (
	exitFailure    = statusapi.ExitFailure
	exitUsage      = statusapi.ExitUsage
	exitValidation = statusapi.ExitValidation
	exitConflict   = statusapi.ExitConflict
)

// engineAdapter is the daemon's Engine on top of internal/engine.
type engineAdapter struct{ e *engine.Engine }

var _ Engine = engineAdapter{}

// Plan is engine.Plan.
func (a engineAdapter) Plan(ctx context.Context, app string, opts engine.PlanOptions) (*engine.PlanResult, error) {
	return a.e.Plan(ctx, app, opts)
}

// RecordSeen is engine.RecordSeen.
func (a engineAdapter) RecordSeen(ctx context.Context, res *engine.PlanResult) error {
	return a.e.RecordSeen(ctx, res)
}

// Sync pushes keys and sorts every key into the result's categories.
func (a engineAdapter) Sync(ctx context.Context, app string, keys []plan.Key, progress func(engine.Progress)) (SyncResult, error) {
	res, err := a.e.Push(ctx, app, engine.PushOptions{Keys: keys, Progress: progress, Reuse: true})
	if res == nil {
		return SyncResult{}, err
	}
	out := SyncResult{Failed: map[plan.Key]error{}, Conflicts: map[plan.Key]string{}, Held: map[plan.Key]string{}, Calls: res.Calls}
	for _, f := range res.Failed {
		out.Failed[f.Op.Key] = f.Err
	}
	for _, op := range res.Conflicts {
		out.Conflicts[op.Key] = op.Reason
	}
	for _, op := range res.Held {
		if busySet(op) {
			out.Busy = append(out.Busy, op.Key)
			continue
		}
		out.Held[op.Key] = op.Reason
	}
	for _, k := range keys {
		_, f := out.Failed[k]
		_, c := out.Conflicts[k]
		_, h := out.Held[k]
		if !f && !c && !h && !slices.Contains(out.Busy, k) {
			out.Done = append(out.Done, k)
		}
	}
	if err != nil && ctx.Err() == nil {
		// The state could not be written after the writes: report the keys as failed so the
		// jobs retry (a retry re-plans and finds them in step).
		for _, k := range out.Done {
			out.Failed[k] = err
		}
		out.Done = nil
	}
	return out, nil
}

// busySet reports a held media op that waits only for App Store Connect's processing.
func busySet(op plan.Op) bool {
	if !op.Key.IsMedia() {
		return false
	}
	if op.Remote.Busy {
		return true
	}
	for _, as := range op.Remote.Assets {
		switch {
		case as.State == plan.StateUploadComplete || as.State == plan.StateProcessing:
			return true
		case (as.State == "" || as.State == plan.StateComplete) && as.Checksum == "":
			return true
		}
	}
	return false
}

// Push runs a push of the whole app. The daemon cannot ask: a --prune that deletes needs Yes.
func (a engineAdapter) Push(ctx context.Context, req statusapi.PushRequest) (statusapi.OpResult, error) {
	opts := engine.PushOptions{Only: plan.Only(req.Only), Prune: req.Prune}
	if !req.Yes {
		opts.Confirm = func(*engine.PlanResult) bool { return false }
	}
	res, err := a.e.Push(ctx, req.App, opts)
	if errors.Is(err, engine.ErrNotConfirmed) {
		return opFailure(exitFailure, "push.not_confirmed", "", fmt.Errorf("%w: --prune deletes on App Store Connect; pass --yes while the daemon runs", err)), nil
	}
	if err != nil {
		return engineFailure("push.failed", err), nil
	}
	hasErrors := res.HasInvalidKeys()
	r := statusapi.OpResult{Output: mustJSON(res.Report()), Lines: res.Lines()}
	switch {
	case len(res.Failed) > 0:
		r.ExitCode = exitFailure
	case len(res.Conflicts) > 0:
		r.ExitCode = exitConflict
	case hasErrors:
		r.ExitCode = exitValidation
	}
	return r, nil
}

// Pull pulls into a collection; its answer is what `storesyncer pull` prints in-process.
func (a engineAdapter) Pull(ctx context.Context, req statusapi.PullRequest) (statusapi.OpResult, error) {
	res, err := a.e.Pull(ctx, req.App, engine.PullOptions{Into: req.Into, Force: req.Force})
	if err != nil {
		return engineFailure("pull.failed", err), nil
	}
	r := statusapi.OpResult{Output: mustJSON(res.Report(req.App)), Lines: res.Lines()}
	if len(res.Conflicts) > 0 {
		r.ExitCode = exitConflict
	}
	return r, nil
}

// Resolve settles conflicts; its answer is what `storesyncer resolve` prints in-process.
func (a engineAdapter) Resolve(ctx context.Context, req statusapi.ResolveRequest) (statusapi.OpResult, error) {
	var keys []plan.Key
	for _, s := range req.Keys {
		k, err := plan.ParseKey(s)
		if err != nil {
			return opFailure(exitUsage, "usage", "", err), nil
		}
		keys = append(keys, k)
	}
	if !req.All && len(keys) == 0 {
		return opFailure(exitUsage, "usage", "", errors.New("resolve: name keys or pass --all")), nil
	}
	res, err := a.e.Resolve(ctx, req.App, keys, plan.Side(req.Keep))
	if err != nil {
		return engineFailure("resolve.failed", err), nil
	}
	var lines []string
	if len(res.Resolved)+len(res.Failed) == 0 {
		lines = append(lines, "no key is in conflict")
	}
	what := "the next push sends the local value"
	if res.Keep == plan.KeepRemote {
		what = "the remote value is in the collection"
	}
	for _, op := range res.Resolved {
		lines = append(lines, fmt.Sprintf("resolved  %s (%s): %s", op.Key, op.Reason, what))
	}
	for _, f := range res.Failed {
		lines = append(lines, fmt.Sprintf("failed    %s: %v", f.Op.Key, f.Err))
	}
	r := statusapi.OpResult{Output: mustJSON(map[string]any{"keep": req.Keep, "resolved": engine.Outcomes(res.Resolved), "failed": engine.FailureOutcomes(res.Failed)}), Lines: lines}
	if len(res.Failed) > 0 {
		r.ExitCode = exitFailure
	}
	return r, nil
}

// AppsAdd adds an app and pulls collection main; its answer is what `storesyncer apps add`
// prints in-process.
func (a engineAdapter) AppsAdd(ctx context.Context, req statusapi.AppsAddRequest) (statusapi.OpResult, error) {
	res, err := a.e.AddApp(ctx, req.BundleID, req.Platform, req.Account)
	if err != nil {
		return engineFailure("apps.add", err), nil
	}
	out := map[string]any{
		"app":     map[string]string{"bundle_id": res.App.BundleID, "platform": string(res.App.Platform), "name": res.App.Name, "active": res.App.Active},
		"version": res.Pull.Version.String, "state": res.Pull.Version.State,
		"texts": len(res.Pull.Texts), "sets": len(res.Pull.Sets), "dir": res.Pull.Dir,
	}
	line := fmt.Sprintf("added %s (%s, %s): pulled version %s (%s) into %s: %d text(s), %d set(s)",
		res.App.BundleID, res.App.Name, res.App.Platform, res.Pull.Version.String, res.Pull.Version.State,
		res.Pull.Dir, len(res.Pull.Texts), len(res.Pull.Sets))
	return statusapi.OpResult{Output: mustJSON(out), Lines: []string{line}}, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// engineFailure maps an engine error to the exit code and code the CLI gives it in-process.
func engineFailure(code string, err error) statusapi.OpResult {
	var ke *plan.KeyError
	var nf *remote.AppNotFoundError
	var nic *engine.NotInConflictError
	switch {
	case errors.As(err, &ke):
		return opFailure(exitUsage, "usage", "", err)
	case errors.As(err, &nic):
		return opFailure(exitUsage, "resolve.not_in_conflict", "", err)
	case errors.As(err, &nf):
		return opFailure(exitFailure, "app.not_found", "", err)
	case errors.Is(err, workspace.ErrBadName):
		return opFailure(exitUsage, "usage", "", err)
	case errors.Is(err, workspace.ErrNotFound):
		return opFailure(exitUsage, "not_found", "", err)
	case errors.Is(err, workspace.ErrExists), errors.Is(err, engine.ErrAppExists):
		return opFailure(exitFailure, "exists", "", err)
	case errors.Is(err, workspace.ErrActive):
		return opFailure(exitFailure, "collection.active", "", err)
	}
	return opFailure(exitFailure, code, "", err)
}

func opFailure(exit int, code, path string, err error) statusapi.OpResult {
	return statusapi.OpResult{ExitCode: exit, Error: &statusapi.ErrorBody{Code: code, Message: err.Error(), Path: path}}
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}
