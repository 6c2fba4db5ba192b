package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// QueueCounts is the job queue as the state database holds it, read at every scrape.
type QueueCounts struct {
	Pending   int
	InFlight  int
	RetryWait int
	Failed    int
	// Held counts jobs waiting for approval or for invalid keys to be fixed.
	Held int
	// OldestPending is when the oldest pending job was created; zero when none is pending.
	OldestPending time.Time
}

// sources is a collector for the metrics read from other parts at scrape time: the queue
// (from SQLite), the debouncer's pending paths and the state database's size. A source that
// was never set is left out of the scrape rather than reported as 0.
type sources struct {
	now func() time.Time

	queueJobs     *prometheus.Desc
	oldestPending *prometheus.Desc
	pendingPaths  *prometheus.Desc
	dbSize        *prometheus.Desc

	mu      sync.Mutex
	queue   func() (QueueCounts, error)
	pending func() int
	size    func() (int64, error)
}

func newSources(now func() time.Time) *sources {
	name := func(n string) string { return prometheus.BuildFQName(namespace, "", n) }
	return &sources{
		now:           now,
		queueJobs:     prometheus.NewDesc(name("queue_jobs"), "Jobs in the persistent queue, by state.", []string{"state"}, nil),
		oldestPending: prometheus.NewDesc(name("queue_oldest_pending_age_seconds"), "Age of the oldest pending job; 0 when none is pending.", nil, nil),
		pendingPaths:  prometheus.NewDesc(name("debounce_pending_paths"), "Paths waiting in the debouncer.", nil, nil),
		dbSize:        prometheus.NewDesc(name("state_db_size_bytes"), "Size of the state database on disk.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (s *sources) Describe(ch chan<- *prometheus.Desc) {
	ch <- s.queueJobs
	ch <- s.oldestPending
	ch <- s.pendingPaths
	ch <- s.dbSize
}

// Collect implements prometheus.Collector; it calls the sources on the scrape's goroutine.
func (s *sources) Collect(ch chan<- prometheus.Metric) {
	s.mu.Lock()
	queue, pending, size := s.queue, s.pending, s.size
	s.mu.Unlock()
	if queue != nil {
		q, err := queue()
		if err != nil {
			ch <- prometheus.NewInvalidMetric(s.queueJobs, err)
		} else {
			for state, n := range map[string]int{"pending": q.Pending, "in_flight": q.InFlight, "retry_wait": q.RetryWait, "failed": q.Failed, "held": q.Held} {
				ch <- prometheus.MustNewConstMetric(s.queueJobs, prometheus.GaugeValue, float64(n), state)
			}
			age := 0.0
			if !q.OldestPending.IsZero() {
				age = max(0, s.now().Sub(q.OldestPending).Seconds())
			}
			ch <- prometheus.MustNewConstMetric(s.oldestPending, prometheus.GaugeValue, age)
		}
	}
	if pending != nil {
		ch <- prometheus.MustNewConstMetric(s.pendingPaths, prometheus.GaugeValue, float64(pending()))
	}
	if size != nil {
		n, err := size()
		if err != nil {
			ch <- prometheus.NewInvalidMetric(s.dbSize, err)
		} else {
			ch <- prometheus.MustNewConstMetric(s.dbSize, prometheus.GaugeValue, float64(n))
		}
	}
}

// SetQueueSource makes storesyncer_queue_jobs and storesyncer_queue_oldest_pending_age_seconds
// read f at every scrape (the state package's counts). f must be safe for concurrent use.
func (m *Metrics) SetQueueSource(f func() (QueueCounts, error)) {
	if m == nil {
		return
	}
	m.src.mu.Lock()
	defer m.src.mu.Unlock()
	m.src.queue = f
}

// SetPendingPathsSource makes storesyncer_debounce_pending_paths read f at every scrape.
func (m *Metrics) SetPendingPathsSource(f func() int) {
	if m == nil {
		return
	}
	m.src.mu.Lock()
	defer m.src.mu.Unlock()
	m.src.pending = f
}

// SetStateDBSizeSource makes storesyncer_state_db_size_bytes read f at every scrape.
func (m *Metrics) SetStateDBSizeSource(f func() (int64, error)) {
	if m == nil {
		return
	}
	m.src.mu.Lock()
	defer m.src.mu.Unlock()
	m.src.size = f
}
