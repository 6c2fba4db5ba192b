package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/state"
)

// PushOptions are the choices of one push. The zero value pushes everything with the
// configured concurrency.
type PushOptions struct {
	Only  plan.Only
	Prune bool
	// Keys, when set, restricts the push to these keys.
	Keys []plan.Key
	// Concurrency is how many resources are written at once; 0 takes [sync] concurrency.
	Concurrency int
	// Progress, when set, receives progress reports (see Progress).
	Progress func(Progress)
	// Reuse plans from the engine's last read of the collection, for a caller that watches
	// its folder and has planned every change since (the daemon's worker; PlanOptions.Reuse).
	Reuse bool
	// Confirm, when set, is asked before a plan that deletes anything (Prune) is executed;
	// false stops the push with ErrNotConfirmed before any write.
	Confirm func(*PlanResult) bool
	// JobIDs names the daemon's job of each resource, recorded with that resource's upload
	// reservations; a resource without one records 0.
	JobIDs map[plan.ResourceKey]int64
}

// ErrNotConfirmed is returned when PushOptions.Confirm declined a plan.
var ErrNotConfirmed = errors.New("not confirmed; nothing was pushed")

// Deletes returns the plan's Delete ops (push --prune).
func (r *PlanResult) Deletes() []plan.Op {
	var out []plan.Op
	for _, op := range r.Plan.Ops {
		if op.Kind == plan.Delete {
			out = append(out, op)
		}
	}
	return out
}

// KeyFailure is a key that could not be pushed or pulled, with why.
type KeyFailure struct {
	Op  plan.Op
	Err error
}

// PushResult is what a push did.
type PushResult struct {
	// Plan is the plan that was executed.
	Plan *PlanResult
	// Pushed are the write ops that reached App Store Connect; Pulled the pull ops whose
	// remote value was written into the collection.
	Pushed []plan.Op
	Pulled []plan.Op
	// Failed are the ops that did not complete.
	Failed []KeyFailure
	// Conflicts and Held are the ops that wait for a decision or for the version.
	Conflicts []plan.Op
	Held      []plan.Op
	// Calls counts API requests (fetch included); Uploaded counts bytes sent.
	Calls    int
	Uploaded int64
	// ResourceCalls splits Calls by the resource written: each resource's writes, with the
	// reads before them counted for the first resource that reported. The history rows of a
	// resource's keys add up to the same number, so a job, its log line and its history agree.
	ResourceCalls map[plan.ResourceKey]int
}

// Push plans the app's active collection and executes the plan: pulls are written into the
// files, writes go to App Store Connect resource by resource (localizations before sets), and
// every key that got there has its base updated. It reads the remote side of every key it
// reports on: every text, and the sets of every locale with a managed set (2 requests per
// such locale), so a set changed on the web is a conflict, not "in sync". Conflicts and held keys are reported, not
// touched. The error is non-nil only when nothing could be planned or the state could not be
// written; failed keys are in PushResult.Failed.
func (e *Engine) Push(ctx context.Context, bundleID string, opts PushOptions) (*PushResult, error) {
	a, r, ra, err := e.app(bundleID)
	if err != nil {
		return nil, err
	}
	pr, err := e.plan(ctx, a, r, ra, PlanOptions{Only: opts.Only, Prune: opts.Prune, Keys: opts.Keys, Managed: true, Reuse: opts.Reuse})
	if err != nil {
		return nil, err
	}
	if opts.Confirm != nil && len(pr.Deletes()) > 0 && !opts.Confirm(pr) {
		return &PushResult{Plan: pr, Calls: pr.Snapshot.Calls}, ErrNotConfirmed
	}
	return e.execute(ctx, r, ra, pr, opts)
}

// execute runs a computed plan.
func (e *Engine) execute(ctx context.Context, r Remote, ra remote.App, pr *PlanResult, opts PushOptions) (*PushResult, error) {
	app, snap := pr.App.BundleID, pr.Snapshot
	res := &PushResult{Plan: pr, Calls: snap.Calls}
	if err := e.settleTarget(ctx, pr); err != nil {
		return res, err
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(Progress) {}
	}
	items, bytes := totals(pr.Plan.Ops)
	progress(Progress{Phase: PhaseStart, Items: items, Bytes: bytes})

	var writes []plan.Op
	for _, op := range pr.Plan.Ops {
		switch {
		case op.Kind == plan.InSync:
		case op.Kind == plan.Conflict:
			res.Conflicts = append(res.Conflicts, op)
		case op.Kind == plan.Held:
			res.Held = append(res.Held, op)
		case op.Kind == plan.Pull:
			e.pullOp(ctx, r, pr, op, res, progress)
		case op.Kind.Writes():
			writes = append(writes, op)
		}
	}
	if err := e.storeSeen(ctx, pr); err != nil {
		return res, err
	}
	if err := e.applyWrites(ctx, r, ra, pr, writes, opts, res, progress); err != nil {
		return res, err
	}
	if len(res.Failed) == 0 {
		if err := e.store.SetSetting(ctx, state.KeyLastSync(app), e.now().UTC().Format(time.RFC3339)); err != nil {
			return res, err
		}
	}
	if len(res.Pushed)+len(res.Pulled)+len(res.Failed) > 0 {
		e.event(ctx, "push", app, map[string]any{"pushed": len(res.Pushed), "pulled": len(res.Pulled),
			"failed": len(res.Failed), "conflicts": len(res.Conflicts), "calls": res.Calls})
	}
	return res, nil
}

// RecordSeen stores what a plan that read App Store Connect learned without writing
// anything there: the base of every key found in sync (L = R) whose stored base differs or
// is missing — so a later web-side edit of it is a pull, not a "first sync" conflict — and
// the bases of the plan's Adopted keys; the first time, it records the target version. A
// local-only plan records nothing, and neither does one whose target version changed (the
// push that follows stores the re-baseline). It fails with state.ErrReadOnly on a
// read-only store.
func (e *Engine) RecordSeen(ctx context.Context, pr *PlanResult) error {
	if pr.LocalOnly || pr.Snapshot == nil || pr.Rebaselined {
		return nil
	}
	if err := e.settleTarget(ctx, pr); err != nil {
		return err
	}
	return e.storeSeen(ctx, pr)
}

// storeSeen stores the bases of pr's in-sync keys that changed and of its adopted own
// writes, and forgets the write records they settle.
func (e *Engine) storeSeen(ctx context.Context, pr *PlanResult) error {
	seen := map[plan.Key]plan.Value{}
	for k, v := range pr.Adopted {
		seen[k] = v
	}
	for _, op := range pr.Plan.Ops {
		if op.Kind == plan.InSync && op.NewBase != nil && !same(pr.Input.Base[op.Key], *op.NewBase) {
			seen[op.Key] = *op.NewBase
		}
	}
	if len(seen) == 0 {
		return nil
	}
	if err := e.storeBases(ctx, pr.App.BundleID, pr.Snapshot.Version.ID, seen); err != nil {
		return err
	}
	e.forgetWriting(ctx, pr.App.BundleID, slices.Collect(maps.Keys(seen)))
	return nil
}

// settleTarget stores a re-baseline, or records the target version the first time.
func (e *Engine) settleTarget(ctx context.Context, pr *PlanResult) error {
	if pr.Rebaselined {
		return e.rebaseline(ctx, pr.App.BundleID, pr)
	}
	t, ok, err := e.RecordedTarget(ctx, pr.App.BundleID)
	if err != nil {
		return err
	}
	v := pr.Snapshot.Version
	if !ok || t.ID != v.ID || t.State != v.State || t.String != v.String {
		return e.recordTarget(ctx, pr.App.BundleID, v)
	}
	return nil
}

// pullOp writes a pulled value into the collection and stores its base.
func (e *Engine) pullOp(ctx context.Context, r Remote, pr *PlanResult, op plan.Op, res *PushResult, progress func(Progress)) {
	err := e.writePulled(ctx, r, pr, op)
	if err == nil && op.NewBase != nil {
		err = e.storeBases(ctx, pr.App.BundleID, pr.Snapshot.Version.ID, map[plan.Key]plan.Value{op.Key: *op.NewBase})
	}
	h := state.HistoryEntry{App: pr.App.BundleID, Key: string(op.Key), Action: "pull", Result: "ok", Detail: op.Reason, Member: roles.Web}
	if err != nil {
		res.Failed = append(res.Failed, KeyFailure{Op: op, Err: err})
		h.Result, h.Detail = "failed", err.Error()
		progress(Progress{Phase: PhaseFailed, Key: op.Key, Kind: op.Kind, Err: err})
	} else {
		res.Pulled = append(res.Pulled, op)
		progress(Progress{Phase: PhaseDone, Key: op.Key, Kind: op.Kind})
	}
	e.history(ctx, h)
}

// writePulled writes the remote value of op into the collection: a text into its file (only
// if the file still holds what the plan saw), a set into its folder.
func (e *Engine) writePulled(ctx context.Context, r Remote, pr *PlanResult, op plan.Op) error {
	e.forgetLocal(pr.Dir)
	defer e.forgetLocal(pr.Dir)
	if !op.Key.IsMedia() {
		return pullText(textPath(pr.Dir, op.Key), op.Local.Text, op.Remote.Text)
	}
	c, _, err := e.loadCollection(ctx, pr.Dir, pr.App, false, nil)
	if err != nil {
		return err
	}
	sums, err := readChecksums(pr.Dir)
	if err != nil {
		return err
	}
	var local *collection.MediaSet
	for _, s := range c.Sets {
		if plan.MediaKey(s.Locale, plan.MediaKind(s.Kind), s.Type) == op.Key {
			local = &s
			break
		}
	}
	w := &setWriter{r: r, snap: pr.Snapshot, dir: pr.Dir, sums: sums}
	if _, err := w.write(ctx, op.Key, op.Remote, local); err != nil {
		return err
	}
	return writeChecksums(pr.Dir, sums)
}

// applyWrites runs the write groups through remote.Apply: every localization group first,
// then the sets, each phase with bounded concurrency.
func (e *Engine) applyWrites(ctx context.Context, r Remote, ra remote.App, pr *PlanResult, writes []plan.Op, opts PushOptions, res *PushResult, progress func(Progress)) error {
	groups := plan.Plan{Ops: writes}.Resources()
	conc := opts.Concurrency
	if conc < 1 {
		conc = e.sync.Concurrency
	}
	var mu sync.Mutex // guards res and serializes progress
	var storeErr error
	reads := res.Calls // what planning and pulls spent: counted for the first resource
	res.ResourceCalls = map[plan.ResourceKey]int{}
	report := func(g plan.Group, out remote.Result, applyErr error) {
		mu.Lock()
		defer mu.Unlock()
		res.Calls += out.Calls
		res.Uploaded += out.Uploaded
		rowCalls := out.Calls + reads // given to the group's first history row
		res.ResourceCalls[g.Resource] += rowCalls
		reads = 0
		calls := func() int { n := rowCalls; rowCalls = 0; return n }
		ops := map[plan.Key]plan.Op{}
		for _, op := range g.Ops {
			ops[op.Key] = op
		}
		done := map[plan.Key]plan.Value{}
		for _, k := range out.Done {
			done[k] = out.NewBases[k]
			res.Pushed = append(res.Pushed, ops[k])
			e.history(ctx, state.HistoryEntry{App: pr.App.BundleID, Key: string(k), Action: string(ops[k].Kind), Result: "ok", Detail: ops[k].Reason, APICalls: calls()})
			progress(Progress{Phase: PhaseDone, Key: k, Kind: ops[k].Kind})
			delete(ops, k)
		}
		for k, err := range out.Failed {
			var vs *remote.VersionStateError
			if errors.As(err, &vs) { // the version left the editable state: held, not broken
				op := ops[k]
				op.Kind, op.Reason = plan.Held, vs.Error()
				res.Held = append(res.Held, op)
				progress(Progress{Phase: PhaseFailed, Key: k, Kind: plan.Held, Err: err})
				delete(ops, k)
				continue
			}
			res.Failed = append(res.Failed, KeyFailure{Op: ops[k], Err: err})
			e.history(ctx, state.HistoryEntry{App: pr.App.BundleID, Key: string(k), Action: string(ops[k].Kind), Result: "failed", Detail: err.Error(), APICalls: calls()})
			progress(Progress{Phase: PhaseFailed, Key: k, Kind: ops[k].Kind, Err: err})
			delete(ops, k)
		}
		for k, op := range ops { // neither done nor failed: the group did not run
			err := applyErr
			if err == nil {
				err = errors.New("not applied")
			}
			res.Failed = append(res.Failed, KeyFailure{Op: op, Err: err})
			progress(Progress{Phase: PhaseFailed, Key: k, Kind: op.Kind, Err: err})
		}
		if err := e.storeBases(ctx, pr.App.BundleID, pr.Snapshot.Version.ID, done); err != nil {
			if storeErr == nil {
				storeErr = err
			}
		} else {
			e.forgetWriting(ctx, pr.App.BundleID, out.Done)
		}
	}
	for _, sets := range []bool{false, true} {
		eg, gctx := errgroup.WithContext(ctx)
		eg.SetLimit(conc)
		for _, g := range groups {
			if plan.Key(g.Resource).IsMedia() != sets {
				continue
			}
			src := fileSource{dir: pr.Dir, set: plan.Key(g.Resource), files: pr.local.files[plan.Key(g.Resource)]}
			eg.Go(func() error {
				if err := e.markWriting(gctx, pr.App.BundleID, pr.Snapshot.Version.ID, g.Ops); err != nil {
					report(g, remote.Result{}, err)
					return nil
				}
				out, err := r.Apply(gctx, ra, pr.Snapshot, g, remote.ApplyOptions{Source: src, Progress: remoteProgress(progress),
					JobID: opts.JobIDs[g.Resource]}) // each resource its own job
				report(g, out, err)
				return nil
			})
		}
		_ = eg.Wait()
	}
	if storeErr != nil {
		return fmt.Errorf("push %s: %w", pr.App.BundleID, storeErr)
	}
	return ctx.Err()
}

// same reports whether two bases hold the same content.
func same(a, b plan.Value) bool {
	if a.Text != b.Text {
		return false
	}
	ca, cb := a.Checksums(), b.Checksums()
	if len(ca) != len(cb) {
		return false
	}
	for i := range ca {
		if ca[i] != cb[i] {
			return false
		}
	}
	return true
}
