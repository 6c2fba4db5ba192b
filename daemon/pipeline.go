package daemon

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/watcher"
)

// runPipeline owns the step from the watcher's batches to the job queue: it maps changed paths
// to keys, re-plans them through the engine and turns the plan into jobs. It also reloads the
// apps when asked (reloadc) and plans every app that needs a full plan.
func (d *Daemon) runPipeline(ctx context.Context, w *watcher.Watcher) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case ack := <-d.pipelineProbe:
			close(ack)
		case b, ok := <-w.Batches():
			if !ok {
				return nil
			}
			d.handleBatch(ctx, b)
		case <-d.reloadc:
			d.apps.reloadApps(ctx)
			for _, app := range d.apps.unplannedApps() {
				d.replan(ctx, app, nil)
			}
		}
	}
}

// appChange is what one batch asks of one app.
type appChange struct {
	keys  []plan.Key
	whole bool
	// problems is set when a path named no key but may change the problems.
	problems bool
}

// handleBatch re-plans what batch b touched.
func (d *Daemon) handleBatch(ctx context.Context, b watcher.Batch) {
	defer d.apps.updateWatchedDirs() // a batch may have added or removed folders
	start := d.clock.Now()
	if b.Rescan {
		d.apps.reloadApps(ctx)
		for _, app := range d.apps.ourApps() {
			d.replan(ctx, app, nil)
		}
		d.apps.unplannedApps() // every app was just planned
		took := d.clock.Now().Sub(start)
		d.metrics.Rescan(string(b.Trigger), took)
		d.apps.setLastRescan(start)
		dirs := d.apps.updateWatchedDirs()
		d.log.Info("rescan", "cause", string(b.Trigger), "apps", len(d.apps.ourApps()), "watched_dirs", dirs, "duration", took.Round(time.Millisecond))
		return
	}
	if d.log.Enabled(ctx, slog.LevelDebug) {
		for _, c := range b.Changes {
			d.log.Debug("changed", "path", c.Path, "op", c.Op, "kind", c.Kind, "reason", b.Reason)
		}
	}
	d.metrics.DebounceFlush(string(b.Reason), len(b.Changes))
	d.metrics.DebounceBatch(len(b.Changes))
	if slices.ContainsFunc(b.Changes, func(c watcher.Change) bool { return c.Kind == watcher.KindAppConfig }) {
		d.apps.reloadApps(ctx)
	}
	changes := map[string]*appChange{}
	for _, c := range b.Changes {
		if c.Kind != watcher.KindFile {
			continue
		}
		app, dir, ok := d.apps.appOf(c.Path)
		if !ok {
			continue
		}
		ch := changes[app]
		if ch == nil {
			ch = &appChange{}
			changes[app] = ch
		}
		k, whole := pathKey(dir, c.Path)
		switch {
		case whole || c.Dir:
			ch.whole = true
		case k != "":
			ch.keys = append(ch.keys, k)
		default:
			ch.problems = true
		}
	}
	planned := map[string]bool{}
	for _, app := range d.apps.unplannedApps() {
		d.replan(ctx, app, nil)
		planned[app] = true
	}
	for _, app := range slices.Sorted(maps.Keys(changes)) {
		ch := changes[app]
		switch {
		case planned[app]:
		case ch.whole:
			d.replan(ctx, app, nil)
		case len(ch.keys) > 0:
			d.replan(ctx, app, expandKeys(ch.keys))
		case ch.problems:
			d.refreshProblems(ctx, app)
		}
	}
}
