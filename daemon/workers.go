package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/metrics"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// Retry timings.
const (
	// MaxAttempts is how many attempts a failing job gets before it is failed for good
	// (until `storesyncer jobs retry ID`).
	MaxAttempts = 10
	// busyRetry is the wait for a set whose assets still process on App Store Connect.
	busyRetry = 5 * time.Second
)

// dispatcher runs the queue's due jobs through the engine (the workers) and settles them from
// what happened to their keys. It asks the daemon's app registry (jobApps) for the app's
// lock, lease and error. Create it with newDispatcher; run it once with run.
type dispatcher struct {
	store   *state.Store
	eng     Engine
	apps    jobApps
	hub     *hub
	metrics *metrics.Metrics
	log     *slog.Logger
	clock   clock.Clock
	rand    func() float64
	sync    *config.Sync
	// paused holds every claim but those of jobs that only pull.
	paused *atomic.Bool
	// workc wakes run to look for due jobs; probe is the watchdog's proof that run turns.
	workc chan struct{}
	probe chan chan struct{}
}

// jobApps is what the dispatcher needs of the daemon's apps; *registry implements it.
type jobApps interface {
	appLock(app string) *sync.Mutex
	holds(app string) (dir string, ok bool)
	setAppError(app string, err error)
	recordOutcome(ctx context.Context, app string, res SyncResult)
}

func newDispatcher(d *Daemon) *dispatcher {
	return &dispatcher{store: d.store, eng: d.eng, apps: d.apps, hub: d.hub, metrics: d.metrics, log: d.log, clock: d.clock,
		rand: d.rand, sync: &d.cfg.Sync, paused: &d.paused, workc: d.workc, probe: d.dispatchProbe}
}

// appRun is the outcome of one worker run of an app's jobs.
type appRun struct {
	app  string
	jobs int
}

// run claims due jobs, up to [sync] concurrency at a time, and runs them: one
// goroutine per app, which hands all of the app's claimed jobs to the engine at once. Jobs
// claimed for an app that is busy wait for its run to end. When ctx is done it waits for the
// running goroutines; their jobs stay in_flight and are reset at the next start.
func (w *dispatcher) run(ctx context.Context) error {
	limit := max(1, w.sync.Concurrency)
	done := make(chan appRun)
	busy := map[string]bool{}
	waiting := map[string][]state.Job{}
	running := 0
	var timer clock.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		if running < limit {
			claim := w.store.Claim
			if w.paused.Load() {
				claim = w.claimPulls // pause holds uploads; App Store Connect's changes still come in
			}
			jobs, err := claim(ctx, w.clock.Now(), limit-running)
			if err != nil && ctx.Err() == nil {
				w.log.Warn("claim jobs", "error", err)
			}
			for _, j := range jobs {
				waiting[j.App] = append(waiting[j.App], j)
				running++
			}
		}
		for app, jobs := range waiting {
			if busy[app] {
				continue
			}
			busy[app] = true
			delete(waiting, app)
			go func() {
				w.runJobs(ctx, app, jobs)
				done <- appRun{app: app, jobs: len(jobs)}
			}()
		}
		if timer != nil {
			timer.Stop()
		}
		// At capacity or paused there is nothing to claim: a finished run or Resume wakes us.
		if running < limit && !w.paused.Load() {
			if wait, ok := w.nextDue(ctx); ok {
				timer = w.clock.AfterFunc(wait, func() { poke(w.workc) })
			}
		}
		select {
		case <-ctx.Done():
			for range len(busy) {
				<-done
			}
			return nil
		case r := <-done:
			delete(busy, r.app)
			running -= r.jobs
		case <-w.workc:
		case ack := <-w.probe:
			close(ack)
		}
	}
}

// claimPulls claims up to limit due jobs that only pull (intent.pullsOnly), earliest due
// first.
func (w *dispatcher) claimPulls(ctx context.Context, now time.Time, limit int) ([]state.Job, error) {
	jobs, err := w.store.Jobs(ctx, state.JobFilter{States: []state.JobState{state.JobPending, state.JobRetryWait}})
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, j := range jobs {
		var in intent
		if len(ids) < limit && !j.NextAttemptAt.After(now) && json.Unmarshal(j.Intent, &in) == nil && in.pullsOnly() {
			ids = append(ids, j.ID)
		}
	}
	return w.store.ClaimIDs(ctx, now, ids)
}

// nextDue returns how long until the earliest waiting job is due.
func (w *dispatcher) nextDue(ctx context.Context) (time.Duration, bool) {
	jobs, err := w.store.Jobs(ctx, state.JobFilter{States: []state.JobState{state.JobPending, state.JobRetryWait}})
	if err != nil || len(jobs) == 0 {
		return 0, false
	}
	next := jobs[0].NextAttemptAt
	for _, j := range jobs[1:] {
		if j.NextAttemptAt.Before(next) {
			next = j.NextAttemptAt
		}
	}
	return max(next.Sub(w.clock.Now()), 10*time.Millisecond), true
}

// runJobs executes the claimed jobs of app: it re-plans their keys and writes through the
// engine, then settles each job from what happened to its keys.
func (w *dispatcher) runJobs(ctx context.Context, app string, jobs []state.Job) {
	l := w.apps.appLock(app)
	l.Lock()
	defer l.Unlock()
	start := w.clock.Now()
	if _, ok := w.apps.holds(app); !ok {
		for _, j := range jobs {
			w.settle(ctx, j, func() error {
				return w.store.Fail(ctx, j.ID, errors.New("waiting: another machine holds the app's lease"), start.Add(LeaseTTL))
			})
		}
		return
	}
	var keys []plan.Key
	for _, j := range jobs {
		for _, k := range j.Keys {
			keys = append(keys, plan.Key(k))
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	progress := func(p engine.Progress) {
		if p.Phase == engine.PhaseUploaded {
			w.hub.add(ctx, EventUploaded, app, map[string]any{"key": p.Key, "file": p.FileName, "bytes": p.Bytes,
				"message": fmt.Sprintf("uploaded %s to %s", p.FileName, p.Key)})
		}
	}
	ids := make(map[plan.ResourceKey]int64, len(jobs))
	for _, j := range jobs {
		ids[plan.ResourceKey(j.Resource)] = j.ID
	}
	syncCtx := ctx
	keyNames := make([]string, len(keys))
	for i, k := range keys {
		keyNames[i] = string(k)
	}
	name, editedAsOf, err := w.store.Editor(ctx, app, keyNames)
	if err != nil && ctx.Err() == nil {
		w.log.Warn("read who edited", "app", app, "error", err)
	}
	if name != "" {
		// A member's dashboard edit: the history of its push names them.
		syncCtx = roles.WithCaller(ctx, roles.Caller{Name: name, App: app})
	}
	res, err := w.eng.Sync(syncCtx, app, keys, ids, progress)
	if ctx.Err() != nil {
		return // stopping: the jobs stay in flight and are reset at the next start
	}
	took := w.clock.Now().Sub(start)
	if err != nil {
		w.log.Warn("sync", "app", app, "error", err)
		w.apps.setAppError(app, err)
		for _, j := range jobs {
			w.retry(ctx, j, err, took)
		}
		return
	}
	w.apps.setAppError(app, nil)
	w.apps.recordOutcome(ctx, app, res)
	if editedAsOf > 0 && len(res.Done) > 0 {
		done := make([]string, len(res.Done))
		for i, k := range res.Done {
			done[i] = string(k)
		}
		if err := w.store.ForgetEdits(ctx, app, done, editedAsOf); err != nil {
			w.log.Warn("forget who edited pushed keys", "app", app, "error", err)
		}
	}
	if len(res.Pulled) > 0 {
		w.log.Info("pulled from App Store Connect", "app", app, "keys", joinKeys(res.Pulled), "api_calls", res.Calls)
	}
	for _, k := range res.Pulled {
		w.hub.add(ctx, EventPulled, app, map[string]any{"key": k, "message": fmt.Sprintf("pulled %s from App Store Connect", k)})
	}
	calls := jobCalls(jobs, res)
	for i, j := range jobs {
		w.finishJob(ctx, j, res, calls[i], took)
	}
	poke(w.workc)
}

// finishJob settles job j from res: failures retry with backoff, conflicts and holds wait for
// a decision, busy sets retry soon, the rest is done.
func (w *dispatcher) finishJob(ctx context.Context, j state.Job, res SyncResult, calls int, took time.Duration) {
	var failed []error
	var conflicts, held []string
	busy := false
	for _, s := range j.Keys {
		k := plan.Key(s)
		if e, ok := res.Failed[k]; ok {
			failed = append(failed, fmt.Errorf("%s: %w", k, e))
		}
		if r, ok := res.Conflicts[k]; ok {
			conflicts = append(conflicts, fmt.Sprintf("%s: %s", k, r))
		}
		if r, ok := res.Held[k]; ok {
			held = append(held, fmt.Sprintf("%s: %s", k, r))
		}
		busy = busy || slices.Contains(res.Busy, k)
	}
	kind := jobKind(plan.ResourceKey(j.Resource))
	switch {
	case len(failed) > 0:
		w.retry(ctx, j, errors.Join(failed...), took)
	case len(conflicts) > 0:
		reason := "conflict: settle with `storesyncer resolve KEY --keep local|remote`: " + strings.Join(conflicts, "; ")
		w.settle(ctx, j, func() error { return w.store.Hold(ctx, j.ID, reason) })
		w.log.Info("job waits for resolve", "app", j.App, "job", j.ID, "resource", j.Resource, "conflicts", strings.Join(conflicts, "; "))
		w.hub.add(ctx, EventJobHeld, j.App, map[string]any{"job": j.ID, "resource": j.Resource, "message": reason})
	case len(held) > 0:
		reason := "held: " + strings.Join(held, "; ")
		w.settle(ctx, j, func() error { return w.store.Hold(ctx, j.ID, reason) })
		w.log.Info("job held", "app", j.App, "job", j.ID, "resource", j.Resource, "reason", reason)
		w.hub.add(ctx, EventJobHeld, j.App, map[string]any{"job": j.ID, "resource": j.Resource, "message": reason})
	case busy:
		w.metrics.JobRetry(kind, "busy", took)
		w.settle(ctx, j, func() error {
			return w.store.Fail(ctx, j.ID, errors.New(errBusySet), w.clock.Now().Add(busyRetry))
		})
	default:
		w.settle(ctx, j, func() error { return w.store.Complete(ctx, j.ID) })
		w.metrics.JobCompleted(kind, "success", took)
		now := w.clock.Now()
		_ = w.store.SetSetting(ctx, state.KeyLastSync(j.App), now.UTC().Format(time.RFC3339))
		w.log.Info("job done", "app", j.App, "job", j.ID, "resource", j.Resource, "keys", strings.Join(j.Keys, ","),
			"api_calls", calls, "duration", took.Round(time.Millisecond))
		w.hub.add(ctx, EventJobCompleted, j.App, map[string]any{"job": j.ID, "resource": j.Resource, "keys": j.Keys, "calls": calls,
			"message": fmt.Sprintf("synced %s (%s)", j.Resource, strings.Join(j.Keys, ", "))})
	}
}

// retry records a failed attempt: the job waits with backoff, or fails for good after
// MaxAttempts.
func (w *dispatcher) retry(ctx context.Context, j state.Job, cause error, took time.Duration) {
	kind := jobKind(plan.ResourceKey(j.Resource))
	reason := errorReason(cause)
	w.metrics.SyncError(reason)
	var next time.Time
	if j.Attempts < MaxAttempts {
		next = w.clock.Now().Add(backoff(j.Attempts, w.rand()))
		w.metrics.JobRetry(kind, reason, took)
	} else {
		w.metrics.JobCompleted(kind, "failed", took)
	}
	w.settle(ctx, j, func() error { return w.store.Fail(ctx, j.ID, cause, next) })
	if next.IsZero() {
		w.log.Error("job failed for good", "app", j.App, "job", j.ID, "resource", j.Resource, "keys", strings.Join(j.Keys, ","),
			"attempts", j.Attempts, "error", cause, "retry", fmt.Sprintf("storesyncer jobs retry %d", j.ID))
	} else {
		w.log.Warn("job attempt failed", "app", j.App, "job", j.ID, "resource", j.Resource, "keys", strings.Join(j.Keys, ","),
			"attempt", j.Attempts, "error", cause, "next_attempt", next.Format(time.RFC3339))
	}
	msg := fmt.Sprintf("%s failed (attempt %d): %v", j.Resource, j.Attempts, cause)
	if !next.IsZero() {
		msg += fmt.Sprintf("; retrying at %s", next.Format(time.TimeOnly))
	}
	w.hub.add(ctx, EventJobFailed, j.App, map[string]any{"job": j.ID, "resource": j.Resource, "attempt": j.Attempts, "error": cause.Error(), "message": msg})
}

// settle runs a state change of a job and logs when it fails (the job then stays in flight
// and is reset at the next start).
func (w *dispatcher) settle(ctx context.Context, j state.Job, f func() error) {
	if err := f(); err != nil && ctx.Err() == nil {
		w.log.Warn("update job", "job", j.ID, "resource", j.Resource, "error", err)
	}
}

// jobCalls splits a run's API calls over its jobs: each job its resource's share
// (SyncResult.ResourceCalls), and the first job what no resource took (the reads of a run
// that wrote nothing), so the jobs add up to the run and each job's event, log line and
// history rows give the same number.
func jobCalls(jobs []state.Job, res SyncResult) []int {
	out := make([]int, len(jobs))
	left := res.Calls
	for i, j := range jobs {
		out[i] = res.ResourceCalls[plan.ResourceKey(j.Resource)]
		left -= out[i]
	}
	if len(out) > 0 && left > 0 {
		out[0] += left
	}
	return out
}
