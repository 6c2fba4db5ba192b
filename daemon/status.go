package daemon

import (
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
)

// Status is what the daemon knows at one moment (Snapshot): its apps, the problems and
// conflicts of their collections, the request budget and the watcher. It is plain data owned
// by the caller; the status API maps it to its wire types (backend.Status).
type Status struct {
	Version   string
	StartedAt time.Time
	StateDir  string
	// Paused is true while the daemon holds all uploads.
	Paused    bool
	Apps      []AppStatus
	Problems  []Problem
	Conflicts []Conflict
	// Budget is the account budget with the least left; BudgetKnown is false until a
	// response reported one.
	Budget      ascapi.RateLimit
	BudgetKnown bool
	Watcher     WatcherStatus
}

// AppStatus is one app of the workspace as the daemon sees it.
type AppStatus struct {
	BundleID, Platform, Account string
	// TargetVersion and VersionState are the version written to and App Store Connect's
	// state of it; empty until known.
	TargetVersion, VersionState string
	ActiveCollection            string
	// Paused is true when the app's uploads are held (daemon paused, lease held elsewhere).
	Paused bool
	// Lease is the app's lease; nil when none is known.
	Lease *LeaseStatus
	// Error is a condition that stops the app from syncing.
	Error string
}

// LeaseStatus is an app's lease and whether this daemon holds it.
type LeaseStatus struct {
	Lease
	Ours bool
}

// Problem is one problem of the workspace, an app file or a collection the daemon watches.
type Problem struct {
	App, Collection, Path, Code string
	// Severity is "error" or "warning".
	Severity string
	Message  string
}

// Conflict is a key that waits for a decision.
type Conflict struct {
	App, Key, Reason string
}

// WatcherStatus is the file watcher's state.
type WatcherStatus struct {
	// Up is true while native file events arrive; false when degraded to rescans.
	Up                        bool
	WatchedDirs, PendingPaths int
	LastRescan                *time.Time
	Error                     string
}
