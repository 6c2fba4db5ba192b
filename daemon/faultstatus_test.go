package daemon

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// TestFaultShowsInStatusUntilItClears drops the connection of every keyword PATCH: the job
// waits for its retry and status and the queue say why and when; once the fault clears, the
// retry writes the keyword and the wait is gone.
func TestFaultShowsInStatusUntilItClears(t *testing.T) {
	clk := clock.NewFake(time.Now())
	e := newEnv(t, envOptions{clock: clk})
	ctx := context.Background()
	e.srv.SetFaults(ascapitest.Faults{DropConn: map[string]float64{"PATCH /v1/appStoreVersionLocalizations/{id}": 1}})
	writeFile(t, e.coll("keyword", "de-DE.txt"), []byte("planer,störung\n"))
	e.waitFor("the job to wait for its retry", func() bool {
		jobs, _ := e.d.store.Jobs(ctx, state.JobFilter{App: testApp, States: []state.JobState{state.JobRetryWait}})
		return len(jobs) == 1
	})
	w, why := jobWait(t, e, "de-DE/keyword")
	if w != "retry" || !strings.Contains(why, "attempt 1 failed") || !strings.Contains(why, "retrying at") {
		t.Errorf("queue: the job waits for %q (%s); want a retry with its error and time", w, why)
	}
	if q := e.d.Backend().Status(ctx).Queue; len(q.Waiting) != 1 || q.Waiting[0].For != "retry" {
		t.Errorf("status queue waits = %+v; want one retry", q.Waiting)
	}
	e.srv.SetFaults(ascapitest.Faults{})
	for range 200 { // move the daemon's clock past the backoff, a little at a time
		if e.remoteText("de-DE", "keywords") == "planer,störung" {
			break
		}
		clk.Advance(time.Second)
		time.Sleep(5 * time.Millisecond)
	}
	e.waitRemote("de-DE", "keywords", "planer,störung")
	e.waitIdle()
	if q := e.d.Backend().Status(ctx).Queue; len(q.Waiting) != 0 {
		t.Errorf("status still shows waits after the fault cleared: %+v", q.Waiting)
	}
}
