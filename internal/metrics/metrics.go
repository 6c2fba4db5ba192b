// Package metrics is StoreSyncer's Prometheus instrumentation: a private registry with the
// storesyncer_ metric set, bounded labels, and typed methods the other packages call.
package metrics

import (
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every StoreSyncer metric.
const namespace = "storesyncer"

// Config configures Metrics. The zero value works.
type Config struct {
	// Version and Revision label storesyncer_build_info ("dev" and "unknown" when empty).
	Version  string
	Revision string
	// Now is the clock for timestamps and ages; nil means time.Now.
	Now func() time.Time
	// Logger receives scrape errors; nil discards them.
	Logger *slog.Logger
}

// Metrics holds StoreSyncer's metrics in a private registry. Its methods are safe for concurrent
// use, and a nil *Metrics is valid: every method then does nothing, so packages can run
// uninstrumented in tests.
type Metrics struct {
	reg *prometheus.Registry
	now func() time.Time
	log *slog.Logger
	src *sources
	// apps reports per-app gauges read from the daemon at scrape time.
	apps *appsCollector

	watcherEvents      *prometheus.CounterVec
	watcherIgnored     *prometheus.CounterVec
	watcherOverflows   prometheus.Counter
	watcherErrors      *prometheus.CounterVec
	watcherWatchedDirs prometheus.Gauge
	watcherUp          prometheus.Gauge
	rescans            *prometheus.CounterVec
	rescanDuration     prometheus.Histogram

	debounceFlushes   *prometheus.CounterVec
	debounceBatchSize prometheus.Histogram
	changesUnchanged  prometheus.Counter
	validationFails   *prometheus.CounterVec
	validationRules   *cappedLabel

	jobsEnqueued  *prometheus.CounterVec
	jobsCompleted *prometheus.CounterVec
	jobRetries    *prometheus.CounterVec
	jobDuration   *prometheus.HistogramVec
	lastSuccess   prometheus.Gauge
	lastAttempt   prometheus.Gauge
	syncErrors    *prometheus.CounterVec
	apiRequests   *prometheus.CounterVec
	apiDuration   *prometheus.HistogramVec
	apiInFlight   prometheus.Gauge
	rateRemaining prometheus.Gauge
	rateLimit     prometheus.Gauge
	tokenExpiry   prometheus.Gauge
	uploadBytes   prometheus.Counter
	reloadSuccess prometheus.Gauge
	reloadTime    prometheus.Gauge
}

// New registers the metric set, the Go and process collectors and storesyncer_build_info in
// a new private registry.
func New(cfg Config) *Metrics {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	if cfg.Revision == "" {
		cfg.Revision = "unknown"
	}
	m := &Metrics{
		reg:             prometheus.NewRegistry(),
		now:             cfg.Now,
		log:             cfg.Logger.With("component", "metrics"),
		validationRules: newCappedLabel(problemCode, 100),
	}
	m.src = newSources(m.now)
	m.apps = newAppsCollector()
	counter := func(name, help string) prometheus.Counter {
		c := prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help})
		m.reg.MustRegister(c)
		return c
	}
	counterVec := func(name, help string, labels ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
		m.reg.MustRegister(c)
		return c
	}
	gauge := func(name, help string) prometheus.Gauge {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: name, Help: help})
		m.reg.MustRegister(g)
		return g
	}
	histogram := func(name, help string, buckets []float64) prometheus.Histogram {
		h := prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: namespace, Name: name, Help: help, Buckets: buckets})
		m.reg.MustRegister(h)
		return h
	}
	histogramVec := func(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
		h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: name, Help: help, Buckets: buckets}, labels)
		m.reg.MustRegister(h)
		return h
	}

	m.watcherEvents = counterVec("watcher_events_total", "File events received from the watcher, by operation.", "op")
	m.watcherIgnored = counterVec("watcher_events_ignored_total", "File events dropped before debouncing, by reason.", "reason")
	m.watcherOverflows = counter("watcher_overflows_total", "Event queue overflows; each triggers a full rescan.")
	m.watcherErrors = counterVec("watcher_errors_total", "Errors from the file watcher, by kind.", "kind")
	m.watcherWatchedDirs = gauge("watcher_watched_dirs", "Directories currently watched.")
	m.watcherUp = gauge("watcher_up", "1 while native file events arrive, 0 when degraded to rescans.")
	m.rescans = counterVec("rescans_total", "Full rescans of the watched collections, by trigger.", "trigger")
	m.rescanDuration = histogram("rescan_duration_seconds", "Duration of full rescans.", []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60})

	m.debounceFlushes = counterVec("debounce_flushes_total", "Paths released by the debouncer, by reason.", "reason")
	m.debounceBatchSize = histogram("debounce_batch_size", "Paths per debouncer flush.", []float64{1, 2, 5, 10, 25, 50, 100, 250, 512})
	m.changesUnchanged = counter("changes_unchanged_total", "Flushed changes whose content matched what was already planned, and were skipped.")
	m.validationFails = counterVec("validation_failures_total", "Validation problems found, by rule (problem code).", "rule")

	m.jobsEnqueued = counterVec("jobs_enqueued_total", "Jobs enqueued, by kind.", "kind")
	m.jobsCompleted = counterVec("jobs_completed_total", "Jobs finished, by kind and result.", "kind", "result")
	m.jobRetries = counterVec("job_retries_total", "Job attempts that will be retried, by kind and reason.", "kind", "reason")
	m.jobDuration = histogramVec("job_duration_seconds", "Duration of job attempts, by kind.", []float64{.25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600}, "kind")
	m.lastSuccess = gauge("last_success_timestamp_seconds", "When a job last succeeded, as a Unix time.")
	m.lastAttempt = gauge("last_attempt_timestamp_seconds", "When a job attempt last ended, as a Unix time.")
	m.syncErrors = counterVec("sync_errors_total", "Sync errors, by reason.", "reason")

	m.apiRequests = counterVec("api_requests_total", "App Store Connect API requests, by endpoint template, method and status code.", "endpoint", "method", "code")
	m.apiDuration = histogramVec("api_request_duration_seconds", "App Store Connect API request duration, by endpoint template and method.", []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}, "endpoint", "method")
	m.apiInFlight = gauge("api_in_flight_requests", "App Store Connect API requests in flight.")
	m.rateRemaining = gauge("api_rate_limit_remaining", "Requests left in the hourly budget, from X-Rate-Limit user-hour-rem.")
	m.rateLimit = gauge("api_rate_limit_limit", "Hourly request budget, from X-Rate-Limit user-hour-lim.")
	m.tokenExpiry = gauge("api_token_expiry_timestamp_seconds", "When the current App Store Connect JWT expires, as a Unix time.")
	m.uploadBytes = counter("upload_bytes_total", "Bytes of screenshots and previews sent in upload parts that App Store Connect accepted.")

	m.reloadSuccess = gauge("config_last_reload_success", "1 if the last config (re)load succeeded, else 0.")
	m.reloadTime = gauge("config_last_reload_timestamp_seconds", "When the config was last (re)loaded, as a Unix time.")
	m.initFailureSeries()
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "build_info", Help: "StoreSyncer's version, revision and Go version; always 1.",
		ConstLabels: prometheus.Labels{"version": cfg.Version, "revision": cfg.Revision, "goversion": runtime.Version()},
	})
	build.Set(1)
	m.reg.MustRegister(build, m.src, m.apps,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// initFailureSeries creates the failure counters' series at 0 for every known label value.
// A series that appears only with its first failure starts at 1, and increase() or rate()
// over it sees no change: the alerts in packaging/prometheus would miss the first failure.
func (m *Metrics) initFailureSeries() {
	for kind := range jobKinds {
		m.jobsCompleted.WithLabelValues(kind, "failed")
		for reason := range retryReasons {
			m.jobRetries.WithLabelValues(kind, reason)
		}
	}
	for reason := range errorReasons {
		m.syncErrors.WithLabelValues(reason)
	}
	for kind := range watcherErrKinds {
		m.watcherErrors.WithLabelValues(kind)
	}
}

// Registry returns the private registry, for tests and for collectors of other packages.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus text or OpenMetrics format. A metric that
// fails to collect (the queue source erred) is left out and logged; the rest is served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:            slog.NewLogLogger(m.log.Handler(), slog.LevelWarn),
		ErrorHandling:       promhttp.ContinueOnError,
		Registry:            m.reg,
		Timeout:             10 * time.Second,
		MaxRequestsInFlight: 2,
		EnableOpenMetrics:   true,
	})
}

// unix converts t to the float seconds Prometheus timestamps use.
func unix(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
