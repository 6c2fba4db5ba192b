package daemon

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// TestAPIStatusMapsEveryField: the daemon's Status reaches the status API's wire type field
// for field (the queue, last syncs and approvals are added from the state by backend.Status),
// and an empty one is the same JSON as an empty wire Status.
func TestAPIStatusMapsEveryField(t *testing.T) {
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	in := Status{
		Version: "v1.0.0", StartedAt: at, StateDir: "/state", Paused: true,
		Apps: []AppStatus{{BundleID: "com.example.app", Platform: "IOS", Account: "default", TargetVersion: "2.1.0",
			VersionState: "PREPARE_FOR_SUBMISSION", ActiveCollection: "christmas", Paused: true, Error: "denied",
			Lease: &LeaseStatus{Lease: Lease{Host: "build-mac", PID: 4242, Heartbeat: at}, Ours: true}}},
		Problems:  []Problem{{App: "com.example.app", Collection: "christmas", Path: "keyword/de-DE.txt", Code: "text.too_long", Severity: "error", Message: "too long"}},
		Conflicts: []Conflict{{App: "com.example.app", Key: "en-US/description", Reason: "changed on both sides"}},
		Budget:    ascapi.RateLimit{Limit: 3600, Remaining: 3412}, BudgetKnown: true,
		Watcher: WatcherStatus{Up: true, WatchedDirs: 42, PendingPaths: 1, LastRescan: &at, Error: "overflow"},
	}
	want := statusapi.Status{
		Version: "v1.0.0", StartedAt: at, StateDir: "/state", Paused: true,
		Apps: []statusapi.AppStatus{{BundleID: "com.example.app", Platform: "IOS", Account: "default", TargetVersion: "2.1.0",
			VersionState: "PREPARE_FOR_SUBMISSION", ActiveCollection: "christmas", Paused: true, Error: "denied",
			Lease: &statusapi.Lease{Host: "build-mac", PID: 4242, Heartbeat: at, Ours: true}}},
		Problems:  []statusapi.Problem{{App: "com.example.app", Collection: "christmas", Path: "keyword/de-DE.txt", Code: "text.too_long", Severity: "error", Message: "too long"}},
		Conflicts: []statusapi.Conflict{{App: "com.example.app", Key: "en-US/description", Reason: "changed on both sides"}},
		RateLimit: statusapi.RateLimit{Limit: 3600, Remaining: 3412, Known: true, ResetHint: "Apple's budget is a rolling hour"},
		Watcher:   statusapi.Watcher{Up: true, WatchedDirs: 42, PendingPaths: 1, LastRescan: &at, Error: "overflow"},
	}
	if diff := cmp.Diff(want, apiStatus(in)); diff != "" {
		t.Errorf("apiStatus (-want +got):\n%s", diff)
	}
	got, _ := json.Marshal(apiStatus(Status{StartedAt: at}))
	empty, _ := json.Marshal(statusapi.Status{StartedAt: at})
	if string(got) != string(empty) {
		t.Errorf("empty status = %s, want %s", got, empty)
	}
}
