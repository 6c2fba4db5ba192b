package packaging_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/daemon"
	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

const (
	dashboardFile = "grafana/storesyncer.json"
	alertsFile    = "prometheus/alerts.yml"
	alertTests    = "prometheus/alerts_test.yml"
)

// promtool returns promtool's path; .ci/run installs it (Debian package prometheus).
func promtool(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatal("promtool is not installed: apt-get install prometheus (.ci/run does)")
	}
	return path
}

// TestAlertRules checks the alerting rules with promtool and runs their unit tests
// (prometheus/alerts_test.yml: each alert fires when it should and stays quiet otherwise).
func TestAlertRules(t *testing.T) {
	bin := promtool(t)
	for _, args := range [][]string{{"check", "rules", alertsFile}, {"test", "rules", alertTests}} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "SUCCESS") {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// dashboard is the part of a Grafana dashboard the tests read.
type dashboard struct {
	UID    string  `json:"uid"`
	Title  string  `json:"title"`
	Panels []panel `json:"panels"`
}

type panel struct {
	ID      int    `json:"id"`
	Type    string `json:"type"`
	Title   string `json:"title"`
	Targets []struct {
		Expr  string `json:"expr"`
		RefID string `json:"refId"`
	} `json:"targets"`
}

func readDashboard(t testing.TB) dashboard {
	t.Helper()
	b, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	return d
}

// TestDashboardShape: the dashboard has a stable uid, unique panel ids, a query in every
// panel, and a panel for each thing the issue asks to see.
func TestDashboardShape(t *testing.T) {
	d := readDashboard(t)
	if d.UID != "storesyncer" || d.Title != "StoreSyncer" {
		t.Errorf("uid %q, title %q", d.UID, d.Title)
	}
	ids := map[int]bool{}
	var all string
	for _, p := range d.Panels {
		if ids[p.ID] {
			t.Errorf("panel id %d twice", p.ID)
		}
		ids[p.ID] = true
		if p.Type != "row" && len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			all += tg.Expr + "\n"
		}
	}
	for _, want := range []string{
		"storesyncer_queue_jobs", "storesyncer_sync_errors_total", "storesyncer_api_requests_total",
		"storesyncer_api_rate_limit_remaining", "storesyncer_upload_bytes_total",
		"storesyncer_app_last_sync_timestamp_seconds", "storesyncer_watcher_up",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no panel queries %s", want)
		}
	}
}

// metricRE finds StoreSyncer metric names in PromQL.
var metricRE = regexp.MustCompile(`\bstoresyncer_[a-z0-9_]+\b`)

// namedMetrics returns every storesyncer_ metric the dashboard and the alert rules (and
// their tests' input series) name, sorted.
func namedMetrics(t testing.TB) []string {
	t.Helper()
	var text strings.Builder
	for _, p := range readDashboard(t).Panels {
		for _, tg := range p.Targets {
			text.WriteString(tg.Expr + "\n")
		}
	}
	rules, err := os.ReadFile(alertsFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(rules), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") { // comments are not queries
			text.WriteString(line + "\n")
		}
	}
	names := metricRE.FindAllString(text.String(), -1)
	slices.Sort(names)
	return slices.Compact(names)
}

// TestMonitoredMetricsExistInALiveScrape runs a daemon against the simulator, makes it do
// real work — add an app, upload an edit, see an invalid file and an ignored one — and
// checks that every metric the dashboard and the alert rules name is in its /metrics.
func TestMonitoredMetricsExistInALiveScrape(t *testing.T) {
	names := namedMetrics(t)
	if len(names) < 15 {
		t.Fatalf("found only %d metric names: %v", len(names), names)
	}
	srv, err := ascapitest.NewServer(t, ascapitest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	listen, err := ascapitest.FreeLoopbackAddr()
	if err != nil {
		t.Fatal(err)
	}
	if err := ascapitest.WriteCredentials(dir, srv.Credentials(), srv.URL(), listen); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "config.toml")
	appendFile(t, cfgPath, "\n[watch]\nquiet_period = \"50ms\"\nmax_wait = \"2s\"\n")
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	d, err := daemon.New(daemon.Config{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("daemon: %v", err)
		}
	}()
	select {
	case <-d.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("daemon not ready")
	}

	client, err := statusapi.NewClient(statusapi.ClientConfig{Listen: d.APIAddr(), TokenFile: d.TokenFile()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Command(ctx, (&command.AppsAdd{}).Name(), command.AppsAdd{BundleID: "com.example.demo"}); err != nil {
		t.Fatalf("apps add: %v", err)
	}
	coll := filepath.Join(cfg.Workspace, "com.example.demo", "main")
	writeFile(t, filepath.Join(coll, "keyword", "en-US.txt"), "planner,calendar,tasks,monitoring")
	writeFile(t, filepath.Join(coll, "keyword", "de-DE.txt"), strings.Repeat("zu lang,", 20)) // text.too_long
	writeFile(t, filepath.Join(coll, ".DS_Store"), "finder")                                  // ignored

	var body string
	missing := names
	deadline := time.Now().Add(60 * time.Second)
	for len(missing) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("after real work, /metrics lacks %v (the dashboard or the alert rules name them)\n%s", missing, body)
		}
		time.Sleep(100 * time.Millisecond)
		body = scrape(t, "http://"+d.APIAddr()+"/metrics")
		missing = slices.DeleteFunc(slices.Clone(names), func(n string) bool { return hasSample(body, n) })
	}
	// The work really happened: the keyword PATCH reached the simulator.
	if !strings.Contains(body, `storesyncer_jobs_completed_total{kind="appStoreVersionLocalizations",result="success"}`) {
		t.Errorf("no successful job in the scrape:\n%s", body)
	}
}

// hasSample reports whether the exposition body holds a sample of the metric name.
func hasSample(body, name string) bool {
	for _, line := range strings.Split(body, "\n") {
		if rest, ok := strings.CutPrefix(line, name); ok && (strings.HasPrefix(rest, "{") || strings.HasPrefix(rest, " ")) {
			return true
		}
	}
	return false
}

func scrape(t testing.TB, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape %s: HTTP %d, %v", url, resp.StatusCode, err)
	}
	return string(b)
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t testing.TB, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := fmt.Fprint(f, content); err != nil {
		t.Fatal(err)
	}
}
