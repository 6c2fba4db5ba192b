package daemon

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// TestWorkerOutcomes runs one job through the dispatcher with a fake engine and checks where
// each outcome leaves it; a failure is retried after its backoff on the fake clock.
func TestWorkerOutcomes(t *testing.T) {
	const key = plan.Key("de-DE/keyword")
	tests := []struct {
		name      string
		results   []SyncResult // one per attempt
		wantState state.JobState
		wantErr   string
	}{
		{name: "done", results: []SyncResult{{Done: []plan.Key{key}}}, wantState: state.JobDone},
		{name: "failure then success", results: []SyncResult{
			{Failed: map[plan.Key]error{key: errors.New("answered 500")}},
			{Done: []plan.Key{key}},
		}, wantState: state.JobDone},
		{name: "conflict is held", results: []SyncResult{{Conflicts: map[plan.Key]string{key: "changed on both sides"}}},
			wantState: state.JobHeld, wantErr: "changed on both sides"},
		{name: "busy set waits", results: []SyncResult{{Busy: []plan.Key{key}}},
			wantState: state.JobRetryWait, wantErr: "processing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &countingClock{Fake: clock.NewFake(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))}
			var calls atomic.Int64
			eng := &fakeEngine{sync: func(app string, keys []plan.Key) (SyncResult, error) {
				n := calls.Add(1)
				if int(n) > len(tt.results) {
					t.Errorf("sync called %d times, want %d", n, len(tt.results))
					return SyncResult{Done: keys}, nil
				}
				return tt.results[n-1], nil
			}}
			d := unitDaemon(t, eng, clk, nil)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error)
			go func() { done <- d.dispatch.run(ctx) }()
			defer func() { cancel(); <-done }()
			j, err := d.store.Upsert(ctx, state.JobIntent{App: testApp, Resource: string(key.Resource()), Keys: []string{string(key)}, IntentHash: "h"})
			if err != nil {
				t.Fatal(err)
			}
			poke(d.workc)
			job := func() state.Job {
				got, err := d.store.Job(ctx, j.ID)
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			waitJob := func(what string, ok func(state.Job) bool) state.Job {
				t.Helper()
				deadline := time.Now().Add(waitLimit)
				for {
					got := job()
					if ok(got) {
						return got
					}
					if time.Now().After(deadline) {
						t.Fatalf("timed out waiting for %s; job %+v", what, got)
					}
					time.Sleep(time.Millisecond)
				}
			}
			for i := 1; i < len(tt.results); i++ {
				got := waitJob("a retry", func(j state.Job) bool { return j.State == state.JobRetryWait })
				if wait := got.NextAttemptAt.Sub(clk.Now()); wait != backoff(1, 0).Truncate(time.Millisecond) {
					t.Errorf("retry in %v, want %v", wait, backoff(1, 0))
				}
				// Move the fake clock until the retry ran: the dispatcher arms its timer after it
				// recorded the failure, so one jump could come before the timer exists.
				for job().State == state.JobRetryWait {
					clk.Advance(50 * time.Millisecond)
					time.Sleep(time.Millisecond)
				}
			}
			got := waitJob(string(tt.wantState), func(j state.Job) bool { return j.State == tt.wantState && calls.Load() == int64(len(tt.results)) })
			if msg := got.LastError + got.HeldReason; !strings.Contains(msg, tt.wantErr) {
				t.Errorf("job says %q, want it to mention %q", msg, tt.wantErr)
			}
		})
	}
}
