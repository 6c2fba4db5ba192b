package daemon

import (
	"strings"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

func TestExplainWait(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	later := now.Add(90 * time.Second)
	tests := []struct {
		name    string
		job     state.Job
		paused  bool
		spent   bool
		want    string
		why     string // a part of Why
		resumes bool
	}{
		{name: "auto off", job: state.Job{State: state.JobHeld, Keys: []string{"ja/keyword"}, HeldReason: holdAutoOff}, want: waitApproval, why: "storesyncer approve ja/keyword"},
		{name: "too many", job: state.Job{State: state.JobHeld, HeldReason: "30 operations exceed approve_over (20): …"}, want: waitApproval, why: "approve"},
		{name: "conflict", job: state.Job{State: state.JobHeld, HeldReason: "conflict: settle with …"}, want: waitConflict, why: "conflict: settle"},
		{name: "version", job: state.Job{State: state.JobHeld, HeldReason: "held: the version is in review"}, want: waitHeld, why: "in review"},
		{name: "failed", job: state.Job{ID: 4, State: state.JobFailed, Attempts: 10, LastError: "boom"}, want: waitFailed, why: "jobs retry 4"},
		{name: "paused", job: state.Job{State: state.JobPending}, paused: true, want: waitPaused, why: "resume"},
		{name: "budget spent", job: state.Job{State: state.JobInFlight}, spent: true, want: waitRateBudget, why: "resumes at", resumes: true},
		{name: "busy set", job: state.Job{State: state.JobRetryWait, NextAttemptAt: later, LastError: errBusySet}, want: waitBusySet, why: "looks again at", resumes: true},
		{name: "429", job: state.Job{State: state.JobRetryWait, NextAttemptAt: later, LastError: "GET …: 429 Too Many Requests: RATE_LIMIT_EXCEEDED"}, want: waitRateBudget, why: "429", resumes: true},
		{name: "backoff", job: state.Job{State: state.JobRetryWait, Attempts: 2, NextAttemptAt: later, LastError: "PATCH …: 500"}, want: waitRetry, why: "attempt 2 failed", resumes: true},
		{name: "due", job: state.Job{State: state.JobPending, NextAttemptAt: now}, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := unitDaemon(t, &fakeEngine{}, clock.NewFake(now), nil)
			d.paused.Store(tc.paused)
			if tc.spent {
				d.spent = func() (ascapi.RateLimit, time.Time, bool) {
					return ascapi.RateLimit{Limit: 300, Known: true}, later, true
				}
			}
			var aj statusapi.Job
			d.explainWait(&aj, tc.job, now)
			if aj.WaitingFor != tc.want || !strings.Contains(aj.Why, tc.why) {
				t.Errorf("waits for %q (%s); want %q with %q", aj.WaitingFor, aj.Why, tc.want, tc.why)
			}
			if (aj.ResumesAt != nil) != tc.resumes || (tc.resumes && !aj.ResumesAt.Equal(later)) {
				t.Errorf("resumes at %v; want %v: %v", aj.ResumesAt, tc.resumes, later)
			}
		})
	}
}
