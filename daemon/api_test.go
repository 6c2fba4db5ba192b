package daemon

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// errStop ends an event stream once the test saw what it wanted.
var errStop = errors.New("stop")

// TestStatusAPI talks to the daemon over its loopback API as the CLI does: status, the live
// event stream of a PATCH, the queue, pause and resume, and the metrics.
func TestStatusAPI(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	c, err := statusapi.NewClient(statusapi.ClientConfig{Listen: e.d.APIAddr(), TokenFile: e.d.TokenFile()})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Apps) != 1 || st.Apps[0].BundleID != testApp || st.Apps[0].TargetVersion != testVersion ||
		st.Apps[0].Lease == nil || !st.Apps[0].Lease.Ours || !st.Watcher.Up || st.Watcher.WatchedDirs == 0 || !st.RateLimit.Known {
		t.Fatalf("status = %+v", st)
	}

	// Pause holds uploads: the edit waits in the queue until Resume.
	if res, err := c.Command(ctx, "pause", struct{}{}); err != nil || res.ExitCode != 0 {
		t.Fatalf("pause: %v %+v", err, res)
	}
	streamCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	seen := make(chan statusapi.Event, 100)
	go func() {
		_ = c.Events(streamCtx, 0, func(ev statusapi.Event) error {
			seen <- ev
			if ev.Type == EventJobCompleted {
				return errStop
			}
			return nil
		})
	}()
	writeFile(t, e.coll("keyword", "en-US.txt"), []byte("planner,api\n"))
	e.waitFor("a pending job", func() bool {
		jobs, err := c.Jobs(ctx)
		return err == nil && len(jobs) == 1 && jobs[0].State == "pending"
	})
	if len(e.patches()) != 0 {
		t.Fatal("a PATCH was sent while paused")
	}
	if res, err := c.Command(ctx, "resume", struct{}{}); err != nil || res.ExitCode != 0 {
		t.Fatalf("resume: %v %+v", err, res)
	}
	e.waitRemote("en-US", "keywords", "planner,api")
	var types []string
	for ev := range seen {
		types = append(types, ev.Type)
		if ev.Type == EventJobCompleted {
			if !strings.Contains(string(ev.Data), "en-US/keyword") {
				t.Errorf("job.completed data = %s", ev.Data)
			}
			break
		}
	}
	if !strings.Contains(strings.Join(types, " "), EventJobQueued) {
		t.Errorf("event stream %v lacks %s", types, EventJobQueued)
	}

	resp, err := http.Get("http://" + e.d.APIAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`storesyncer_jobs_completed_total{kind="appStoreVersionLocalizations",result="success"} 1`, "storesyncer_api_requests_total", "storesyncer_queue_jobs"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
