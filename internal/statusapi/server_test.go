package statusapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// send sends method path to ts with the given headers and returns status and body.
func send(tb testing.TB, ts *testServer, method, path, body string, header map[string]string) (int, string) {
	tb.Helper()
	req, err := http.NewRequest(method, ts.base+path, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestTokenFileCreated0600(t *testing.T) {
	ts := startServer(t, &fakeBackend{}, nil)
	info, err := os.Stat(ts.tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o600 {
		t.Errorf("token file mode = %#o, want 0600", got)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(ts.token) {
		t.Errorf("token is not 32 bytes of hex: %d characters", len(ts.token))
	}
	// A second start keeps the token.
	again := startServer(t, &fakeBackend{}, func(c *Config) { c.TokenFile = ts.tokenFile })
	if again.token != ts.token {
		t.Error("second start replaced the existing token")
	}
}

func TestTokenFileNarrowedTo0600(t *testing.T) {
	path := filepath.Join(t.TempDir(), "api-token")
	if err := os.WriteFile(path, []byte("sekrit\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, &fakeBackend{}, func(c *Config) { c.TokenFile = path })
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o600 {
		t.Errorf("token file mode = %#o, want 0600", got)
	}
	if code, _ := send(t, ts, "GET", "/api/v1/status", "", map[string]string{"Authorization": "Bearer sekrit"}); code != 200 {
		t.Errorf("existing token refused: %d", code)
	}
}

func TestNewRefuses(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"non-loopback listen", Config{Listen: "0.0.0.0:7420", TokenFile: filepath.Join(dir, "t"), Backend: &fakeBackend{}}, "not a loopback address"},
		{"bad listen", Config{Listen: "7420", TokenFile: filepath.Join(dir, "t"), Backend: &fakeBackend{}}, `api listen address "7420"`},
		{"no backend", Config{Listen: "127.0.0.1:0", TokenFile: filepath.Join(dir, "t")}, "no backend"},
		{"empty token file", Config{Listen: "127.0.0.1:0", TokenFile: empty, Backend: &fakeBackend{}}, "is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil {
				t.Fatal("New succeeded")
			}
			mustContain(t, err.Error(), tt.want)
		})
	}
}

func TestAuth(t *testing.T) {
	metrics := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "up 1\n") })
	open := startServer(t, &fakeBackend{}, func(c *Config) { c.MetricsHandler = metrics })
	closed := startServer(t, &fakeBackend{}, func(c *Config) { c.MetricsHandler = metrics; c.MetricsAuth = true })
	tests := []struct {
		name     string
		ts       *testServer
		method   string
		path     string
		auth     string
		wantCode int
		wantBody string
	}{
		{"healthz is open", open, "GET", "/healthz", "", 200, `{"status":"ok"}`},
		{"metrics open by default", open, "GET", "/metrics", "", 200, "up 1"},
		{"metrics_auth without token", closed, "GET", "/metrics", "", 401, `"code":"unauthorized"`},
		{"metrics_auth with token", closed, "GET", "/metrics", "Bearer " + closed.token, 200, "up 1"},
		{"status without token", open, "GET", "/api/v1/status", "", 401, `"code":"unauthorized"`},
		{"status with wrong token", open, "GET", "/api/v1/status", "Bearer " + strings.Repeat("0", 64), 401, `"code":"unauthorized"`},
		{"status with basic auth", open, "GET", "/api/v1/status", "Basic " + open.token, 401, `"code":"unauthorized"`},
		{"other server's token", open, "GET", "/api/v1/status", "Bearer " + closed.token, 401, `"code":"unauthorized"`},
		{"status with token", open, "GET", "/api/v1/status", "Bearer " + open.token, 200, `"apps":[]`},
		{"lower-case scheme", open, "GET", "/api/v1/status", "bearer " + open.token, 200, `"apps":[]`},
		{"upper-case scheme", open, "GET", "/api/v1/status", "BEARER " + open.token, 200, `"apps":[]`},
		{"scheme without token", open, "GET", "/api/v1/status", "Bearer", 401, `"code":"unauthorized"`},
		{"token glued to the scheme", open, "GET", "/api/v1/status", "Bearer" + open.token, 401, `"code":"unauthorized"`},
		{"control without token", open, "POST", "/api/v1/pause", "", 401, `"code":"unauthorized"`},
		{"unknown api path needs token", open, "GET", "/api/v1/nothing", "", 401, `"code":"unauthorized"`},
		{"unknown api path", open, "GET", "/api/v1/nothing", "Bearer " + open.token, 404, `"code":"not_found"`},
		{"wrong method", open, "GET", "/api/v1/pause", "Bearer " + open.token, 405, `"code":"method_not_allowed"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.auth != "" {
				h["Authorization"] = tt.auth
			}
			code, body := send(t, tt.ts, tt.method, tt.path, "", h)
			if code != tt.wantCode {
				t.Errorf("status = %d, want %d (body %s)", code, tt.wantCode, body)
			}
			mustContain(t, body, tt.wantBody)
			if strings.Contains(body, open.token) || strings.Contains(body, closed.token) {
				t.Error("answer contains a token")
			}
			for _, ts := range []*testServer{open, closed} {
				if strings.Contains(body, ts.tokenFile) || strings.Contains(body, filepath.Dir(ts.tokenFile)) {
					t.Errorf("answer names the token file's path: %s", body)
				}
			}
		})
	}
}

func TestBrowserGuards(t *testing.T) {
	ts := startServer(t, &fakeBackend{}, nil)
	port := strconv.Itoa(ts.srv.port())
	auth := "Bearer " + ts.token
	tests := []struct {
		name     string
		header   map[string]string
		path     string
		wantCode int
	}{
		{"127.0.0.1 host", map[string]string{"Host": "127.0.0.1:" + port}, "/api/v1/status", 200},
		{"localhost host", map[string]string{"Host": "localhost:" + port}, "/api/v1/status", 200},
		{"ipv6 loopback host", map[string]string{"Host": "[::1]:" + port}, "/api/v1/status", 200},
		{"rebinding host", map[string]string{"Host": "evil.example:" + port}, "/api/v1/status", 403},
		{"rebinding host on healthz", map[string]string{"Host": "evil.example"}, "/healthz", 403},
		{"rebinding host on metrics", map[string]string{"Host": "evil.example:" + port}, "/metrics", 403},
		{"same origin", map[string]string{"Origin": "http://127.0.0.1:" + port}, "/api/v1/status", 200},
		{"same origin as localhost", map[string]string{"Origin": "http://localhost:" + port}, "/api/v1/status", 200},
		{"foreign origin", map[string]string{"Origin": "https://evil.example"}, "/api/v1/status", 403},
		{"null origin", map[string]string{"Origin": "null"}, "/api/v1/status", 403},
		{"loopback origin on another port", map[string]string{"Origin": "http://127.0.0.1:1"}, "/api/v1/status", 403},
		{"https loopback origin", map[string]string{"Origin": "https://127.0.0.1:" + port}, "/api/v1/status", 403},
		{"foreign referer", map[string]string{"Referer": "https://evil.example/page"}, "/api/v1/status", 403},
		{"same referer", map[string]string{"Referer": "http://127.0.0.1:" + port + "/x"}, "/api/v1/status", 200},
		{"foreign origin on healthz", map[string]string{"Origin": "https://evil.example"}, "/healthz", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.header["Authorization"] = auth
			code, body := send(t, ts, "GET", tt.path, "", tt.header)
			if code != tt.wantCode {
				t.Errorf("status = %d, want %d (body %s)", code, tt.wantCode, body)
			}
			if code == 403 {
				var er ErrorResponse
				if err := json.Unmarshal([]byte(body), &er); err != nil || !strings.HasPrefix(er.Error.Code, "forbidden_") {
					t.Errorf("403 body %s is not a JSON forbidden error", body)
				}
			}
		})
	}
}

func TestBadRequests(t *testing.T) {
	fb := &fakeBackend{
		retry: func(id int64) error { return &Error{Status: 409, Code: "job.busy", Message: "job is uploading"} },
	}
	ts := startServer(t, fb, nil)
	auth := map[string]string{"Authorization": "Bearer " + ts.token}
	tests := []struct {
		name, method, path, body string
		wantCode                 int
		wantBody                 string
	}{
		{"bad job id", "POST", "/api/v1/jobs/abc/retry", "", 400, "is not a positive number"},
		{"typed backend error", "POST", "/api/v1/jobs/7/retry", "", 409, `"code":"job.busy"`},
		{"unknown field", "POST", "/api/v1/approve", `{"app":"a","force":true}`, 400, "unknown field"},
		{"not json", "POST", "/api/v1/approve", `keep=local`, 400, "request body"},
		{"bad limit", "GET", "/api/v1/history?limit=-3", "", 400, "limit"},
		{"bad before", "GET", "/api/v1/history?before=x", "", 400, "before"},
		{"bad after", "GET", "/api/v1/events?after=x", "", 400, "after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := send(t, ts, tt.method, tt.path, tt.body, auth)
			if code != tt.wantCode {
				t.Errorf("status = %d, want %d (body %s)", code, tt.wantCode, body)
			}
			mustContain(t, body, tt.wantBody)
		})
	}
}

func TestRunStopsWithOpenStream(t *testing.T) {
	subscribed := make(chan struct{})
	fb := &fakeBackend{subscribe: func(ctx context.Context) (<-chan Event, func()) {
		close(subscribed)
		return make(chan Event), func() {}
	}}
	srv, err := New(Config{Listen: "127.0.0.1:0", TokenFile: filepath.Join(t.TempDir(), "tok"), Backend: fb})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	<-srv.Ready()
	c, err := NewClient(ClientConfig{Listen: srv.Addr(), TokenFile: filepath.Join(filepath.Dir(srv.cfg.TokenFile), "tok")})
	if err != nil {
		t.Fatal(err)
	}
	streamDone := make(chan error, 1)
	go func() {
		streamDone <- c.Events(context.Background(), LiveOnly, func(Event) error { return nil })
	}()
	<-subscribed
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
	if err := <-streamDone; err != nil {
		t.Errorf("Events = %v, want nil when the daemon ends the stream", err)
	}
}

// TestRunStopsPastAHeldRequest holds a request half sent (its headers never end) while the
// server stops: after the grace period Run cuts it off, logs that, and returns nil, since a
// slow client is not the service's failure.
func TestRunStopsPastAHeldRequest(t *testing.T) {
	var logs syncBuffer
	srv, err := New(Config{Listen: "127.0.0.1:0", TokenFile: filepath.Join(t.TempDir(), "tok"), Backend: &fakeBackend{},
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv.grace = 100 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	<-srv.Ready()
	conn, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // the server reads the first bytes: the connection is active
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the grace period")
	}
	if !strings.Contains(logs.String(), "still open at shutdown") {
		t.Errorf("the cut-off request is not logged:\n%s", logs.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines to log into.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestTokenNeverLogged(t *testing.T) {
	var logs syncBuffer
	fb := &fakeBackend{rescan: func() error { return errors.New("boom") }}
	ts := startServer(t, fb, func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	wrong := strings.Repeat("ab", 32)
	send(t, ts, "GET", "/api/v1/status", "", map[string]string{"Authorization": "Bearer " + wrong})
	send(t, ts, "GET", "/api/v1/status", "", map[string]string{"Authorization": "Bearer " + ts.token, "Host": "evil.example"})
	send(t, ts, "GET", "/api/v1/status", "", map[string]string{"Authorization": "Bearer " + ts.token, "Origin": "https://evil.example"})
	send(t, ts, "POST", "/api/v1/rescan", "", map[string]string{"Authorization": "Bearer " + ts.token})
	out := logs.String()
	if !strings.Contains(out, "created API token file") || !strings.Contains(out, "boom") {
		t.Fatalf("expected logs missing (so this test would not see a leak):\n%s", out)
	}
	for name, secret := range map[string]string{"token": ts.token, "presented token": wrong} {
		if strings.Contains(out, secret) {
			t.Errorf("the %s appears in the log:\n%s", name, out)
		}
	}
}

func TestRunTwice(t *testing.T) {
	ts := startServer(t, &fakeBackend{}, nil)
	if err := ts.srv.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("second Run = %v, want an error", err)
	}
}
