package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// AssetSource opens the local file of an asset. Apply opens every file of a set when its job
// starts, sends each part straight from the open file as it goes (memory does not grow with
// the file), commits with the checksum the plan carries (the file is hashed once per change,
// by the collection), and checks after the parts that the file was not changed meanwhile.
type AssetSource interface {
	// Open opens the local file of a (see OpenFile).
	Open(a plan.Asset) (AssetFile, error)
}

// AssetFile is an open local file an upload reads its parts from.
type AssetFile interface {
	io.ReaderAt
	io.Closer
	// Size is the file's size when it was opened.
	Size() int64
	// Verify reports an error wrapping ErrFileChanged when the file was written since it was
	// opened, so the parts sent may mix two versions.
	Verify() error
}

// Phase names a step of Apply for progress reports.
type Phase string

// The phases a ProgressEvent reports.
const (
	PhaseWrite      Phase = "write"      // a localization or set write
	PhaseUploaded   Phase = "uploaded"   // an asset's parts were sent (Bytes); the commit is next
	PhaseProcessing Phase = "processing" // a poll round of a set
	PhaseRetry      Phase = "retry"      // an asset failed processing and is uploaded again
	PhaseDone       Phase = "done"       // a key finished
	PhaseFailed     Phase = "failed"     // a key failed
)

// ProgressEvent reports progress of Apply. The callback is never called twice at once, but
// may be called from the goroutines of a set's concurrent uploads.
type ProgressEvent struct {
	Resource plan.ResourceKey
	Key      plan.Key
	Phase    Phase
	// FileName and Bytes describe an uploaded asset.
	FileName string
	Bytes    int64
	// Err is set for PhaseFailed.
	Err error
}

// Result is what Apply did to one group, as plain data. Every key of the group is in Done or
// in Failed.
type Result struct {
	Resource plan.ResourceKey
	// Done are the keys that reached their planned state (pulls included: the engine writes
	// their files); NewBases holds their new bases (a zero Value deletes the base).
	Done     []plan.Key
	NewBases map[plan.Key]plan.Value
	// Failed are the keys that did not, with why. A *VersionStateError means the version left
	// the editable state mid-push (held, not broken); ErrFileChanged means a local file
	// changed since the plan.
	Failed map[plan.Key]error
	// Calls is how many API requests Apply made; Uploaded how many bytes it sent in parts.
	Calls    int
	Uploaded int64
}

// applier is one run of Apply.
type applier struct {
	r        *Remote
	app      App
	snap     *Snapshot
	src      AssetSource
	progress func(ProgressEvent)
	jobID    int64
	res      *Result

	// stateErr is set once the version has left the editable state; later writes are skipped.
	// It is written under versionMu; read it through versionErr where uploads run at once.
	stateErr *VersionStateError
	// versionMu guards the one version re-read per group.
	versionMu sync.Mutex
	// mu guards res's counters and serializes progress, for a set's concurrent uploads.
	mu sync.Mutex
}

// ApplyOptions are Apply's inputs besides the plan. The zero value applies texts only, with
// no progress and no job recorded.
type ApplyOptions struct {
	// Source opens the local media files of the group's uploads; nil for a text group.
	Source AssetSource
	// Progress, if set, is called for each upload phase (serialized).
	Progress func(ProgressEvent)
	// JobID is the caller's job for this group, recorded with the reservations it journals
	// (0 when there is none).
	JobID int64
}

// record journals res as this group's job's.
func (a *applier) record(ctx context.Context, res Reservation) int64 {
	res.JobID = a.jobID
	return a.r.record(ctx, res)
}

// versionErr returns stateErr, safely while a set's uploads run.
func (a *applier) versionErr() *VersionStateError {
	a.versionMu.Lock()
	defer a.versionMu.Unlock()
	return a.stateErr
}

func (a *applier) uploaded(n int64) {
	a.mu.Lock()
	a.res.Uploaded += n
	a.mu.Unlock()
}

// Apply executes group g (one resource) of a plan computed from snap. Writes follow DESIGN §5:
// one PATCH (or create) per localization carrying every changed field; a set's uploads at
// once from its files opened first, processing polled by listing the set with backoff, an old
// asset deleted once its replacement is COMPLETE, and one reorder when the final order
// differs (see the package doc). Writes answered 5xx are re-read before deciding.
// Pull ops are reported Done with their new base; the engine writes their files.
//
// The error is non-nil only when the group could not be run (nil snapshot, unknown resource,
// cancelled context); keys are then reported Failed too.
func (r *Remote) Apply(ctx context.Context, app App, snap *Snapshot, g plan.Group, opts ApplyOptions) (Result, error) {
	res := Result{Resource: g.Resource, NewBases: map[plan.Key]plan.Value{}, Failed: map[plan.Key]error{}}
	a := &applier{r: r, app: app, snap: snap, src: opts.Source, progress: opts.Progress, jobID: opts.JobID, res: &res}
	if snap == nil {
		err := fmt.Errorf("apply %s: no snapshot", g.Resource)
		a.failAll(g.Ops, err)
		return res, err
	}
	var err error
	if plan.Key(g.Resource).IsMedia() {
		for _, op := range g.Ops {
			if op.Kind == plan.Pull {
				a.done(op)
				continue
			}
			a.finish(op, a.applySet(ctx, op))
		}
	} else {
		err = a.applyLocalization(ctx, g)
	}
	if cerr := ctx.Err(); cerr != nil && err == nil {
		err = fmt.Errorf("apply %s: %w", g.Resource, cerr)
	}
	return res, err
}

func (a *applier) emit(ev ProgressEvent) {
	if a.progress != nil {
		ev.Resource = a.res.Resource
		a.mu.Lock()
		defer a.mu.Unlock()
		a.progress(ev)
	}
}

func (a *applier) done(op plan.Op) {
	a.res.Done = append(a.res.Done, op.Key)
	if op.NewBase != nil {
		a.res.NewBases[op.Key] = *op.NewBase
	}
	a.emit(ProgressEvent{Key: op.Key, Phase: PhaseDone})
}

func (a *applier) fail(k plan.Key, err error) {
	a.res.Failed[k] = err
	a.emit(ProgressEvent{Key: k, Phase: PhaseFailed, Err: err})
}

func (a *applier) finish(op plan.Op, err error) {
	if err != nil {
		a.fail(op.Key, err)
		return
	}
	a.done(op)
}

func (a *applier) failAll(ops []plan.Op, err error) {
	for _, op := range ops {
		a.fail(op.Key, err)
	}
}

// call counts one API request and returns err unchanged.
func (a *applier) call(err error) error {
	a.mu.Lock()
	a.res.Calls++
	a.mu.Unlock()
	return err
}

// unknown reports whether a write's outcome is unknown (5xx, timeout, lost connection).
func unknown(err error) bool { return errors.Is(err, ascapi.ErrWriteOutcomeUnknown) }

// stateRefusal reports whether App Store Connect refused a write because of a resource's
// state: the version may have left the editable state.
func stateRefusal(err error) bool {
	return ascapi.HasCode(err, "STATE_ERROR") || ascapi.HasCode(err, "ENTITY_ERROR.ATTRIBUTE.INVALID.INVALID_STATE") ||
		ascapi.HasCode(err, "ENTITY_ERROR.ATTRIBUTE.INVALID.UNMODIFIABLE")
}

// refused turns a refused write into a *VersionStateError when the target version is no
// longer in the state the plan saw (one re-read per group), and returns err otherwise.
func (a *applier) refused(ctx context.Context, err error) error {
	if !stateRefusal(err) {
		return err
	}
	a.versionMu.Lock()
	defer a.versionMu.Unlock()
	if a.stateErr != nil {
		return a.stateErr
	}
	v, _, gerr := a.r.c.Versions.Get(ctx, a.snap.Version.ID)
	a.call(nil)
	if gerr != nil {
		return err
	}
	now := toVersion(v)
	if now.State == a.snap.Version.State {
		return err
	}
	a.stateErr = &VersionStateError{Version: now.String, State: now.State, Err: err}
	a.r.log.InfoContext(ctx, "version left its state mid-push", "version", now.String, "state", now.State)
	return a.stateErr
}

// splitResource returns the locale and localization resource of a localization group.
func splitResource(rk plan.ResourceKey) (string, collection.Resource, bool) {
	locale, res, ok := strings.Cut(string(rk), "/")
	r := collection.Resource(res)
	return locale, r, ok && (r == collection.VersionLocalization || r == collection.InfoLocalization)
}
