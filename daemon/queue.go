package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/metrics"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/state"
)

// jobQueue turns plans into the persisted job queue (intents → jobs): one job per resource
// with work, held while its writes need approval, dropped when the resource has nothing left
// to do. Its state is the state's jobs table, so it is safe for concurrent use; the
// dispatcher (workers.go) runs the jobs.
type jobQueue struct {
	store   *state.Store
	metrics *metrics.Metrics
	hub     *hub
	log     *slog.Logger
	sync    *config.Sync
	// wake tells the dispatcher that jobs may be due.
	wake func()
}

func newJobQueue(d *Daemon) *jobQueue {
	return &jobQueue{store: d.store, metrics: d.metrics, hub: d.hub, log: d.log, sync: &d.cfg.Sync, wake: func() { poke(d.workc) }}
}

// Hold reasons shown on held jobs.
const (
	holdAutoOff = "auto sync is off ([sync] auto = false): approve with `storesyncer approve --all` (or `storesyncer push`)"
	holdTooMany = "%d operations exceed approve_over (%d): approve with `storesyncer approve --all` (or `storesyncer push`)"
)

// approvalHold reports whether a job's hold reason is a wait for approval (not a conflict
// or a version that cannot be written).
func approvalHold(reason string) bool {
	return reason == holdAutoOff || strings.Contains(reason, "exceed approve_over")
}

// releaseResolved makes app's jobs held for a conflict pending again at once (held for
// approval when auto sync is off): a resolve settled what held them, and the worker re-plans
// each job before it writes, so one still in conflict is held again with the current reason.
func (q *jobQueue) releaseResolved(ctx context.Context, app string) {
	jobs, err := q.store.Jobs(ctx, state.JobFilter{App: app, States: []state.JobState{state.JobHeld}})
	if err != nil {
		q.log.Warn("release resolved jobs", "app", app, "error", err)
		return
	}
	hold := ""
	if !q.sync.Auto {
		hold = holdAutoOff
	}
	for _, j := range jobs {
		if approvalHold(j.HeldReason) {
			continue
		}
		if _, err := q.store.Upsert(ctx, state.JobIntent{App: app, Resource: j.Resource, Keys: j.Keys, Intent: j.Intent, IntentHash: j.IntentHash, HoldReason: hold}); err != nil {
			q.log.Warn("release resolved job", "app", app, "job", j.ID, "error", err)
		}
	}
	q.wake()
}

// enqueue turns a plan of app, computed for scope (nil: every key), into the job queue:
// one job per resource with writes or pulls (held when writes need approval; pulls alone never
// wait), pending jobs of resources that became no-ops deleted, the Daemon records conflicts and problems (recordPlan).
// Pulls are written by the workers, like every other change.
func (q *jobQueue) enqueue(ctx context.Context, app string, res *engine.PlanResult, scope []plan.Key) error {
	q.log.Debug("reconcile", "app", app, "scope", len(scope), "ops", len(res.Plan.Ops), "writes", countWrites(res.Plan.Ops))
	existing, err := q.store.Jobs(ctx, state.JobFilter{App: app})
	if err != nil {
		return err
	}
	jobs := map[plan.ResourceKey]state.Job{}
	for _, j := range existing {
		jobs[plan.ResourceKey(j.Resource)] = j
	}
	writes := countWrites(res.Plan.Ops)
	hold := ""
	switch {
	case !q.sync.Auto:
		hold = holdAutoOff
	case writes > q.sync.ApproveOver:
		hold = fmt.Sprintf(holdTooMany, writes, q.sync.ApproveOver)
	}
	queued := map[plan.ResourceKey]bool{}
	byResource := map[plan.ResourceKey][]plan.Op{}
	for _, op := range res.Plan.Ops {
		byResource[op.Resource] = append(byResource[op.Resource], op)
	}
	for _, rk := range slices.Sorted(maps.Keys(byResource)) {
		in, ok := newIntent(rk, byResource[rk])
		if !ok {
			continue
		}
		queued[rk] = true
		hold := hold
		if in.pullsOnly() {
			hold = ""
		}
		data, hash := in.encode()
		if cur, ok := jobs[rk]; ok && cur.IntentHash == hash && cur.State != state.JobDone && cur.State != state.JobFailed &&
			(cur.State != state.JobHeld || approvalHold(cur.HeldReason)) {
			// The same work is already queued (a save that changed nothing); a job held for
			// approval stays held, since approval was asked for this work. A job held for a
			// conflict or the version that this plan can write goes on.
			q.metrics.ChangeUnchanged()
			continue
		}
		j, err := q.store.Upsert(ctx, state.JobIntent{App: app, Resource: string(rk), Keys: in.keys(), Intent: data, IntentHash: hash, HoldReason: hold})
		if err != nil {
			return err
		}
		q.metrics.JobEnqueued(jobKind(rk))
		if hold != "" {
			q.log.Info("job waits for approval", "app", app, "job", j.ID, "resource", rk, "keys", strings.Join(in.keys(), ","), "reason", hold)
		}
		q.hub.add(ctx, EventJobQueued, app, map[string]any{"job": j.ID, "resource": rk, "keys": in.keys(), "state": j.State, "held_reason": hold,
			"message": fmt.Sprintf("queued %s (%s)", rk, strings.Join(in.keys(), ", "))})
		q.wake()
	}
	inScope := scopeResources(scope)
	for rk, j := range jobs {
		if queued[rk] || (inScope != nil && !inScope[rk]) || j.State == state.JobInFlight && !j.HasNext {
			continue
		}
		dropped, err := q.store.DeleteJob(ctx, app, string(rk))
		if err != nil {
			return err
		}
		if dropped {
			q.metrics.ChangeUnchanged()
			q.metrics.JobCompleted(jobKind(rk), "dropped", 0)
			q.hub.add(ctx, EventJobDropped, app, map[string]any{"job": j.ID, "resource": rk, "message": fmt.Sprintf("dropped %s: nothing left to write", rk)})
		}
	}
	return nil
}

// scopeResources returns the resources of scope; nil means every resource.
func scopeResources(scope []plan.Key) map[plan.ResourceKey]bool {
	if scope == nil {
		return nil
	}
	out := map[plan.ResourceKey]bool{}
	for _, k := range scope {
		out[k.Resource()] = true
	}
	return out
}

// jobKind is the metrics kind of resource r.
func jobKind(r plan.ResourceKey) string {
	k := plan.Key(r)
	if kind, _, ok := k.Media(); ok && k.IsMedia() {
		if kind == plan.Preview {
			return "appPreviewSets"
		}
		return "appScreenshotSets"
	}
	_, res, _ := strings.Cut(string(r), "/")
	return res
}

// countWrites counts the ops that write to App Store Connect.
func countWrites(ops []plan.Op) int {
	n := 0
	for _, op := range ops {
		if op.Kind.Writes() {
			n++
		}
	}
	return n
}
