package state

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func intent(res, hash string) JobIntent {
	return JobIntent{App: "com.a", Resource: res, Keys: []string{res + "/k"}, Intent: []byte(`{"h":"` + hash + `"}`), IntentHash: hash}
}

func mustUpsert(t testing.TB, s *Store, in JobIntent) Job {
	t.Helper()
	j, err := s.Upsert(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func mustClaim(t testing.TB, s *Store, now time.Time, limit int) []Job {
	t.Helper()
	jobs, err := s.Claim(context.Background(), now, limit)
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

// TestUpsert covers what a newer intent does to the job for the same resource in each state.
func TestUpsert(t *testing.T) {
	ctx := context.Background()
	type want struct {
		State   JobState
		Hash    string
		HasNext bool
		Held    string
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, s *Store, c *clock) // leaves job "r" in some state with hash h1
		next  JobIntent
		want  want
	}{
		{"pending is replaced", func(*testing.T, *Store, *clock) {}, intent("r", "h2"), want{JobPending, "h2", false, ""}},
		{"pending becomes held", func(*testing.T, *Store, *clock) {}, func() JobIntent { i := intent("r", "h2"); i.HoldReason = "32 operations"; return i }(), want{JobHeld, "h2", false, "32 operations"}},
		{"held released by a small intent", func(t *testing.T, s *Store, c *clock) {
			j := mustClaim(t, s, c.Now(), 1)[0]
			if err := s.Hold(ctx, j.ID, "conflict"); err != nil {
				t.Fatal(err)
			}
		}, intent("r", "h2"), want{JobPending, "h2", false, ""}},
		{"retry_wait keeps its backoff", func(t *testing.T, s *Store, c *clock) {
			j := mustClaim(t, s, c.Now(), 1)[0]
			if err := s.Fail(ctx, j.ID, errors.New("503"), c.Now().Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}, intent("r", "h2"), want{JobRetryWait, "h2", false, ""}},
		{"failed starts over", func(t *testing.T, s *Store, c *clock) {
			j := mustClaim(t, s, c.Now(), 1)[0]
			if err := s.Fail(ctx, j.ID, errors.New("409"), time.Time{}); err != nil {
				t.Fatal(err)
			}
		}, intent("r", "h2"), want{JobPending, "h2", false, ""}},
		{"done starts over", func(t *testing.T, s *Store, c *clock) {
			j := mustClaim(t, s, c.Now(), 1)[0]
			if err := s.Complete(ctx, j.ID); err != nil {
				t.Fatal(err)
			}
		}, intent("r", "h2"), want{JobPending, "h2", false, ""}},
		{"in flight queues a next intent", func(t *testing.T, s *Store, c *clock) {
			mustClaim(t, s, c.Now(), 1)
		}, intent("r", "h2"), want{JobInFlight, "h1", true, ""}},
		{"in flight, same intent, no next", func(t *testing.T, s *Store, c *clock) {
			mustClaim(t, s, c.Now(), 1)
		}, intent("r", "h1"), want{JobInFlight, "h1", false, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			s := openStore(t, t.TempDir(), c)
			first := mustUpsert(t, s, intent("r", "h1"))
			tt.setup(t, s, c)
			got := mustUpsert(t, s, tt.next)
			if got.ID != first.ID {
				t.Errorf("Upsert made job %d, want the same row %d", got.ID, first.ID)
			}
			if diff := cmp.Diff(tt.want, want{got.State, got.IntentHash, got.HasNext, got.HeldReason}); diff != "" {
				t.Errorf("job after Upsert (-want +got):\n%s", diff)
			}
			if all, _ := s.Jobs(ctx, JobFilter{States: []JobState{JobPending, JobInFlight, JobRetryWait, JobHeld, JobFailed, JobDone}}); len(all) != 1 {
				t.Errorf("%d jobs for one resource, want 1", len(all))
			}
		})
	}
}

func TestUpsertReplacesPendingIntent(t *testing.T) {
	s := openStore(t, t.TempDir(), newClock())
	mustUpsert(t, s, intent("de-DE/appStoreVersionLocalizations", "old"))
	in := intent("de-DE/appStoreVersionLocalizations", "new")
	in.Keys = []string{"de-DE/description", "de-DE/keyword"}
	mustUpsert(t, s, in)
	jobs := mustClaim(t, s, s.now(), 10)
	if len(jobs) != 1 {
		t.Fatalf("claimed %d jobs, want 1", len(jobs))
	}
	got := jobs[0]
	if string(got.Intent) != string(in.Intent) || got.IntentHash != "new" || !cmp.Equal(got.Keys, in.Keys) || got.Attempts != 1 {
		t.Errorf("claimed %+v, want the newer intent on its first attempt", got)
	}
}

func TestNextIntentTakesOver(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openStore(t, t.TempDir(), c)
	mustUpsert(t, s, intent("r", "h1"))
	running := mustClaim(t, s, c.Now(), 1)[0]
	mustUpsert(t, s, intent("r", "h2"))
	if got := mustClaim(t, s, c.Now(), 10); len(got) != 0 {
		t.Fatalf("claimed %v while the resource is in flight", got)
	}
	if err := s.Complete(ctx, running.ID); err != nil {
		t.Fatal(err)
	}
	next := mustClaim(t, s, c.Now(), 10)
	if len(next) != 1 || next[0].IntentHash != "h2" || next[0].Attempts != 1 || next[0].HasNext {
		t.Fatalf("after Complete claimed %+v, want the next intent h2", next)
	}
	// A failure of an attempt with a next intent hands over, not before the backoff.
	mustUpsert(t, s, intent("r", "h3"))
	if err := s.Fail(ctx, next[0].ID, errors.New("500"), c.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	j, _ := s.Job(ctx, next[0].ID)
	if j.State != JobPending || j.IntentHash != "h3" || j.LastError != "500" || !j.NextAttemptAt.Equal(c.Now().Add(time.Minute)) {
		t.Errorf("after Fail with a next intent: %+v", j)
	}
}

func TestDeleteJob(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openStore(t, t.TempDir(), c)
	mustUpsert(t, s, intent("a", "h1"))
	if ok, err := s.DeleteJob(ctx, "com.a", "a"); err != nil || !ok {
		t.Fatalf("DeleteJob(pending) = %v, %v", ok, err)
	}
	if got := mustClaim(t, s, c.Now(), 10); len(got) != 0 {
		t.Errorf("a reverted job was claimed: %v", got)
	}
	mustUpsert(t, s, intent("b", "h1"))
	running := mustClaim(t, s, c.Now(), 1)[0]
	mustUpsert(t, s, intent("b", "h2"))
	if ok, err := s.DeleteJob(ctx, "com.a", "b"); err != nil || !ok {
		t.Fatalf("DeleteJob(in flight with next) = %v, %v", ok, err)
	}
	if err := s.Complete(ctx, running.ID); err != nil {
		t.Fatal(err)
	}
	if j, _ := s.Job(ctx, running.ID); j.State != JobDone {
		t.Errorf("job after revert and Complete is %s, want done", j.State)
	}
	if ok, _ := s.DeleteJob(ctx, "com.a", "b"); ok {
		t.Error("DeleteJob of a done job reported a deletion")
	}
}

func TestClaimDueOnly(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openStore(t, t.TempDir(), c)
	mustUpsert(t, s, intent("a", "h"))
	j := mustClaim(t, s, c.Now(), 1)[0]
	if err := s.Fail(ctx, j.ID, errors.New("429"), c.Now().Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	if got := mustClaim(t, s, c.Now().Add(29*time.Second), 10); len(got) != 0 {
		t.Fatalf("claimed a job before its retry time: %v", got)
	}
	got := mustClaim(t, s, c.Now().Add(30*time.Second), 10)
	if len(got) != 1 || got[0].Attempts != 2 || got[0].LastError != "429" {
		t.Fatalf("claim at retry time = %+v, want the job on attempt 2", got)
	}
}

// TestClaimIDs claims only the named jobs, and of them only the due ones.
func TestClaimIDs(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openStore(t, t.TempDir(), c)
	a, b, w := mustUpsert(t, s, intent("a", "h")), mustUpsert(t, s, intent("b", "h")), mustUpsert(t, s, intent("w", "h"))
	if err := s.Hold(ctx, w.ID, "approval"); err != nil {
		t.Fatal(err)
	}
	got, err := s.ClaimIDs(ctx, c.Now(), []int64{b.ID, w.ID})
	if err != nil || len(got) != 1 || got[0].ID != b.ID || got[0].State != JobInFlight || got[0].Attempts != 1 {
		t.Fatalf("ClaimIDs(b, held w) = %+v, %v; want b in flight", got, err)
	}
	if got := mustClaim(t, s, c.Now(), 10); len(got) != 1 || got[0].ID != a.ID {
		t.Errorf("Claim after ClaimIDs = %+v, want only a", got)
	}
	if got, err := s.ClaimIDs(ctx, c.Now(), nil); err != nil || len(got) != 0 {
		t.Errorf("ClaimIDs(none) = %+v, %v", got, err)
	}
}

func TestClaimConcurrency(t *testing.T) {
	c := newClock()
	s := openStore(t, t.TempDir(), c)
	const n = 60
	for i := 0; i < n; i++ {
		mustUpsert(t, s, intent(fmt.Sprintf("r%02d", i), "h"))
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				jobs, err := s.Claim(context.Background(), c.Now(), 3)
				if err != nil {
					errs <- err
					return
				}
				if len(jobs) == 0 {
					return
				}
				mu.Lock()
				for _, j := range jobs {
					seen[j.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != n {
		t.Errorf("claimed %d distinct jobs, want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("job %d claimed %d times", id, k)
		}
	}
}

func TestCrashRecovery(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := newClock()
	s, err := Open(dir, Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	mustUpsert(t, s, intent("a", "h1"))
	mustUpsert(t, s, intent("b", "h1"))
	claimed := mustClaim(t, s, c.Now(), 2)
	mustUpsert(t, s, intent("b", "h2")) // arrives while b is in flight
	s.Close()                           // the process dies mid-attempt

	c.Advance(time.Hour)
	s = openStore(t, dir, c)
	if got := mustClaim(t, s, c.Now(), 10); len(got) != 0 {
		t.Fatalf("in-flight jobs claimable before ResetInFlight: %v", got)
	}
	n, err := s.ResetInFlight(ctx)
	if err != nil || n != 2 {
		t.Fatalf("ResetInFlight = %d, %v; want 2", n, err)
	}
	again := mustClaim(t, s, c.Now(), 10)
	got := map[string]Job{}
	for _, j := range again {
		got[j.Resource] = j
	}
	if len(again) != 2 || got["a"].ID != claimed[0].ID || got["a"].Attempts != 2 || got["b"].IntentHash != "h2" {
		t.Errorf("after recovery claimed %+v", again)
	}
}

func TestHoldApproveRetryCounts(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openStore(t, t.TempDir(), c)
	held := intent("big", "h")
	held.HoldReason = "needs approval: 40 operations"
	mustUpsert(t, s, held)
	other := intent("x", "h")
	other.App = "com.b"
	other.HoldReason = "conflict"
	mustUpsert(t, s, other)
	mustUpsert(t, s, intent("fails", "h"))
	mustUpsert(t, s, intent("waits", "h"))
	mustUpsert(t, s, intent("runs", "h"))

	claimed := mustClaim(t, s, c.Now(), 10)
	if len(claimed) != 3 {
		t.Fatalf("claimed %d, want 3 (held jobs are not claimed)", len(claimed))
	}
	byRes := map[string]int64{}
	for _, j := range claimed {
		byRes[j.Resource] = j.ID
	}
	if err := s.Fail(ctx, byRes["fails"], errors.New("STATE_ERROR"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Fail(ctx, byRes["waits"], errors.New("503"), c.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(JobCounts{InFlight: 1, RetryWait: 1, Held: 2, Failed: 1}, counts); diff != "" {
		t.Errorf("Counts (-want +got):\n%s", diff)
	}
	if n, err := s.Approve(ctx, "com.a"); err != nil || n != 1 {
		t.Fatalf("Approve(com.a) = %d, %v; want 1", n, err)
	}
	if err := s.Retry(ctx, byRes["fails"]); err != nil {
		t.Fatal(err)
	}
	if err := s.Retry(ctx, byRes["runs"]); !errors.Is(err, ErrWrongState) {
		t.Errorf("Retry(in flight) = %v, want ErrWrongState", err)
	}
	if err := s.Retry(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Retry(missing) = %v, want ErrNotFound", err)
	}
	if err := s.Complete(ctx, byRes["fails"]); !errors.Is(err, ErrWrongState) {
		t.Errorf("Complete(pending) = %v, want ErrWrongState", err)
	}
	got := mustClaim(t, s, c.Now(), 10)
	var names []string
	for _, j := range got {
		names = append(names, j.Resource)
	}
	if diff := cmp.Diff([]string{"big", "fails"}, names); diff != "" {
		t.Errorf("claimed after Approve and Retry (-want +got):\n%s", diff)
	}
	list, err := s.Jobs(ctx, JobFilter{App: "com.b"})
	if err != nil || len(list) != 1 || list[0].State != JobHeld || list[0].HeldReason != "conflict" {
		t.Errorf("Jobs(com.b) = %+v, %v", list, err)
	}
}

func TestPruneDone(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := openStore(t, t.TempDir(), c)
	mustUpsert(t, s, intent("a", "h"))
	j := mustClaim(t, s, c.Now(), 1)[0]
	if err := s.Complete(ctx, j.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.PruneDone(ctx, c.Now()); n != 0 {
		t.Errorf("pruned %d jobs done at the cut-off", n)
	}
	if n, _ := s.PruneDone(ctx, c.Now().Add(time.Second)); n != 1 {
		t.Errorf("pruned %d jobs, want 1", n)
	}
}
