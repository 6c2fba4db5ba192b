package ascapi_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
)

// pacedClient is a client of sim's main key that sleeps for real and knows the window.
func pacedClient(tb testing.TB, sim *ascapitest.Server, pacer *ascapi.Pacer) *ascapi.Client {
	tb.Helper()
	creds := sim.Credentials()
	key, err := ascapi.ParseKey(creds.PrivateKeyPEM)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := ascapi.NewClient(ascapi.Credentials{IssuerID: creds.IssuerID, KeyID: creds.KeyID, PrivateKey: key},
		ascapi.WithBaseURL(sim.URL()+"/"), ascapi.WithPacer(pacer))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// pacedRun sends n GETs (one of them to find the app) from workers goroutines over two
// clients sharing one pacer, and returns how long the run took and the simulator's answers by
// status.
func pacedRun(tb testing.TB, limit int, window time.Duration, workers, n int) (time.Duration, map[int]int) {
	tb.Helper()
	sim, err := ascapitest.NewServer(tb, ascapitest.Options{Configure: func(s *ascapitest.Server) {
		s.RateLimit, s.RateWindow = limit, window
	}})
	if err != nil {
		tb.Fatal(err)
	}
	pacer := &ascapi.Pacer{Window: window}
	clients := []*ascapi.Client{pacedClient(tb, sim, pacer), pacedClient(tb, sim, pacer)}
	app, _, err := clients[0].Apps.FindByBundleID(context.Background(), "com.example.demo")
	if err != nil {
		tb.Fatal(err)
	}
	work := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	n-- // the search above
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(c *ascapi.Client) {
			defer wg.Done()
			for range work {
				if _, _, err := c.Apps.Get(context.Background(), app.ID); err != nil {
					tb.Errorf("get app: %v", err)
				}
			}
		}(clients[w%2])
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	elapsed := time.Since(start)
	statuses := map[int]int{}
	for _, e := range sim.APICalls() {
		statuses[e.Status]++
	}
	return elapsed, statuses
}

// TestPacerHoldsTheSimulatorsBudgetUnderConcurrency runs four windows' worth of requests
// against a 60-per-second simulator from 8 goroutines: not one 429, and the run takes about
// the three windows it must (the first window's 60 go at once, then 60 per window).
func TestPacerHoldsTheSimulatorsBudgetUnderConcurrency(t *testing.T) {
	const limit, window, workers, windows = 60, time.Second, 8, 4
	elapsed, statuses := pacedRun(t, limit, window, workers, windows*limit)
	if statuses[429] != 0 || statuses[200] != windows*limit {
		t.Errorf("simulator answered %v, want %d × 200 and no 429", statuses, windows*limit)
	}
	ideal := (windows - 1) * window
	if elapsed < ideal {
		t.Errorf("%d requests took %s: faster than the budget allows (%s)", windows*limit, elapsed, ideal)
	}
	// Loose on purpose (a loaded 2-core machine); BenchmarkPacerRate measures the ratio.
	if ratio := float64(ideal) / float64(elapsed); ratio < 0.7 {
		t.Errorf("%d requests took %s for an ideal %s: rate %.2f of the budget, want ≥ 0.7", windows*limit, elapsed, ideal, ratio)
	}
}

// BenchmarkPacerRate reports the achieved rate ÷ budget and the 429s of a paced run of ten
// windows against the simulator (300 requests per 1 s window, 8 goroutines).
func BenchmarkPacerRate(b *testing.B) {
	const limit, window, workers, windows = 300, time.Second, 8, 10
	for i := 0; i < b.N; i++ {
		elapsed, statuses := pacedRun(b, limit, window, workers, windows*limit)
		b.ReportMetric(float64((windows-1)*window)/float64(elapsed), "rate/budget")
		b.ReportMetric(float64(statuses[429]), "429s")
	}
}

// TestPacerProbesAfterAnotherClientSpentTheBudget: another process spends the key's whole
// budget; this client's first request is refused (it could not know), then it probes with
// single requests until the window refilled and paces from there: no 429 once an answer told
// it the budget, and it is done within a few windows instead of waiting out a full one per
// probe.
func TestPacerProbesAfterAnotherClientSpentTheBudget(t *testing.T) {
	const limit, window = 20, time.Second
	sim, err := ascapitest.NewServer(t, ascapitest.Options{Configure: func(s *ascapitest.Server) {
		s.RateLimit, s.RateWindow = limit, window
	}})
	if err != nil {
		t.Fatal(err)
	}
	other := pacedClient(t, sim, &ascapi.Pacer{Window: window})
	app, _, err := other.Apps.FindByBundleID(context.Background(), "com.example.demo")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < limit; i++ {
		if _, _, err := other.Apps.Get(context.Background(), app.ID); err != nil {
			t.Fatal(err)
		}
	}
	sim.ResetJournal()
	c := pacedClient(t, sim, &ascapi.Pacer{Window: window})
	start := time.Now()
	for i := 0; i < limit; i++ {
		if _, _, err := c.Apps.Get(context.Background(), app.ID); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	elapsed := time.Since(start)
	answered := false
	for _, e := range sim.APICalls() {
		switch {
		case e.Status == 200:
			answered = true
		case e.Status == 429 && answered:
			t.Errorf("a 429 after the budget was known: %+v", e)
		}
	}
	if elapsed > 5*window {
		t.Errorf("%d requests took %s after the budget was spent elsewhere; the refill came after one window", limit, elapsed)
	}
}
