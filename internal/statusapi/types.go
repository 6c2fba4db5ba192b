// Package statusapi is the daemon's loopback HTTP API: health, metrics, status, queue, history,
// live events, and the control endpoints the CLI calls instead of working in-process.
package statusapi

import (
	"encoding/json"
	"time"
)

// Status is what GET /api/v1/status answers: a snapshot of the daemon. The zero value is an
// idle daemon with no apps.
type Status struct {
	// Version is StoreSyncer's version.
	Version string `json:"version,omitempty"`
	// StartedAt is when the daemon started.
	StartedAt time.Time `json:"started_at"`
	// StateDir is the daemon's state directory (one daemon per state dir).
	StateDir string `json:"state_dir,omitempty"`
	// Paused is true while the daemon holds all uploads (POST /api/v1/pause).
	Paused    bool        `json:"paused"`
	Apps      []AppStatus `json:"apps"`
	Queue     Queue       `json:"queue"`
	Problems  []Problem   `json:"problems"`
	Conflicts []Conflict  `json:"conflicts"`
	RateLimit RateLimit   `json:"rate_limit"`
	Watcher   Watcher     `json:"watcher"`
	// TLSFingerprint is the SHA-256 fingerprint of the API's TLS certificate; "" without TLS.
	TLSFingerprint string `json:"tls_fingerprint,omitempty"`
}

// MarshalJSON writes Status with empty lists as [] rather than null, so clients can iterate
// without a nil check.
func (s Status) MarshalJSON() ([]byte, error) {
	type plain Status // without the method, to avoid recursion
	p := plain(s)
	p.Apps = nonNil(p.Apps)
	p.Problems = nonNil(p.Problems)
	p.Conflicts = nonNil(p.Conflicts)
	return json.Marshal(p)
}

// AppStatus is the state of one app the daemon syncs.
type AppStatus struct {
	BundleID string `json:"bundle_id"`
	// Platform is IOS, MAC_OS, TV_OS or VISION_OS.
	Platform string `json:"platform"`
	Account  string `json:"account,omitempty"`
	// TargetVersion is the version string StoreSyncer writes to ("2.1.0"); empty when unknown.
	TargetVersion string `json:"target_version,omitempty"`
	// VersionState is App Store Connect's state of the target version (PREPARE_FOR_SUBMISSION).
	VersionState     string `json:"version_state,omitempty"`
	ActiveCollection string `json:"active_collection"`
	// LastSync is when the app was last fully in step; nil if never.
	LastSync *time.Time `json:"last_sync,omitempty"`
	// Paused is true when this app's uploads are held (daemon paused, lease held elsewhere).
	Paused bool `json:"paused"`
	// AwaitingApproval counts operations held until `approve` because they exceed approve_over.
	AwaitingApproval int `json:"awaiting_approval,omitempty"`
	// Lease is the app's cross-machine lease; nil when none is known.
	Lease *Lease `json:"lease,omitempty"`
	// Error is a condition that stops this app from syncing (e.g. macOS denied folder access).
	Error string `json:"error,omitempty"`
}

// Lease describes who holds an app's lease file.
type Lease struct {
	Host      string    `json:"host"`
	PID       int       `json:"pid"`
	Heartbeat time.Time `json:"heartbeat"`
	// Ours is true when this daemon holds the lease.
	Ours bool `json:"ours"`
}

// Queue counts jobs by state.
type Queue struct {
	Pending  int `json:"pending"`
	InFlight int `json:"in_flight"`
	Failed   int `json:"failed"`
	// Held counts jobs waiting for approval or for invalid keys to be fixed.
	Held int `json:"held"`
	// Waiting groups the jobs that wait by what they wait for (see Job.WaitingFor), with the
	// first one's reason.
	Waiting []QueueWait `json:"waiting,omitempty"`
}

// QueueWait is one kind of wait of the queue.
type QueueWait struct {
	For  string `json:"for"`
	Jobs int    `json:"jobs"`
	Why  string `json:"why"`
}

// Problem is one validation problem of a collection the daemon watches.
type Problem struct {
	App        string `json:"app"`
	Collection string `json:"collection"`
	Path       string `json:"path"`
	Code       string `json:"code"`
	// Severity is "error" or "warning".
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// Conflict is a key that needs a decision (`storesyncer resolve`).
type Conflict struct {
	App    string `json:"app"`
	Key    string `json:"key"`
	Reason string `json:"reason"`
}

// RateLimit is the App Store Connect request budget as last reported by X-Rate-Limit.
type RateLimit struct {
	Limit     int `json:"limit"`
	Remaining int `json:"remaining"`
	// Known is false until a response carried the header; Limit and Remaining are then 0.
	Known bool `json:"known"`
	// ResetHint tells a human when the budget recovers (Apple's budget is a rolling hour).
	ResetHint string `json:"reset_hint,omitempty"`
}

// Watcher is the state of the file watcher.
type Watcher struct {
	// Up is true while native file events arrive; false when degraded to rescans.
	Up           bool       `json:"up"`
	WatchedDirs  int        `json:"watched_dirs"`
	PendingPaths int        `json:"pending_paths"`
	LastRescan   *time.Time `json:"last_rescan,omitempty"`
	Error        string     `json:"error,omitempty"`
}

// Job is one persisted unit of work: one resource of one app.
type Job struct {
	ID       int64    `json:"id"`
	App      string   `json:"app"`
	Resource string   `json:"resource"`
	Keys     []string `json:"keys"`
	// State is pending, in_flight, retry_wait, failed or held.
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	LastError     string     `json:"last_error,omitempty"`
	// WaitingFor says what a job that is not running waits for: approval, conflict, held (the
	// version or an invalid key), rate_budget, busy_set (App Store Connect still processes the
	// set), retry (backoff after a failure), failed (until retried), paused; empty when it is
	// due or running. Why says it for people, with when it resumes when that is known.
	WaitingFor string `json:"waiting_for,omitempty"`
	Why        string `json:"why,omitempty"`
	// ResumesAt is when the wait ends by itself (rate budget, busy set, retry).
	ResumesAt *time.Time `json:"resumes_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// HistoryEntry is one finished job or action, newest first in listings.
type HistoryEntry struct {
	ID       int64     `json:"id"`
	Time     time.Time `json:"time"`
	App      string    `json:"app"`
	Resource string    `json:"resource,omitempty"`
	Keys     []string  `json:"keys,omitempty"`
	// Action says what was done ("push", "pull", "resolve", "activate", "rebaseline").
	Action string `json:"action"`
	// Result is "success", "failed" or "dropped".
	Result string `json:"result"`
	// Calls counts App Store Connect API calls the action made (upload traffic excluded).
	Calls int    `json:"calls"`
	Error string `json:"error,omitempty"`
	// Member is who did it: a team member's name, "local" (the user running the daemon,
	// edits saved in the folder) or "web" (changes found on App Store Connect).
	Member string `json:"member,omitempty"`
}

// Event is one entry of the daemon's event log, streamed by GET /api/v1/events.
type Event struct {
	// ID increases with every event; SSE clients resume with Last-Event-ID.
	ID   int64     `json:"id"`
	Time time.Time `json:"time"`
	// Type is a dotted event name ("job.completed", "conflict.detected"); "reset" tells a
	// resuming client that events it asked for were already trimmed.
	Type string          `json:"type"`
	App  string          `json:"app,omitempty"`
	Data json.RawMessage `json:"data,omitempty"`
}

// EventReset is the type of the synthetic event sent when a replay cannot start where the client
// asked because older events were trimmed.
const EventReset = "reset"

// JobList is the body of GET /api/v1/queue.
type JobList struct {
	Jobs []Job `json:"jobs"`
}

// HistoryList is the body of GET /api/v1/history.
type HistoryList struct {
	Entries []HistoryEntry `json:"entries"`
}

// ApproveRequest is the body of POST /api/v1/approve.
type ApproveRequest struct {
	App string `json:"app,omitempty"`
	// Keys, when set, limits the approval to the jobs that change one of these keys.
	Keys []string `json:"keys,omitempty"`
}

// ApproveResult is the answer to POST /api/v1/approve.
type ApproveResult struct {
	// Approved counts the operations released.
	Approved int `json:"approved"`
}

// DashboardLogin is the answer to POST /api/v1/dashboard/login: a one-time URL that logs a
// browser in to the dashboard. It is a secret until used: print it only to the person asking.
type DashboardLogin struct {
	URL string `json:"url"`
}

// OK is the answer of control endpoints that return nothing else (rescan, pause, resume, retry).
type OK struct {
	OK bool `json:"ok"`
}

// The exit codes of the storesyncer command (DESIGN.md §3), which OpResult.ExitCode carries.
// When several apply, the highest-ranked wins: usage/config (2) > failure (1) > conflict (4) >
// validation (3) > ok (0).
const (
	ExitOK         = 0
	ExitFailure    = 1
	ExitUsage      = 2
	ExitValidation = 3
	ExitConflict   = 4
)

// OpResult is the outcome of a command the daemon ran for the CLI (push, pull, resolve, apps
// add, collections activate): the exit code the CLI should end with, what it should print, and
// the error when the command failed.
type OpResult struct {
	ExitCode int `json:"exit_code"`
	// Output is the command's --json document, when the command produces one.
	Output json.RawMessage `json:"output,omitempty"`
	// Lines is the command's human output, one line each.
	Lines []string `json:"lines,omitempty"`
	// Notes are what the command prints on stderr for people (a collection's problems).
	Notes []string   `json:"notes,omitempty"`
	Error *ErrorBody `json:"error,omitempty"`
}

// ErrorBody is the {"code","message","path"} object of every JSON error.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Path    string `json:"path,omitempty"`
	// Role and Operation name the refused role and operation of a "forbidden" error.
	Role      string `json:"role,omitempty"`
	Operation string `json:"operation,omitempty"`
}

// CodeForbidden is the code of a request the role table refuses (HTTP 403).
const CodeForbidden = "forbidden"

// ErrorResponse is the body of every non-2xx answer: {"error":{…}}.
type ErrorResponse struct {
	Error ErrorBody `json:"error"`
}

// Health is the body of GET /healthz.
type Health struct {
	Status string `json:"status"`
}
