package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/state"
)

// NotInConflictError lists keys resolve was asked to settle that are not in conflict. It
// matches plan.ErrNotInConflict.
type NotInConflictError struct {
	Keys []plan.Key
	// Conflicts are the keys that are in conflict, for the message.
	Conflicts []plan.Key
}

// Error names the keys.
func (e *NotInConflictError) Error() string {
	ks := make([]string, len(e.Keys))
	for i, k := range e.Keys {
		ks[i] = string(k)
	}
	msg := "not in conflict: " + strings.Join(ks, ", ")
	if len(e.Conflicts) == 0 {
		return msg + " (no key is in conflict)"
	}
	cs := make([]string, len(e.Conflicts))
	for i, k := range e.Conflicts {
		cs[i] = string(k)
	}
	return msg + " (in conflict: " + strings.Join(cs, ", ") + ")"
}

// Is makes errors.Is(err, plan.ErrNotInConflict) true.
func (e *NotInConflictError) Is(target error) bool { return target == plan.ErrNotInConflict }

// ResolveResult is what resolve settled.
type ResolveResult struct {
	Keep plan.Side
	// Resolved are the conflict ops that were settled, as the plan saw them.
	Resolved []plan.Op
	// Failed are the keys whose remote value could not be written (keep remote).
	Failed []KeyFailure
}

// Resolve settles conflicts of the app's active collection: the given keys, or every
// conflict when keys is empty. KeepLocal sets each key's base to App Store Connect's value,
// so the next push pushes the local one; KeepRemote writes the remote value into the
// collection (a text into its file, a set downloaded into its folder; an absent remote
// value removes the file or the folder's images) and stores it as the base. A key that is
// not in conflict makes it return a *NotInConflictError before anything is settled.
func (e *Engine) Resolve(ctx context.Context, bundleID string, keys []plan.Key, keep plan.Side) (*ResolveResult, error) {
	if keep != plan.KeepLocal && keep != plan.KeepRemote {
		return nil, fmt.Errorf("resolve: unknown side %q; want local or remote", keep)
	}
	a, r, ra, err := e.app(bundleID)
	if err != nil {
		return nil, err
	}
	pr, err := e.plan(ctx, a, r, ra, PlanOptions{Full: true})
	if err != nil {
		return nil, err
	}
	var conflicts []plan.Key
	for _, op := range pr.Plan.Conflicts() {
		conflicts = append(conflicts, op.Key)
	}
	if len(keys) == 0 {
		keys = conflicts
	}
	var missing []plan.Key
	for _, k := range keys {
		if !slices.Contains(conflicts, k) {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, &NotInConflictError{Keys: missing, Conflicts: conflicts}
	}
	if err := e.settleTarget(ctx, pr); err != nil {
		return nil, err
	}
	if err := e.storeSeen(ctx, pr); err != nil {
		return nil, err
	}
	res := &ResolveResult{Keep: keep}
	resolved := map[plan.Key]plan.Side{}
	for _, k := range keys {
		resolved[k] = keep
	}
	in := pr.Input
	in.Resolved = resolved
	settled := plan.Compute(in)
	bases := map[plan.Key]plan.Value{}
	for _, k := range keys {
		op, _ := pr.Plan.Op(k)
		h := state.HistoryEntry{App: a.BundleID, Key: string(k), Action: "resolve", Result: "ok", Detail: "keep " + string(keep) + " (" + op.Reason + ")"}
		if keep == plan.KeepLocal {
			bases[k] = baseOf(op.Remote)
		} else {
			pull, _ := settled.Op(k)
			if err := e.writePulled(ctx, r, pr, pull); err != nil {
				res.Failed = append(res.Failed, KeyFailure{Op: op, Err: err})
				h.Result, h.Detail = "failed", err.Error()
				e.history(ctx, h)
				continue
			}
			bases[k] = baseOf(op.Remote)
		}
		res.Resolved = append(res.Resolved, op)
		e.history(ctx, h)
	}
	if err := e.storeBases(ctx, a.BundleID, pr.Snapshot.Version.ID, bases); err != nil {
		return res, err
	}
	if len(res.Resolved) > 0 {
		e.event(ctx, "resolved", a.BundleID, map[string]any{"keep": keep, "keys": len(res.Resolved)})
	}
	return res, nil
}
