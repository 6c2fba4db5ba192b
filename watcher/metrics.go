package watcher

// Metrics receives the watcher's counters. The daemon's metrics package implements it with
// Prometheus counters; every label value comes from a fixed set. Gauges (watched folders,
// pending paths) are read with Watcher.WatchedDirs and Watcher.PendingPaths instead, so a
// GaugeFunc can read the live value. Methods are called from the watcher's goroutines and
// must be safe for concurrent use and cheap.
type Metrics interface {
	// Event counts a raw fsnotify event; op is "create", "write", "remove", "rename" or "chmod".
	Event(op string)
	// Ignored counts an event that was dropped; reason is "ignore_rule", "chmod_only" or
	// "outside_roots".
	Ignored(reason string)
	// Overflow counts a kernel or internal queue overflow.
	Overflow()
	// Error counts a watcher error; kind is "watch" (fsnotify's error channel) or "add"
	// (a folder could not be watched, e.g. the inotify watch limit).
	Error(kind string)
	// Rescan counts a full rescan request.
	Rescan(trigger Trigger)
	// Flush counts a flushed batch of n changes.
	Flush(reason Reason, n int)
}

// nopMetrics is the Metrics used when Config.Metrics is nil.
type nopMetrics struct{}

func (nopMetrics) Event(string)      {}
func (nopMetrics) Ignored(string)    {}
func (nopMetrics) Overflow()         {}
func (nopMetrics) Error(string)      {}
func (nopMetrics) Rescan(Trigger)    {}
func (nopMetrics) Flush(Reason, int) {}

var _ Metrics = nopMetrics{}
