package statusapi

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.json golden files")

// TestGoldenJSON pins the wire shape of every API type: a renamed field breaks the CLI and
// scripts, so it must show up as a diff in testdata/. Run with -update to accept a change.
func TestGoldenJSON(t *testing.T) {
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	later := at.Add(90 * time.Second)
	tests := []struct {
		name string
		v    any
	}{
		{"status", Status{
			Version: "v1.0.0", StartedAt: at, StateDir: "/home/me/.local/state/storesyncer",
			Apps: []AppStatus{{
				BundleID: "com.example.app", Platform: "IOS", Account: "default", TargetVersion: "2.1.0",
				VersionState: "PREPARE_FOR_SUBMISSION", ActiveCollection: "christmas", LastSync: &at,
				AwaitingApproval: 24, Lease: &Lease{Host: "build-mac", PID: 4242, Heartbeat: at, Ours: true},
			}},
			Queue:     Queue{Pending: 3, InFlight: 1, Failed: 1, Held: 2},
			Problems:  []Problem{{App: "com.example.app", Collection: "christmas", Path: "keyword/de-DE.txt", Code: "text.too_long", Severity: "error", Message: "104 characters, at most 100"}},
			Conflicts: []Conflict{{App: "com.example.app", Key: "en-US/description", Reason: "changed on both sides"}},
			RateLimit: RateLimit{Limit: 3600, Remaining: 3412, Known: true, ResetHint: "rolling hour"},
			Watcher:   Watcher{Up: true, WatchedDirs: 42, PendingPaths: 1, LastRescan: &at},
		}},
		{"status_empty", Status{StartedAt: at}},
		{"job", Job{ID: 7, App: "com.example.app", Resource: "appStoreVersionLocalizations/de-DE", Keys: []string{"de-DE/keyword", "de-DE/description"}, State: "retry_wait", Attempts: 2, NextAttemptAt: &later, LastError: "HTTP 503", CreatedAt: at, UpdatedAt: later}},
		{"job_list", JobList{Jobs: []Job{}}},
		{"history_entry", HistoryEntry{ID: 12, Time: at, App: "com.example.app", Resource: "appScreenshotSets/de-DE/APP_IPHONE_67", Keys: []string{"de-DE/screenshot/APP_IPHONE_67"}, Action: "push", Result: "success", Calls: 5}},
		{"history_list", HistoryList{Entries: []HistoryEntry{{ID: 1, Time: at, App: "a", Action: "pull", Result: "failed", Error: "HTTP 500"}}}},
		{"event", Event{ID: 99, Time: at, Type: "job.completed", App: "com.example.app", Data: json.RawMessage(`{"job":7,"result":"success"}`)}},
		{"approve_request", ApproveRequest{App: "com.example.app"}},
		{"approve_result", ApproveResult{Approved: 24}},
		{"ok", OK{OK: true}},
		{"op_result_output", OpResult{ExitCode: 0, Output: json.RawMessage(`{"ops":[]}`)}},
		{"op_result_failed", OpResult{ExitCode: 1, Lines: []string{"pushing 2 keys", "de-DE/keyword: HTTP 409"}, Error: &ErrorBody{Code: "asc.state_error", Message: "version is not editable", Path: "keyword/de-DE.txt"}}},
		{"error_response", ErrorResponse{Error: ErrorBody{Code: "unauthorized", Message: "missing or wrong bearer token"}}},
		{"health", Health{Status: "ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.MarshalIndent(tt.v, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", tt.name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s changed (-golden +got):\n%s", path, diff)
			}
			// The golden file decodes back to the same value, so clients read what servers write.
			back := reflect.New(reflect.TypeOf(tt.v))
			dec := json.NewDecoder(bytes.NewReader(want))
			dec.DisallowUnknownFields()
			if err := dec.Decode(back.Interface()); err != nil {
				t.Fatalf("decode %s: %v", path, err)
			}
			again, err := json.Marshal(back.Elem().Interface())
			if err != nil {
				t.Fatal(err)
			}
			orig, _ := json.Marshal(tt.v)
			if diff := cmp.Diff(string(orig), string(again)); diff != "" {
				t.Errorf("%s does not round-trip (-want +got):\n%s", path, diff)
			}
		})
	}
}
