package daemon

import (
	"time"

	"github.com/storesyncer/storesyncer/internal/metrics"
	"github.com/storesyncer/storesyncer/watcher"
)

// watchInfo is what the daemon knows of the watcher's health, for status. Guarded by
// Daemon.mu.
type watchInfo struct {
	lastRescan *time.Time
	err        string
	// stopped is set when the watcher ended with an error.
	stopped bool
}

// watcherMetrics feeds the watcher's counters to the metrics and its errors to status.
type watcherMetrics struct{ d *Daemon }

var _ watcher.Metrics = watcherMetrics{}

func (w watcherMetrics) Event(op string)           { w.d.metrics.WatcherEvent(op) }
func (w watcherMetrics) Ignored(reason string)     { w.d.metrics.WatcherEventIgnored(reason) }
func (w watcherMetrics) Overflow()                 { w.d.metrics.WatcherOverflow() }
func (w watcherMetrics) Rescan(watcher.Trigger)    {} // counted with its duration by the pipeline
func (w watcherMetrics) Flush(watcher.Reason, int) {}

// Error counts a watcher error and shows it in status until the next rescan.
func (w watcherMetrics) Error(kind string) {
	label := metrics.WatcherErrorBackend
	if kind == "add" {
		label = metrics.WatcherErrorLimit
	}
	w.d.metrics.WatcherError(label)
	w.d.mu.Lock()
	w.d.watchInfo.err = "the file watcher reported an error (kind " + kind + "); changes are found by rescans until it recovers"
	w.d.mu.Unlock()
}

// setLastRescan records a finished full rescan, which also clears a watcher error.
func (d *Daemon) setLastRescan(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.watchInfo.lastRescan = &t
	d.watchInfo.err = ""
}

// setWatchError records that the watcher stopped.
func (d *Daemon) setWatchError(err error) {
	d.metrics.SetWatcherUp(false)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.watchInfo.err = err.Error()
	d.watchInfo.stopped = true
}

// updateWatchedDirs sets storesyncer_watcher_watched_dirs to what the watcher watches (what
// status shows) and returns it; the pipeline calls it after each batch.
func (d *Daemon) updateWatchedDirs() int {
	d.mu.Lock()
	w := d.watch
	d.mu.Unlock()
	if w == nil {
		return 0
	}
	n := w.WatchedDirs()
	d.metrics.SetWatchedDirs(n)
	return n
}
