package daemon

import (
	"context"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strings"
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
			d.reloadApps(ctx)
			for _, app := range d.unplannedApps() {
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
	defer d.updateWatchedDirs() // a batch may have added or removed folders
	start := d.clock.Now()
	if b.Rescan {
		d.reloadApps(ctx)
		for _, app := range d.ourApps() {
			d.replan(ctx, app, nil)
		}
		d.unplannedApps() // every app was just planned
		took := d.clock.Now().Sub(start)
		d.metrics.Rescan(string(b.Trigger), took)
		d.setLastRescan(start)
		dirs := d.updateWatchedDirs()
		d.log.Info("rescan", "cause", string(b.Trigger), "apps", len(d.ourApps()), "watched_dirs", dirs, "duration", took.Round(time.Millisecond))
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
		d.reloadApps(ctx)
	}
	changes := map[string]*appChange{}
	for _, c := range b.Changes {
		if c.Kind != watcher.KindFile {
			continue
		}
		app, dir, ok := d.appOf(c.Path)
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
	for _, app := range d.unplannedApps() {
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
			d.refreshProblems(app)
		}
	}
}

// appOf finds the app whose active collection holds path.
func (d *Daemon) appOf(path string) (app, dir string, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, st := range d.apps {
		if !st.ours {
			continue
		}
		dir := d.ws.CollectionDir(id, st.app.Active)
		if path == dir || strings.HasPrefix(path, dir+string(filepath.Separator)) {
			return id, dir, true
		}
	}
	return "", "", false
}
