package metrics

import (
	"time"
)

// WatcherEvent counts a file event; op is create, write, remove, rename or chmod.
func (m *Metrics) WatcherEvent(op string) {
	if m == nil {
		return
	}
	m.watcherEvents.WithLabelValues(watcherOps.value(op)).Inc()
}

// WatcherEventIgnored counts an event dropped before debouncing; reason is temp_pattern,
// ignore_rule, chmod_only or not_allowlisted.
func (m *Metrics) WatcherEventIgnored(reason string) {
	if m == nil {
		return
	}
	m.watcherIgnored.WithLabelValues(ignoreReasons.value(reason)).Inc()
}

// WatcherOverflow counts an event-queue overflow.
func (m *Metrics) WatcherOverflow() {
	if m == nil {
		return
	}
	m.watcherOverflows.Inc()
}

// WatcherError counts a watcher error; kind is one of the WatcherError* constants.
func (m *Metrics) WatcherError(kind string) {
	if m == nil {
		return
	}
	m.watcherErrors.WithLabelValues(watcherErrKinds.value(kind)).Inc()
}

// SetWatchedDirs sets how many directories are watched.
func (m *Metrics) SetWatchedDirs(n int) {
	if m == nil {
		return
	}
	m.watcherWatchedDirs.Set(float64(n))
}

// SetWatcherUp records whether native file events arrive (false: degraded to rescans).
func (m *Metrics) SetWatcherUp(up bool) {
	if m == nil {
		return
	}
	m.watcherUp.Set(b2f(up))
}

// Rescan records a full rescan that took d; trigger is startup, periodic, overflow,
// watch_error, manual or api.
func (m *Metrics) Rescan(trigger string, d time.Duration) {
	if m == nil {
		return
	}
	m.rescans.WithLabelValues(rescanTriggers.value(trigger)).Inc()
	m.rescanDuration.Observe(d.Seconds())
}

// DebounceFlush counts n paths released by the debouncer for reason: quiet, max_wait,
// delete_delay or overflow.
func (m *Metrics) DebounceFlush(reason string, n int) {
	if m == nil {
		return
	}
	m.debounceFlushes.WithLabelValues(flushReasons.value(reason)).Add(float64(n))
}

// DebounceBatch records the size of one flushed batch.
func (m *Metrics) DebounceBatch(size int) {
	if m == nil {
		return
	}
	m.debounceBatchSize.Observe(float64(size))
}

// ChangeUnchanged counts a flushed change that changed nothing (same content hash).
func (m *Metrics) ChangeUnchanged() {
	if m == nil {
		return
	}
	m.changesUnchanged.Inc()
}

// ValidationFailure counts a validation problem; rule is its dotted problem code
// ("text.too_long"). Malformed codes, and new codes past the first 100, count as "other".
func (m *Metrics) ValidationFailure(rule string) {
	if m == nil {
		return
	}
	m.validationFails.WithLabelValues(m.validationRules.value(rule)).Inc()
}

// JobEnqueued counts a job put in the queue; kind is one of the Kind* constants.
func (m *Metrics) JobEnqueued(kind string) {
	if m == nil {
		return
	}
	m.jobsEnqueued.WithLabelValues(jobKinds.value(kind)).Inc()
}

// JobCompleted records a finished job attempt of kind that took d; result is success, failed
// or dropped. It also sets the last-attempt (and on success last-success) timestamps.
func (m *Metrics) JobCompleted(kind, result string, d time.Duration) {
	if m == nil {
		return
	}
	kind, result = jobKinds.value(kind), jobResults.value(result)
	m.jobsCompleted.WithLabelValues(kind, result).Inc()
	m.jobDuration.WithLabelValues(kind).Observe(d.Seconds())
	now := unix(m.now())
	m.lastAttempt.Set(now)
	if result == "success" {
		m.lastSuccess.Set(now)
	}
}

// JobRetry records a job attempt of kind that took d and will be retried; reason is one of the
// sync error reasons (validation, auth, rate_limited, conflict, not_found, server, network,
// timeout) or busy (assets still processing).
func (m *Metrics) JobRetry(kind, reason string, d time.Duration) {
	if m == nil {
		return
	}
	kind = jobKinds.value(kind)
	m.jobRetries.WithLabelValues(kind, retryReasons.value(reason)).Inc()
	m.jobDuration.WithLabelValues(kind).Observe(d.Seconds())
	m.lastAttempt.Set(unix(m.now()))
}

// SyncError counts a sync error; reason is validation, auth, rate_limited, conflict,
// not_found, server, network or timeout.
func (m *Metrics) SyncError(reason string) {
	if m == nil {
		return
	}
	m.syncErrors.WithLabelValues(errorReasons.value(reason)).Inc()
}

// APIRequest records an App Store Connect request. endpoint is a resource template
// ("appScreenshotSets", "appScreenshotSets/relationships/appScreenshots", "upload"), never a
// path with IDs; code is the HTTP status, or 0 when no answer came.
func (m *Metrics) APIRequest(endpoint, method string, code int, d time.Duration) {
	if m == nil {
		return
	}
	endpoint, method = endpointLabel(endpoint), httpMethods.value(method)
	m.apiRequests.WithLabelValues(endpoint, method, codeLabel(code)).Inc()
	m.apiDuration.WithLabelValues(endpoint, method).Observe(d.Seconds())
}

// APIRequestStarted counts a request in flight until the returned function is called.
func (m *Metrics) APIRequestStarted() (done func()) {
	if m == nil {
		return func() {}
	}
	m.apiInFlight.Inc()
	return m.apiInFlight.Dec
}

// SetRateLimit records the X-Rate-Limit budget: user-hour-lim and user-hour-rem.
func (m *Metrics) SetRateLimit(limit, remaining int) {
	if m == nil {
		return
	}
	m.rateLimit.Set(float64(limit))
	m.rateRemaining.Set(float64(remaining))
}

// UploadBytes counts n bytes of an accepted upload part.
func (m *Metrics) UploadBytes(n int64) {
	if m == nil {
		return
	}
	m.uploadBytes.Add(float64(n))
}

// SetTokenExpiry records when the current JWT expires.
func (m *Metrics) SetTokenExpiry(t time.Time) {
	if m == nil {
		return
	}
	m.tokenExpiry.Set(unix(t))
}

// ConfigReloaded records a config (re)load and whether it succeeded.
func (m *Metrics) ConfigReloaded(ok bool) {
	if m == nil {
		return
	}
	m.reloadSuccess.Set(b2f(ok))
	m.reloadTime.Set(unix(m.now()))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
