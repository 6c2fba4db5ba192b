package daemon

import (
	"context"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// TestResolveReleasesItsJobs makes a job held by a conflict; resolve --keep local releases it
// before it answers, and the local value reaches App Store Connect.
func TestResolveReleasesItsJobs(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	webEdit(t, e.srv, "de-DE", "planer,vom,web")
	writeFile(t, e.coll("keyword", "de-DE.txt"), []byte("planer,lokal\n"))
	e.waitFor("the job held by the conflict", func() bool {
		jobs, _ := e.d.store.Jobs(ctx, state.JobFilter{App: testApp, States: []state.JobState{state.JobHeld}})
		return len(jobs) == 1 && strings.HasPrefix(jobs[0].HeldReason, "conflict")
	})
	if exit, out := jobWait(t, e, "de-DE/keyword"); exit != "conflict" {
		t.Errorf("queue says the job waits for %q (%s); want conflict", exit, out)
	}
	res := e.d.Command(ctx, &command.Resolve{Keys: []string{"de-DE/keyword"}, Keep: "local"})
	if res.ExitCode != 0 {
		t.Fatalf("resolve: %+v", res)
	}
	held, _ := e.d.store.Jobs(ctx, state.JobFilter{App: testApp, States: []state.JobState{state.JobHeld}})
	if len(held) != 0 {
		t.Errorf("after resolve, jobs still held: %+v", held)
	}
	e.waitRemote("de-DE", "keywords", "planer,lokal")
	e.waitIdle()
}

// jobWait returns what the queue says the job of key waits for, and why.
func jobWait(t testing.TB, e *env, key string) (string, string) {
	t.Helper()
	jobs, err := e.d.Backend().Jobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		for _, k := range j.Keys {
			if k == key {
				return j.WaitingFor, j.Why
			}
		}
	}
	return "", "no job"
}

// TestApproveKeys holds two jobs (auto sync off); approving one key releases only its job,
// and the queue says why the other waits.
func TestApproveKeys(t *testing.T) {
	e := newEnv(t, envOptions{extra: "\n[sync]\nauto = false\nremote_poll_interval = \"1h\"\n"})
	ctx := context.Background()
	writeFile(t, e.coll("keyword", "ja.txt"), []byte("プランナー,一\n"))
	writeFile(t, e.coll("keyword", "de-DE.txt"), []byte("planer,zwei\n"))
	e.waitFor("two held jobs", func() bool { return e.d.Backend().Status(ctx).Queue.Held == 2 })
	if w, why := jobWait(t, e, "de-DE/keyword"); w != "approval" || !strings.Contains(why, "storesyncer approve de-DE/keyword") {
		t.Errorf("queue: de-DE/keyword waits for %q (%s); want approval", w, why)
	}
	if q := e.d.Backend().Status(ctx).Queue; len(q.Waiting) != 1 || q.Waiting[0].For != "approval" || q.Waiting[0].Jobs != 2 {
		t.Errorf("status queue waits = %+v; want 2 for approval", q.Waiting)
	}
	n, err := e.d.Backend().Approve(ctx, statusapi.ApproveRequest{Keys: []string{"ja/keyword"}})
	if err != nil || n != 1 {
		t.Fatalf("approve ja/keyword = %d, %v; want 1", n, err)
	}
	e.waitRemote("ja", "keywords", "プランナー,一")
	if w, _ := jobWait(t, e, "de-DE/keyword"); w != "approval" {
		t.Errorf("de-DE/keyword waits for %q after approving ja only; want approval", w)
	}
	if got := e.remoteText("de-DE", "keywords"); got == "planer,zwei" {
		t.Error("de-DE/keyword was sent without approval")
	}
}
