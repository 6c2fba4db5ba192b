package metrics

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// newTest returns Metrics with every method called once and every source set, so every family
// has a sample.
func newTest(tb testing.TB) *Metrics {
	tb.Helper()
	m := New(Config{Version: "v1.2.3", Revision: "abc123", Now: func() time.Time { return testNow }})
	m.WatcherEvent("write")
	m.WatcherEventIgnored("temp_pattern")
	m.WatcherOverflow()
	m.WatcherError(WatcherErrorLimit)
	m.SetWatchedDirs(42)
	m.SetWatcherUp(true)
	m.Rescan("startup", 120*time.Millisecond)
	m.DebounceFlush("quiet", 3)
	m.DebounceBatch(3)
	m.ChangeUnchanged()
	m.ValidationFailure("text.too_long")
	m.JobEnqueued(KindVersionLocalization)
	m.JobCompleted(KindVersionLocalization, "success", 2*time.Second)
	m.JobRetry(KindScreenshotSet, "busy", time.Second)
	m.SyncError("rate_limited")
	m.APIRequest("appStoreVersionLocalizations", "PATCH", 200, 300*time.Millisecond)
	done := m.APIRequestStarted()
	done()
	m.SetRateLimit(3600, 3500)
	m.SetTokenExpiry(testNow.Add(20 * time.Minute))
	m.ConfigReloaded(true)
	m.SetQueueSource(func() (QueueCounts, error) {
		return QueueCounts{Pending: 3, InFlight: 1, Held: 2, OldestPending: testNow.Add(-90 * time.Second)}, nil
	})
	m.SetPendingPathsSource(func() int { return 5 })
	m.SetStateDBSizeSource(func() (int64, error) { return 4096, nil })
	m.UploadBytes(1 << 20)
	m.SetAppsSource(func() ([]AppStats, error) {
		return []AppStats{{App: "com.example.app", LastSync: testNow.Add(-time.Hour), Conflicts: 2}, {App: "com.example.new"}}, nil
	})
	return m
}

// TestMetricSet checks every storesyncer_ family and its label names against
// daemon-anchors.md §4.3.
func TestMetricSet(t *testing.T) {
	m := newTest(t)
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	var other []string
	for _, mf := range mfs {
		name := mf.GetName()
		if !strings.HasPrefix(name, "storesyncer_") {
			other = append(other, name)
			continue
		}
		var labels []string
		for _, lp := range mf.GetMetric()[0].GetLabel() {
			labels = append(labels, lp.GetName())
		}
		got[name] = labels
	}
	want := map[string][]string{
		"storesyncer_watcher_events_total":                 {"op"},
		"storesyncer_watcher_events_ignored_total":         {"reason"},
		"storesyncer_watcher_overflows_total":              nil,
		"storesyncer_watcher_errors_total":                 {"kind"},
		"storesyncer_watcher_watched_dirs":                 nil,
		"storesyncer_watcher_up":                           nil,
		"storesyncer_rescans_total":                        {"trigger"},
		"storesyncer_rescan_duration_seconds":              nil,
		"storesyncer_debounce_flushes_total":               {"reason"},
		"storesyncer_debounce_pending_paths":               nil,
		"storesyncer_debounce_batch_size":                  nil,
		"storesyncer_changes_unchanged_total":              nil,
		"storesyncer_validation_failures_total":            {"rule"},
		"storesyncer_queue_jobs":                           {"state"},
		"storesyncer_queue_oldest_pending_age_seconds":     nil,
		"storesyncer_jobs_enqueued_total":                  {"kind"},
		"storesyncer_jobs_completed_total":                 {"kind", "result"},
		"storesyncer_job_retries_total":                    {"kind", "reason"},
		"storesyncer_job_duration_seconds":                 {"kind"},
		"storesyncer_last_success_timestamp_seconds":       nil,
		"storesyncer_last_attempt_timestamp_seconds":       nil,
		"storesyncer_sync_errors_total":                    {"reason"},
		"storesyncer_api_requests_total":                   {"code", "endpoint", "method"},
		"storesyncer_api_request_duration_seconds":         {"endpoint", "method"},
		"storesyncer_api_in_flight_requests":               nil,
		"storesyncer_api_rate_limit_remaining":             nil,
		"storesyncer_api_rate_limit_limit":                 nil,
		"storesyncer_api_token_expiry_timestamp_seconds":   nil,
		"storesyncer_build_info":                           {"goversion", "revision", "version"},
		"storesyncer_config_last_reload_success":           nil,
		"storesyncer_config_last_reload_timestamp_seconds": nil,
		"storesyncer_state_db_size_bytes":                  nil,
		"storesyncer_upload_bytes_total":                   nil,
		"storesyncer_app_last_sync_timestamp_seconds":      {"app"},
		"storesyncer_app_conflicts":                        {"app"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metric families (-want +got):\n%s", diff)
	}
	for _, name := range []string{"go_goroutines", "process_start_time_seconds"} {
		if !slices.Contains(other, name) {
			t.Errorf("%s missing: Go/process collectors not registered", name)
		}
	}
	problems, err := testutil.GatherAndLint(m.Registry())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, "storesyncer_") {
			t.Errorf("promlint: %s: %s", p.Metric, p.Text)
		}
	}
}

func TestLabelsBounded(t *testing.T) {
	tests := []struct {
		name   string
		record func(m *Metrics)
		metric string
		want   string
	}{
		{"unknown watcher op", func(m *Metrics) { m.WatcherEvent("delete") }, "storesyncer_watcher_events_total", `storesyncer_watcher_events_total{op="other"} 1`},
		{"known watcher op", func(m *Metrics) { m.WatcherEvent("rename") }, "storesyncer_watcher_events_total", `storesyncer_watcher_events_total{op="rename"} 1`},
		{"endpoint with an id", func(m *Metrics) { m.APIRequest("apps/1234567890", "GET", 200, time.Millisecond) }, "storesyncer_api_requests_total", `storesyncer_api_requests_total{code="200",endpoint="other",method="GET"} 1`},
		{"url as endpoint", func(m *Metrics) { m.APIRequest("https://api.appstoreconnect.apple.com/v1/apps", "GET", 200, 0) }, "storesyncer_api_requests_total", `storesyncer_api_requests_total{code="200",endpoint="other",method="GET"} 1`},
		{"client route template", func(m *Metrics) {
			m.APIRequest("/v1/appStoreVersionLocalizations/{id}", "PATCH", 200, time.Millisecond)
		}, "storesyncer_api_requests_total", `storesyncer_api_requests_total{code="200",endpoint="/v1/appStoreVersionLocalizations/{id}",method="PATCH"} 1`},
		{"client relationship route", func(m *Metrics) {
			m.APIRequest("/v1/appScreenshotSets/{id}/relationships/appScreenshots", "PATCH", 204, 0)
		}, "storesyncer_api_requests_total", `storesyncer_api_requests_total{code="204",endpoint="/v1/appScreenshotSets/{id}/relationships/appScreenshots",method="PATCH"} 1`},
		{"client route with an id", func(m *Metrics) { m.APIRequest("/v1/apps/6450000001", "GET", 200, 0) }, "storesyncer_api_requests_total", `storesyncer_api_requests_total{code="200",endpoint="other",method="GET"} 1`},
		{"unknown resource", func(m *Metrics) { m.APIRequest("/v1/users/{id}", "GET", 200, 0) }, "storesyncer_api_requests_total", `storesyncer_api_requests_total{code="200",endpoint="other",method="GET"} 1`},
		{"relationship endpoint", func(m *Metrics) {
			m.APIRequest("appScreenshotSets/relationships/appScreenshots", "PATCH", 204, 0)
		}, "storesyncer_api_requests_total", `storesyncer_api_requests_total{code="204",endpoint="appScreenshotSets/relationships/appScreenshots",method="PATCH"} 1`},
		{"lower-case method and no answer", func(m *Metrics) { m.APIRequest("upload", "put", 0, 0) }, "storesyncer_api_requests_total", `storesyncer_api_requests_total{code="none",endpoint="upload",method="other"} 1`},
		{"unknown job kind", func(m *Metrics) { m.JobEnqueued("de-DE/keyword") }, "storesyncer_jobs_enqueued_total", `storesyncer_jobs_enqueued_total{kind="other"} 1`},
		{"unknown result", func(m *Metrics) { m.JobCompleted(KindPreviewSet, "ok", 0) }, "storesyncer_jobs_completed_total", `storesyncer_jobs_completed_total{kind="appPreviewSets",result="other"} 1`},
		{"error message as reason", func(m *Metrics) { m.SyncError("HTTP 500: boom") }, "storesyncer_sync_errors_total", `storesyncer_sync_errors_total{reason="other"} 1`},
		{"path as rule", func(m *Metrics) { m.ValidationFailure("keyword/de-DE.txt") }, "storesyncer_validation_failures_total", `storesyncer_validation_failures_total{rule="other"} 1`},
		{"rescan trigger", func(m *Metrics) { m.Rescan("cron", time.Second) }, "storesyncer_rescans_total", `storesyncer_rescans_total{trigger="other"} 1`},
		{"the watcher's burst trigger", func(m *Metrics) { m.Rescan("burst", time.Second) }, "storesyncer_rescans_total", `storesyncer_rescans_total{trigger="burst"} 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(Config{})
			tt.record(m)
			// The failure counters start with every known series at 0: only the series
			// that counted something matter here.
			var got []string
			for _, line := range strings.Split(scrape(t, m.Handler()), "\n") {
				if strings.HasPrefix(line, tt.metric+"{") && !strings.HasSuffix(line, " 0") {
					got = append(got, line)
				}
			}
			if diff := cmp.Diff([]string{tt.want}, got); diff != "" {
				t.Errorf("%s series (-want +got):\n%s", tt.metric, diff)
			}
		})
	}
}

func TestValidationRuleCap(t *testing.T) {
	m := New(Config{})
	for i := range 100 {
		m.ValidationFailure(fmt.Sprintf("rule.n%d", i))
	}
	m.ValidationFailure("rule.one_too_many")
	m.ValidationFailure("rule.n7")
	if got := testutil.ToFloat64(m.validationFails.WithLabelValues("other")); got != 1 {
		t.Errorf("other = %v, want 1 (the 101st distinct rule)", got)
	}
	if got := testutil.ToFloat64(m.validationFails.WithLabelValues("rule.n7")); got != 2 {
		t.Errorf("rule.n7 = %v, want 2", got)
	}
	if n := testutil.CollectAndCount(m.validationFails); n != 101 {
		t.Errorf("%d series, want 101", n)
	}
}

// scrape fetches the exposition text over real HTTP.
func scrape(tb testing.TB, h http.Handler) string {
	tb.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if resp.StatusCode != 200 {
		tb.Fatalf("scrape: HTTP %d: %s", resp.StatusCode, b)
	}
	return string(b)
}

func TestQueueReadOnScrape(t *testing.T) {
	m := New(Config{Now: func() time.Time { return testNow }})
	counts := QueueCounts{Pending: 3, Failed: 1, OldestPending: testNow.Add(-90 * time.Second)}
	var srcErr error
	m.SetQueueSource(func() (QueueCounts, error) { return counts, srcErr })
	body := scrape(t, m.Handler())
	for _, want := range []string{
		`storesyncer_queue_jobs{state="pending"} 3`,
		`storesyncer_queue_jobs{state="failed"} 1`,
		`storesyncer_queue_jobs{state="in_flight"} 0`,
		`storesyncer_queue_oldest_pending_age_seconds 90`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
	counts = QueueCounts{Pending: 7}
	body = scrape(t, m.Handler())
	if !strings.Contains(body, `storesyncer_queue_jobs{state="pending"} 7`) || !strings.Contains(body, "storesyncer_queue_oldest_pending_age_seconds 0") {
		t.Errorf("second scrape did not read the queue again:\n%s", grep(body, "storesyncer_queue"))
	}
	srcErr = errors.New("database is locked")
	body = scrape(t, m.Handler())
	if strings.Contains(body, "storesyncer_queue_jobs{") {
		t.Error("queue metrics served although the source failed")
	}
	if !strings.Contains(body, "storesyncer_build_info{") {
		t.Error("a failing queue source took the other metrics down")
	}
}

func TestUnsetSourcesAreAbsent(t *testing.T) {
	body := scrape(t, New(Config{}).Handler())
	for _, name := range []string{"storesyncer_queue_jobs", "storesyncer_debounce_pending_paths", "storesyncer_state_db_size_bytes"} {
		if strings.Contains(body, name+" ") || strings.Contains(body, name+"{") {
			t.Errorf("%s reported without a source", name)
		}
	}
}

// TestPromtool runs Prometheus's own checker on the exposition output.
func TestPromtool(t *testing.T) {
	path, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (Debian package prometheus); skipping promtool check metrics")
	}
	body := scrape(t, newTest(t).Handler())
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil || out.Len() != 0 {
		t.Errorf("promtool check metrics: %v\n%s", err, out.String())
	}
}

func TestNilMetricsIsANoOp(t *testing.T) {
	var m *Metrics
	m.WatcherEvent("write")
	m.WatcherEventIgnored("x")
	m.WatcherOverflow()
	m.WatcherError("x")
	m.SetWatchedDirs(1)
	m.SetWatcherUp(true)
	m.Rescan("api", 0)
	m.DebounceFlush("quiet", 1)
	m.DebounceBatch(1)
	m.ChangeUnchanged()
	m.ValidationFailure("a.b")
	m.JobEnqueued("x")
	m.JobCompleted("x", "success", 0)
	m.JobRetry("x", "busy", 0)
	m.SyncError("x")
	m.APIRequest("apps", "GET", 200, 0)
	m.APIRequestStarted()()
	m.SetRateLimit(1, 1)
	m.SetTokenExpiry(testNow)
	m.ConfigReloaded(true)
	m.SetQueueSource(nil)
	m.SetPendingPathsSource(nil)
	m.SetStateDBSizeSource(nil)
}

func TestTimestamps(t *testing.T) {
	m := New(Config{Now: func() time.Time { return testNow }})
	m.JobCompleted(KindInfoLocalization, "failed", time.Second)
	if got := testutil.ToFloat64(m.lastSuccess); got != 0 {
		t.Errorf("last success = %v after a failure, want 0", got)
	}
	if got, want := testutil.ToFloat64(m.lastAttempt), float64(testNow.Unix()); got != want {
		t.Errorf("last attempt = %v, want %v", got, want)
	}
	m.JobCompleted(KindInfoLocalization, "success", time.Second)
	if got, want := testutil.ToFloat64(m.lastSuccess), float64(testNow.Unix()); got != want {
		t.Errorf("last success = %v, want %v", got, want)
	}
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestAppsReadOnScrape: the per-app gauges come from the source at every scrape; an app that
// never synced has no last-sync sample rather than a 1970 one.
func TestAppsReadOnScrape(t *testing.T) {
	body := scrape(t, newTest(t).Handler())
	for _, want := range []string{
		fmt.Sprintf(`storesyncer_app_last_sync_timestamp_seconds{app="com.example.app"} %g`, float64(testNow.Add(-time.Hour).Unix())),
		`storesyncer_app_conflicts{app="com.example.app"} 2`,
		`storesyncer_app_conflicts{app="com.example.new"} 0`,
		`storesyncer_upload_bytes_total 1.048576e+06`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q:\n%s", want, grep(body, "storesyncer_app"))
		}
	}
	if strings.Contains(body, `storesyncer_app_last_sync_timestamp_seconds{app="com.example.new"}`) {
		t.Error("an app that never synced has a last-sync sample")
	}
}

// TestFailureSeriesStartAtZero: every known failure series is there before the first failure,
// so increase() over it counts that failure.
func TestFailureSeriesStartAtZero(t *testing.T) {
	body := scrape(t, New(Config{}).Handler())
	for _, want := range []string{
		`storesyncer_jobs_completed_total{kind="appScreenshotSets",result="failed"} 0`,
		`storesyncer_job_retries_total{kind="appStoreVersionLocalizations",reason="server"} 0`,
		`storesyncer_sync_errors_total{reason="network"} 0`,
		`storesyncer_watcher_errors_total{kind="limit"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
}
