package statusapi

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestClientRoundTrips(t *testing.T) {
	var got []any // what the backend received, in order
	record := func(v any) { got = append(got, v) }
	synced := time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC)
	status := Status{Paused: true, Apps: []AppStatus{{BundleID: "com.example.app", Platform: "IOS", TargetVersion: "2.1.0", ActiveCollection: "main", LastSync: &synced}}, Queue: Queue{Pending: 2}, Problems: []Problem{}, Conflicts: []Conflict{}}
	jobs := []Job{{ID: 7, App: "com.example.app", Resource: "appStoreVersionLocalizations/de-DE", Keys: []string{"de-DE/keyword"}, State: "pending", CreatedAt: synced, UpdatedAt: synced}}
	hist := []HistoryEntry{{ID: 3, Time: synced, App: "com.example.app", Action: "push", Result: "success", Calls: 1}}
	res := OpResult{ExitCode: 4, Lines: []string{"1 conflict"}, Error: &ErrorBody{Code: "conflict", Message: "1 key needs a decision"}}
	fb := &fakeBackend{
		status: func() Status { return status },
		jobs:   func() ([]Job, error) { return jobs, nil },
		history: func(app string, limit int, before int64) ([]HistoryEntry, error) {
			record([]any{app, limit, before})
			return hist, nil
		},
		rescan:  func() error { record("rescan"); return nil },
		pause:   func() error { record("pause"); return nil },
		resume:  func() error { record("resume"); return nil },
		approve: func(app string) (int, error) { record("approve " + app); return 25, nil },
		retry:   func(id int64) error { record(id); return nil },
		command: func(name string, body []byte) (OpResult, error) {
			record(name + " " + string(body))
			return res, nil
		},
	}
	ts := startServer(t, fb, nil)
	c := ts.client
	ctx := context.Background()

	if !c.Running(ctx) {
		t.Error("Running = false with a server up")
	}
	st, err := c.Status(ctx)
	check(t, err, status, st)
	gotJobs, err := c.Jobs(ctx)
	check(t, err, jobs, gotJobs)
	gotHist, err := c.History(ctx, "com.example.app", 10, 99)
	check(t, err, hist, gotHist)
	_, err = c.History(ctx, "", 0, 0)
	noErr(t, err)
	// The control endpoints, as curl users call them (the CLI sends commands instead).
	noErr(t, c.do(ctx, http.MethodPost, "/api/v1/rescan", nil, nil))
	noErr(t, c.do(ctx, http.MethodPost, "/api/v1/pause", nil, nil))
	noErr(t, c.do(ctx, http.MethodPost, "/api/v1/resume", nil, nil))
	var approved ApproveResult
	noErr(t, c.do(ctx, http.MethodPost, "/api/v1/approve", ApproveRequest{App: "com.example.app"}, &approved))
	check(t, nil, 25, approved.Approved)
	noErr(t, c.do(ctx, http.MethodPost, "/api/v1/jobs/42/retry", nil, nil))
	r, err := c.Command(ctx, "collections.create", map[string]string{"app": "a", "collection": "christmas"})
	check(t, err, res, r)
	want := []any{
		[]any{"com.example.app", 10, int64(99)},
		[]any{"", defaultHistoryLimit, int64(0)},
		"rescan", "pause", "resume", "approve com.example.app", int64(42),
		`collections.create {"app":"a","collection":"christmas"}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("backend received (-want +got):\n%s", diff)
	}
}

func check[T any](tb testing.TB, err error, want, got T) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("unexpected error: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		tb.Errorf("(-want +got):\n%s", diff)
	}
}

func TestClientErrors(t *testing.T) {
	fb := &fakeBackend{
		retry:  func(id int64) error { return errors.New("job 5: " + ErrNotFound.Error()) },
		rescan: func() error { return errors.Join(errors.New("rescan"), ErrNotFound) },
	}
	ts := startServer(t, fb, nil)
	ctx := context.Background()
	var ae *Error
	err := ts.client.do(ctx, http.MethodPost, "/api/v1/rescan", nil, nil)
	if !errors.As(err, &ae) || ae.Status != 404 || ae.Code != "not_found" {
		t.Errorf("Rescan = %v, want a 404 not_found *Error", err)
	}
	err = ts.client.do(ctx, http.MethodPost, "/api/v1/jobs/5/retry", nil, nil)
	if !errors.As(err, &ae) || ae.Status != 500 || ae.Message != "job 5: not found" {
		t.Errorf("Retry = %v, want a 500 *Error carrying the message", err)
	}

	// A client with another token gets 401 as *Error, not ErrNotRunning.
	other := filepath.Join(t.TempDir(), "tok")
	if err := os.WriteFile(other, []byte("nope\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(ClientConfig{Listen: ts.srv.Addr(), TokenFile: other})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Status(ctx)
	if !errors.As(err, &ae) || ae.Status != 401 || errors.Is(err, ErrNotRunning) {
		t.Errorf("Status with a wrong token = %v, want a 401 *Error", err)
	}
}

func TestClientNotRunning(t *testing.T) {
	// A port nothing listens on: take one and close it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	tok := filepath.Join(dir, "api-token")
	if err := os.WriteFile(tok, []byte("x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		tokenFile string
	}{
		{"nothing listens", tok},
		{"no token file", filepath.Join(dir, "missing")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(ClientConfig{Listen: addr, TokenFile: tt.tokenFile})
			if err != nil {
				t.Fatal(err)
			}
			if c.Running(context.Background()) {
				t.Error("Running = true with nothing listening")
			}
			_, err = c.Status(context.Background())
			if !errors.Is(err, ErrNotRunning) {
				t.Errorf("Status = %v, want ErrNotRunning", err)
			}
			err = c.Events(context.Background(), LiveOnly, func(Event) error { return nil })
			if !errors.Is(err, ErrNotRunning) {
				t.Errorf("Events = %v, want ErrNotRunning", err)
			}
		})
	}
}

func TestNewClientRefusesNonLoopback(t *testing.T) {
	_, err := NewClient(ClientConfig{Listen: "192.0.2.1:7420", TokenFile: "x"})
	if err == nil {
		t.Fatal("NewClient accepted a non-loopback address")
	}
	mustContain(t, err.Error(), "not a loopback address")
}

// Make sure OpResult.Output survives the trip byte for byte.
func TestOpResultOutput(t *testing.T) {
	out := json.RawMessage(`{"ops":[{"key":"de-DE/keyword"}]}`)
	ts := startServer(t, &fakeBackend{command: func(string, []byte) (OpResult, error) { return OpResult{Output: out}, nil }}, nil)
	r, err := ts.client.Command(context.Background(), "push", struct{}{})
	check(t, err, string(out), string(r.Output))
}

func noErr(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("unexpected error: %v", err)
	}
}
