package statusapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/internal/roles"
)

func TestNonLoopbackNeedsTLS(t *testing.T) {
	_, err := New(Config{Listen: "0.0.0.0:0", TokenFile: t.TempDir() + "/tok", Backend: &fakeBackend{}})
	if err == nil || !strings.Contains(err.Error(), "only with TLS") {
		t.Fatalf("plain HTTP off loopback: %v, want a refusal naming TLS", err)
	}
}

// TestFailedTokensAreLimitedPerAddress: after attemptLimit wrong tokens an address gets 429,
// even with a right member token, until the window ends; another address and the daemon's
// own token are not affected.
func TestFailedTokensAreLimitedPerAddress(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	s, err := New(Config{Listen: "127.0.0.1:0", TokenFile: dir + "/tok", Backend: &fakeBackend{}, Now: func() time.Time { return now }, Team: fakeTeam{tok: "member-token"}})
	if err != nil {
		t.Fatal(err)
	}
	ask := func(addr, tok string) int {
		r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/api/v1/status", nil)
		r.RemoteAddr = addr + ":5000"
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		return w.Code
	}
	for i := 0; i < attemptLimit; i++ {
		if got := ask("10.0.0.1", "wrong"); got != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i, got)
		}
	}
	if got := ask("10.0.0.1", "member-token"); got != http.StatusTooManyRequests {
		t.Errorf("a member's token after %d failures: %d, want 429", attemptLimit, got)
	}
	if got := ask("10.0.0.1", s.token); got != http.StatusOK {
		t.Errorf("the daemon's own token after %d failures: %d, want 200 (never locked out)", attemptLimit, got)
	}
	if got := ask("10.0.0.2", "member-token"); got != http.StatusOK {
		t.Errorf("another address: %d, want 200", got)
	}
	now = now.Add(attemptWindow)
	if got := ask("10.0.0.1", "member-token"); got != http.StatusOK {
		t.Errorf("after the window: %d, want 200", got)
	}
}

// TestDashboardLoginsAreLimitedPerAddress: failed logins to the pages count like failed
// tokens; a successful page does not.
func TestDashboardLoginsAreLimitedPerAddress(t *testing.T) {
	pages := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("code") == "good" {
			w.WriteHeader(http.StatusSeeOther)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
	})
	s, err := New(Config{Listen: "127.0.0.1:0", TokenFile: t.TempDir() + "/tok", Backend: &fakeBackend{}, Pages: pages})
	if err != nil {
		t.Fatal(err)
	}
	ask := func(code string) int {
		r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/login?code="+code, nil)
		r.RemoteAddr = "10.0.0.9:4000"
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		return w.Code
	}
	for i := 0; i < 3; i++ {
		if got := ask("good"); got != http.StatusSeeOther {
			t.Fatalf("a good code: %d", got)
		}
	}
	for i := 0; i < attemptLimit; i++ {
		if got := ask("bad"); got != http.StatusUnauthorized {
			t.Fatalf("bad code %d: %d, want 401", i, got)
		}
	}
	if got := ask("good"); got != http.StatusTooManyRequests {
		t.Errorf("after %d failures: %d, want 429", attemptLimit, got)
	}
}

// fakeTeam knows one member token.
type fakeTeam struct{ tok string }

func (f fakeTeam) Authenticate(_ context.Context, tok string) (roles.Caller, error) {
	if tok == f.tok {
		return roles.Caller{Name: "Dana", App: "com.a", Role: roles.Designer}, nil
	}
	return roles.Caller{}, ErrNotFound
}

func (fakeTeam) Accept(context.Context, AcceptRequest) (AcceptResult, error) {
	return AcceptResult{}, ErrInvalid
}

// TestMemberReadsTheirAppOnly: a member's status, queue and history are of their own app.
func TestMemberReadsTheirAppOnly(t *testing.T) {
	var askedApp string
	fb := &fakeBackend{
		status: func() Status {
			return Status{Apps: []AppStatus{{BundleID: "com.a"}, {BundleID: "com.b"}}, Conflicts: []Conflict{{App: "com.b", Key: "en-US/name"}}}
		},
		jobs: func() ([]Job, error) { return []Job{{ID: 1, App: "com.a"}, {ID: 2, App: "com.b"}}, nil },
		history: func(app string, _ int, _ int64) ([]HistoryEntry, error) {
			askedApp = app
			return nil, nil
		},
	}
	s, err := New(Config{Listen: "127.0.0.1:0", TokenFile: t.TempDir() + "/tok", Backend: fb, Team: fakeTeam{tok: "member-token"}})
	if err != nil {
		t.Fatal(err)
	}
	get := func(tok, path string, v any) {
		t.Helper()
		r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+path, nil)
		r.Header.Set("Authorization", "bearer "+tok)
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
		}
		if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
			t.Fatal(err)
		}
	}
	var st Status
	get("member-token", "/api/v1/status", &st)
	if len(st.Apps) != 1 || st.Apps[0].BundleID != "com.a" || len(st.Conflicts) != 0 {
		t.Errorf("a member's status: %+v", st)
	}
	var jl JobList
	get("member-token", "/api/v1/queue", &jl)
	if len(jl.Jobs) != 1 || jl.Jobs[0].App != "com.a" {
		t.Errorf("a member's queue: %+v", jl)
	}
	var hl HistoryList
	get("member-token", "/api/v1/history?app=com.b", &hl)
	if askedApp != "com.a" {
		t.Errorf("a member's history of com.b asked the backend for %q, want com.a", askedApp)
	}
	get(s.token, "/api/v1/status", &st)
	if len(st.Apps) != 2 {
		t.Errorf("the daemon's own token sees %d apps, want 2", len(st.Apps))
	}
}
