package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// AppStats is what the metrics report for one app the daemon holds, read at every scrape.
type AppStats struct {
	// App is the bundle ID: a bounded label, since a workspace holds a handful of apps.
	App string
	// LastSync is when the app was last fully in step with App Store Connect; zero if never.
	LastSync time.Time
	// Conflicts counts keys waiting for `storesyncer resolve`.
	Conflicts int
}

// appsCollector reports storesyncer_app_last_sync_timestamp_seconds and
// storesyncer_app_conflicts from a source the daemon sets; without one it reports nothing.
type appsCollector struct {
	lastSync  *prometheus.Desc
	conflicts *prometheus.Desc

	mu  sync.Mutex
	src func() ([]AppStats, error)
}

func newAppsCollector() *appsCollector {
	name := func(n string) string { return prometheus.BuildFQName(namespace, "", n) }
	return &appsCollector{
		lastSync:  prometheus.NewDesc(name("app_last_sync_timestamp_seconds"), "When the app was last fully in step with App Store Connect, as a Unix time; absent until its first sync.", []string{"app"}, nil),
		conflicts: prometheus.NewDesc(name("app_conflicts"), "Keys of the app waiting for a decision (storesyncer resolve).", []string{"app"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *appsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.lastSync
	ch <- c.conflicts
}

// Collect implements prometheus.Collector; it calls the source on the scrape's goroutine.
func (c *appsCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	src := c.src
	c.mu.Unlock()
	if src == nil {
		return
	}
	apps, err := src()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.conflicts, err)
		return
	}
	for _, a := range apps {
		ch <- prometheus.MustNewConstMetric(c.conflicts, prometheus.GaugeValue, float64(a.Conflicts), a.App)
		if !a.LastSync.IsZero() {
			ch <- prometheus.MustNewConstMetric(c.lastSync, prometheus.GaugeValue, unix(a.LastSync), a.App)
		}
	}
}

// SetAppsSource makes the per-app metrics read f at every scrape. f must be safe for
// concurrent use and return each app once.
func (m *Metrics) SetAppsSource(f func() ([]AppStats, error)) {
	if m == nil {
		return
	}
	m.apps.mu.Lock()
	defer m.apps.mu.Unlock()
	m.apps.src = f
}
