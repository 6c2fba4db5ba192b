package daemon

import (
	"context"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// Planner is the part of the sync engine the pipeline, the workers and the remote poll use.
// The daemon never calls it twice at once for the same app.
type Planner interface {
	// Plan computes what a push of app's active collection would do; it writes nothing.
	Plan(ctx context.Context, app string, opts engine.PlanOptions) (*engine.PlanResult, error)
	// Sync re-plans keys of app and executes what it finds: writes go to App Store Connect,
	// pulls into the collection's files, and bases, history and events are recorded. progress
	// receives upload reports and may be nil. The error is non-nil only when nothing could run
	// (app unknown, App Store Connect unreachable while planning).
	// jobs names the job of each resource, recorded with its uploads (nil: none).
	Sync(ctx context.Context, app string, keys []plan.Key, jobs map[plan.ResourceKey]int64, progress func(engine.Progress)) (SyncResult, error)
	// RecordSeen stores the bases a plan that read App Store Connect learned: keys found in
	// sync, own writes recognised (see engine.Engine.RecordSeen).
	RecordSeen(ctx context.Context, res *engine.PlanResult) error
	// LocalProblems reads app's active collection (dir) again as a whole and returns its
	// problems; it asks App Store Connect nothing (see engine.Engine.LocalProblems).
	LocalProblems(ctx context.Context, app string) (dir string, problems []collection.Problem, err error)
}

// Engine is what the daemon needs of internal/engine.
type Engine interface {
	Planner
}

// SyncResult is what Sync did, key by key. Every key Sync was given is in exactly one of Done,
// Failed, Conflicts or Held.
type SyncResult struct {
	// Done are keys now in step: written, pulled, or found already in step.
	Done []plan.Key
	// Pulled are the keys of Done whose remote value was written into the collection.
	Pulled []plan.Key
	// Failed are keys whose write failed, with why; they are retried.
	Failed map[plan.Key]error
	// Conflicts are keys that need `storesyncer resolve`, with the reason.
	Conflicts map[plan.Key]string
	// Held are keys that cannot be written now (invalid, version not editable), with why.
	Held map[plan.Key]string
	// Busy are keys whose set is still processing on App Store Connect; retried soon.
	Busy []plan.Key
	// Calls counts the App Store Connect API calls made.
	Calls int
	// ResourceCalls splits Calls by resource written (engine.PushResult.ResourceCalls).
	ResourceCalls map[plan.ResourceKey]int
	// Writes describes each write for people ("PATCH de-DE/appStoreVersionLocalizations").
	Writes []string
}
