package daemon

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// TestFailingPatchIsLogged fails every localization PATCH: each failed attempt is a WARN
// line with the error and the next attempt's time, and the job giving up is an ERROR line.
func TestFailingPatchIsLogged(t *testing.T) {
	clk := clock.NewFake(time.Now())
	e := newEnv(t, envOptions{clock: clk})
	ctx := context.Background()
	faults, err := ascapitest.ParseFaults("error_rate:PATCH /v1/appStoreVersionLocalizations/{id}=1")
	if err != nil {
		t.Fatal(err)
	}
	e.srv.SetFaults(faults)
	writeFile(t, e.coll("keyword", "de-DE.txt"), []byte("planer,fehler\n"))
	failed := func() bool {
		jobs, _ := e.d.store.Jobs(ctx, state.JobFilter{App: testApp, States: []state.JobState{state.JobFailed}})
		return len(jobs) == 1
	}
	e.waitFor("the first attempt", func() bool { return strings.Contains(e.log.String(), "job attempt failed") })
	for range 2000 { // move the daemon's clock past each backoff, a little at a time
		if failed() {
			break
		}
		clk.Advance(time.Minute)
		time.Sleep(5 * time.Millisecond)
	}
	e.waitFor("the job to fail for good", failed)
	log := e.log.String()
	// The first attempt fails on the PATCH's 500; later ones may fail earlier, since the fake
	// clock an hour ahead makes the simulator refuse the token: each is a WARN line.
	if !regexp.MustCompile(`level=WARN msg="job attempt failed" .*resource=de-DE/appStoreVersionLocalizations .*attempt=1 error=".*PATCH.*500.*next_attempt=\S+`).MatchString(log) {
		t.Errorf("no WARN line for the first attempt's 500:\n%s", log)
	}
	warn := regexp.MustCompile(`level=WARN msg="job attempt failed" .*resource=de-DE/appStoreVersionLocalizations .*attempt=\d+ error=.*next_attempt=\S+`)
	if n := len(warn.FindAllString(log, -1)); n != MaxAttempts-1 {
		t.Errorf("%d WARN lines for failed attempts, want %d:\n%s", n, MaxAttempts-1, log)
	}
	giveUp := regexp.MustCompile(`level=ERROR msg="job failed for good" .*resource=de-DE/appStoreVersionLocalizations .*attempts=` + strconv.Itoa(MaxAttempts) + ` .*retry="storesyncer jobs retry \d+"`)
	if !giveUp.MatchString(log) {
		t.Errorf("no ERROR line for the job that gave up:\n%s", log)
	}
}

// TestJobCallsAgree: the API calls of a finished job are one number in its INFO log line,
// its job_completed event (what demo prints), its history rows and the simulator's journal.
func TestJobCallsAgree(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	writeFile(t, e.coll("keyword", "ja.txt"), []byte("プランナー,呼び出し\n"))
	e.waitRemote("ja", "keywords", "プランナー,呼び出し")
	e.waitIdle()
	journal := len(e.srv.APICalls())
	m := regexp.MustCompile(`level=INFO msg="job done" .*app=com.example.demo job=\d+ resource=ja/appStoreVersionLocalizations keys=ja/keyword api_calls=(\d+) duration=`).FindStringSubmatch(e.log.String())
	if m == nil {
		t.Fatalf("no INFO line for the finished job:\n%s", e.log.String())
	}
	logged, _ := strconv.Atoi(m[1])
	events, _ := e.d.Backend().Events(ctx, 0, 1000)
	evCalls := -1
	for _, ev := range events {
		if ev.Type == EventJobCompleted && strings.Contains(string(ev.Data), "ja/appStoreVersionLocalizations") {
			_, after, _ := strings.Cut(string(ev.Data), `"calls":`)
			fmt.Sscanf(after, "%d", &evCalls)
		}
	}
	hist, err := e.d.store.History(ctx, testApp, 10, 0)
	if err != nil || len(hist) == 0 || hist[0].Key != "ja/keyword" {
		t.Fatalf("history %+v, %v; want the ja/keyword row first", hist, err)
	}
	if logged != journal || evCalls != journal || hist[0].APICalls != journal {
		t.Errorf("API calls: log %d, event %d, history %d; the simulator saw %d", logged, evCalls, hist[0].APICalls, journal)
	}
}

// TestMetricsAfterRealWork scrapes a running daemon after it synced a keyword: the request
// counter is labelled with the client's route template, the watched folders are what status
// says, and the token expiry is set.
func TestMetricsAfterRealWork(t *testing.T) {
	e := newEnv(t, envOptions{})
	writeFile(t, e.coll("keyword", "de-DE.txt"), []byte("planer,metrik\n"))
	e.waitRemote("de-DE", "keywords", "planer,metrik")
	e.waitIdle()
	resp, err := http.Get("http://" + e.d.APIAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(body)
	for _, want := range []string{
		`storesyncer_api_requests_total{code="200",endpoint="/v1/appStoreVersionLocalizations/{id}",method="PATCH"} 1`,
		`storesyncer_api_requests_total{code="200",endpoint="/v1/appStoreVersions/{id}/appStoreVersionLocalizations",method="GET"}`,
		fmt.Sprintf("storesyncer_watcher_watched_dirs %d\n", e.d.Snapshot().Watcher.WatchedDirs),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(text, `endpoint="other"`) {
		t.Errorf("a request is labelled endpoint=\"other\":\n%s", grepLines(text, "storesyncer_api_requests_total"))
	}
	if e.d.Snapshot().Watcher.WatchedDirs == 0 {
		t.Error("status watches no folders")
	}
	m := regexp.MustCompile(`(?m)^storesyncer_api_token_expiry_timestamp_seconds (\S+)$`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no token expiry in /metrics")
	}
	exp, _ := strconv.ParseFloat(m[1], 64)
	if now := float64(time.Now().Unix()); exp <= now || exp > now+20*60 {
		t.Errorf("token expiry %v, want within 20 minutes from now (%v)", exp, now)
	}
}

func grepLines(text, sub string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
