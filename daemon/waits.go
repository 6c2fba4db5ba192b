package daemon

import (
	"fmt"
	"strings"
	"time"

	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// What a job waits for, as statusapi.Job.WaitingFor says it.
const (
	waitApproval   = "approval"
	waitConflict   = "conflict"
	waitHeld       = "held"
	waitRateBudget = "rate_budget"
	waitBusySet    = "busy_set"
	waitRetry      = "retry"
	waitFailed     = "failed"
	waitPaused     = "paused"
)

// errBusySet is the error a job waiting for App Store Connect's processing of its set
// records.
const errBusySet = "assets still processing on App Store Connect"

// explainWait fills in what job aj (from j) waits for and why, at now.
func (d *Daemon) explainWait(aj *statusapi.Job, j state.Job, now time.Time) {
	at := func(t time.Time) {
		if t.After(now) {
			aj.ResumesAt = &t
		}
	}
	switch j.State {
	case state.JobDone:
		return
	case state.JobHeld:
		switch {
		case approvalHold(j.HeldReason):
			aj.WaitingFor = waitApproval
			aj.Why = fmt.Sprintf("waits for approval: `storesyncer approve %s` or --all (%s)", strings.Join(j.Keys, " "), j.HeldReason)
		case strings.HasPrefix(j.HeldReason, "conflict"):
			aj.WaitingFor, aj.Why = waitConflict, j.HeldReason
		default:
			aj.WaitingFor, aj.Why = waitHeld, j.HeldReason
		}
		return
	case state.JobFailed:
		aj.WaitingFor = waitFailed
		aj.Why = fmt.Sprintf("failed after %d attempt(s): %s; retry with `storesyncer jobs retry %d`", j.Attempts, singleLine(j.LastError), j.ID)
		return
	}
	if d.paused.Load() && j.State != state.JobInFlight {
		aj.WaitingFor, aj.Why = waitPaused, "uploads are paused: `POST /api/v1/resume` releases them"
		return
	}
	if d.spent != nil {
		if rl, resume, ok := d.spent(); ok {
			aj.WaitingFor = waitRateBudget
			aj.Why = fmt.Sprintf("the request budget is spent (%d of %d left): resumes at %s", rl.Remaining, rl.Limit, resume.Local().Format(time.TimeOnly))
			at(resume)
			return
		}
	}
	if j.State != state.JobRetryWait || !j.NextAttemptAt.After(now) {
		return
	}
	at(j.NextAttemptAt)
	when := j.NextAttemptAt.Local().Format(time.TimeOnly)
	switch {
	case strings.Contains(j.LastError, errBusySet):
		aj.WaitingFor, aj.Why = waitBusySet, "the set's new assets are still processing on App Store Connect: looks again at "+when
	case errorReasonText(j.LastError) == "rate_limited":
		aj.WaitingFor, aj.Why = waitRateBudget, "App Store Connect answered 429 (rate limit): resumes at "+when
	default:
		aj.WaitingFor = waitRetry
		aj.Why = fmt.Sprintf("attempt %d failed: %s; retrying at %s", j.Attempts, singleLine(j.LastError), when)
	}
}

// errorReasonText classifies a stored error message the way errorReason classifies errors.
func errorReasonText(msg string) string {
	if strings.Contains(msg, "429") || strings.Contains(msg, "RATE_LIMIT_EXCEEDED") {
		return "rate_limited"
	}
	return ""
}

// singleLine joins the lines of s.
func singleLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// queueWaits groups the waits of jobs for the status page.
func queueWaits(jobs []statusapi.Job) []statusapi.QueueWait {
	var out []statusapi.QueueWait
	for _, j := range jobs {
		if j.WaitingFor == "" {
			continue
		}
		found := false
		for i := range out {
			if out[i].For == j.WaitingFor {
				out[i].Jobs++
				found = true
			}
		}
		if !found {
			out = append(out, statusapi.QueueWait{For: j.WaitingFor, Jobs: 1, Why: j.Why})
		}
	}
	return out
}
