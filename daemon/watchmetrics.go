package daemon

import (
	"time"

	"github.com/storesyncer/storesyncer/internal/metrics"
	"github.com/storesyncer/storesyncer/watcher"
)

// watchInfo is what the daemon knows of the watcher's health, for status. Guarded by
// registry.mu.
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
	w.d.apps.setWatchErrorText("the file watcher reported an error (kind " + kind + "); changes are found by rescans until it recovers")
}
