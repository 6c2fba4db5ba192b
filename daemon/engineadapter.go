package daemon

import (
	"context"
	"slices"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
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

// LocalProblems is engine.LocalProblems.
func (a engineAdapter) LocalProblems(ctx context.Context, app string) (string, []collection.Problem, error) {
	return a.e.LocalProblems(ctx, app)
}

// Sync pushes keys and sorts every key into the result's categories.
func (a engineAdapter) Sync(ctx context.Context, app string, keys []plan.Key, jobs map[plan.ResourceKey]int64, progress func(engine.Progress)) (SyncResult, error) {
	res, err := a.e.Push(ctx, app, engine.PushOptions{Keys: keys, Progress: progress, Reuse: true, JobIDs: jobs})
	if res == nil {
		return SyncResult{}, err
	}
	out := SyncResult{Failed: map[plan.Key]error{}, Conflicts: map[plan.Key]string{}, Held: map[plan.Key]string{}, Calls: res.Calls, ResourceCalls: res.ResourceCalls}
	for _, f := range res.Failed {
		out.Failed[f.Op.Key] = f.Err
	}
	for _, op := range res.Conflicts {
		out.Conflicts[op.Key] = op.Reason
	}
	for _, op := range res.Pulled {
		out.Pulled = append(out.Pulled, op.Key)
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
