package daemon

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
)

// TestSpentBudgetWaitsAndResumes lets another client of the same key spend the whole request
// budget (the simulator's window is 6 s, long enough that the save reaches the worker before
// the first spent request ages out, even on a loaded machine): the daemon's job says it waits for the rate budget
// and when it resumes, and once the window refilled the keyword reaches App Store Connect
// without a person.
func TestSpentBudgetWaitsAndResumes(t *testing.T) {
	const window = 6 * time.Second
	e := newEnv(t, envOptions{
		configure: func(s *ascapitest.Server) { s.RateLimit, s.RateWindow = 60, window },
		before:    func(e *env) { e.cfg.Accounts[0].RateWindow = window },
	})
	ctx := context.Background()
	other := simClient(t, e.srv)
	for range 200 {
		if _, _, err := other.Apps.List(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if rl := other.RateLimit(); rl.Known && rl.Remaining == 0 {
			break
		}
	}
	if rl := other.RateLimit(); rl.Remaining != 0 {
		t.Fatalf("the other client left %d of %d requests", rl.Remaining, rl.Limit)
	}
	start := time.Now()
	writeFile(t, e.coll("keyword", "de-DE.txt"), []byte("planer,budget\n"))
	var why string
	e.waitFor("the job to wait for the rate budget", func() bool {
		var w string
		w, why = jobWait(t, e, "de-DE/keyword")
		return w == "rate_budget" || e.remoteText("de-DE", "keywords") == "planer,budget"
	})
	if !strings.Contains(why, "resumes at") {
		t.Errorf("the job waits for the rate budget without saying when it resumes: %q", why)
	}
	e.waitRemote("de-DE", "keywords", "planer,budget")
	t.Logf("the keyword reached App Store Connect %v after the save (window %v); the wait said %q", time.Since(start).Round(100*time.Millisecond), window, why)
	e.waitIdle()
}
