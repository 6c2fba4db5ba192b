package ascapi

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const appDoc = `{"data":{"type":"apps","id":"1","attributes":{"name":"A","bundleId":"com.a","sku":"s","primaryLocale":"en-US"}}}`

func TestRequestsCarryTokenAndStayUnderPrefix(t *testing.T) {
	env := setup(t)
	env.mux.HandleFunc("GET /v1/apps/1", func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ey") {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		w.Header().Set("X-Rate-Limit", "user-hour-lim:3600;user-hour-rem:3121;")
		writeRaw(w, 200, appDoc)
	})
	app, resp, err := env.client.Apps.Get(context.Background(), "1")
	if err != nil {
		t.Fatal(err)
	}
	want := &App{ID: "1", Name: "A", BundleID: "com.a", SKU: "s", PrimaryLocale: "en-US"}
	if diff := cmp.Diff(want, app); diff != "" {
		t.Errorf("app (-want +got):\n%s", diff)
	}
	wantRL := RateLimit{Limit: 3600, Remaining: 3121, Known: true}
	if resp.RateLimit != wantRL || env.client.RateLimit() != wantRL {
		t.Errorf("rate limit = %+v / %+v", resp.RateLimit, env.client.RateLimit())
	}
}

func TestRateLimitBurstHonoursRetryAfter(t *testing.T) {
	env := setup(t)
	var calls atomic.Int32
	env.mux.HandleFunc("POST /v1/appStoreVersions", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.Header().Set("Retry-After", "7")
			writeRaw(w, 429, `{"errors":[{"status":"429","code":"RATE_LIMIT_EXCEEDED","title":"t","detail":"d"}]}`)
			return
		}
		writeRaw(w, 201, `{"data":{"type":"appStoreVersions","id":"v1","attributes":{"versionString":"2.0","platform":"IOS","appVersionState":"PREPARE_FOR_SUBMISSION"}}}`)
	})
	v, _, err := env.client.Versions.Create(context.Background(), "1", "IOS", "2.0")
	if err != nil {
		t.Fatalf("Create after a 429 burst: %v", err)
	}
	if v.ID != "v1" || calls.Load() != 3 {
		t.Errorf("version %+v after %d calls, want v1 after 3", v, calls.Load())
	}
	if diff := cmp.Diff([]time.Duration{7 * time.Second, 7 * time.Second}, env.clock.Sleeps()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestRateLimitGivesUp(t *testing.T) {
	env := setup(t, WithMaxRetries(2))
	var calls atomic.Int32
	env.mux.HandleFunc("GET /v1/apps/1", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeRaw(w, 429, `{"errors":[{"status":"429","code":"RATE_LIMIT_EXCEEDED","title":"t","detail":"d"}]}`)
	})
	_, _, err := env.client.Apps.Get(context.Background(), "1")
	if !IsRateLimited(err) || calls.Load() != 3 {
		t.Errorf("err = %v after %d calls, want rate limited after 3", err, calls.Load())
	}
	// Without Retry-After the waits back off exponentially (jitter fixed at 0.5: 3/4 of the step).
	if diff := cmp.Diff([]time.Duration{750 * time.Millisecond, 1500 * time.Millisecond}, env.clock.Sleeps()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestGetRetried(t *testing.T) {
	tests := []struct {
		name string
		fail func(w http.ResponseWriter)
	}{
		{"503", func(w http.ResponseWriter) { http.Error(w, "Service Unavailable", 503) }},
		{"500 json", func(w http.ResponseWriter) {
			writeRaw(w, 500, `{"errors":[{"status":"500","code":"UNEXPECTED_ERROR","title":"t","detail":"d"}]}`)
		}},
		{"connection dropped", func(w http.ResponseWriter) {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := setup(t)
			var calls atomic.Int32
			env.mux.HandleFunc("GET /v1/apps/1", func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) <= 2 {
					tt.fail(w)
					return
				}
				writeRaw(w, 200, appDoc)
			})
			if _, _, err := env.client.Apps.Get(context.Background(), "1"); err != nil {
				t.Fatalf("Get: %v", err)
			}
			if calls.Load() != 3 {
				t.Errorf("calls = %d, want 3", calls.Load())
			}
			if len(env.clock.Sleeps()) != 2 {
				t.Errorf("backoff waits = %v, want 2", env.clock.Sleeps())
			}
		})
	}
}

func TestWriteNeverSentIsNotOutcomeUnknown(t *testing.T) {
	env := setup(t, WithMaxRetries(1))
	env.server.Close() // the connection is refused: nothing can have been applied
	_, _, err := env.client.Versions.Create(context.Background(), "1", "IOS", "2.0")
	if err == nil || errors.Is(err, ErrWriteOutcomeUnknown) {
		t.Errorf("err = %v, want a plain transport error", err)
	}
	if len(env.clock.Sleeps()) != 1 {
		t.Errorf("waits = %v, want one retry", env.clock.Sleeps())
	}
}

func TestWritesNotRetried(t *testing.T) {
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request)
		status  int
	}{
		{"500 applied or not", func(w http.ResponseWriter, r *http.Request) {
			writeRaw(w, 500, `{"errors":[{"status":"500","code":"UNEXPECTED_ERROR","title":"t","detail":"d"}]}`)
		}, 500},
		{"504 gateway", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "timeout", 504) }, 504},
		{"connection dropped", func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := setup(t)
			var calls atomic.Int32
			env.mux.HandleFunc("POST /v1/appStoreVersions", func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				tt.handler(w, r)
			})
			_, _, err := env.client.Versions.Create(context.Background(), "1", "IOS", "2.0")
			if !errors.Is(err, ErrWriteOutcomeUnknown) {
				t.Fatalf("err = %v, want ErrWriteOutcomeUnknown", err)
			}
			if calls.Load() != 1 {
				t.Errorf("POST sent %d times, want once", calls.Load())
			}
			var e *Error
			if tt.status != 0 && (!errors.As(err, &e) || e.StatusCode != tt.status) {
				t.Errorf("err = %v, want *Error with status %d", err, tt.status)
			}
		})
	}
}

func TestWrite409NotOutcomeUnknown(t *testing.T) {
	env := setup(t)
	env.mux.HandleFunc("POST /v1/appStoreVersions", func(w http.ResponseWriter, r *http.Request) {
		writeRaw(w, 409, `{"errors":[{"status":"409","code":"ENTITY_ERROR.RELATIONSHIP.INVALID","title":"t","detail":"You cannot create a new version of the App in the current state.","source":{"pointer":"/data/relationships/app"}}]}`)
	})
	_, _, err := env.client.Versions.Create(context.Background(), "1", "IOS", "2.0")
	if !IsConflict(err) || errors.Is(err, ErrWriteOutcomeUnknown) || !HasCode(err, "ENTITY_ERROR.RELATIONSHIP") {
		t.Errorf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "You cannot create a new version") {
		t.Errorf("message lost Apple's detail: %v", err)
	}
}

func TestObserverAndLogging(t *testing.T) {
	var mu sync.Mutex
	var infos []RequestInfo
	var logs bytes.Buffer
	env := setup(t,
		WithObserver(func(ri RequestInfo) { mu.Lock(); infos = append(infos, ri); mu.Unlock() }),
		WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	env.mux.HandleFunc("PATCH /v1/appScreenshotSets/set-9/relationships/appScreenshots", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Rate-Limit", "user-hour-lim:3600;user-hour-rem:77;")
		w.WriteHeader(204)
	})
	if _, err := env.client.ScreenshotSets.Reorder(context.Background(), "set-9", []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	want := []RequestInfo{{Method: "PATCH", Endpoint: "/v1/appScreenshotSets/{id}/relationships/appScreenshots", StatusCode: 204,
		RateLimit: RateLimit{Limit: 3600, Remaining: 77, Known: true}}}
	if diff := cmp.Diff(want, infos, cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().String() == ".Duration" || p.Last().String() == ".TokenExpiry"
	}, cmp.Ignore())); diff != "" {
		t.Errorf("observed (-want +got):\n%s", diff)
	}
	if len(infos) == 1 && infos[0].TokenExpiry.IsZero() {
		t.Error("the observer was not told when the request's token expires")
	}
	out := logs.String()
	for _, s := range []string{"method=PATCH", "status=204", "rate_remaining=77", "/v1/appScreenshotSets/set-9/relationships/appScreenshots"} {
		if !strings.Contains(out, s) {
			t.Errorf("log lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "eyJ") || strings.Contains(strings.ToLower(out), "bearer") {
		t.Errorf("log carries a token:\n%s", out)
	}
}

func TestWithBaseURL(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"https://api.appstoreconnect.apple.com/", true},
		{"https://example.com/prefix", true},
		{"http://127.0.0.1:8080/", true},
		{"http://localhost:1/", true},
		{"http://[::1]:1/", true},
		{"http://example.com/", false},
		{"ftp://127.0.0.1/", false},
		{"/relative", false},
	}
	for _, tt := range tests {
		_, err := NewClient(teamCreds(t), WithBaseURL(tt.in))
		if (err == nil) != tt.ok {
			t.Errorf("WithBaseURL(%q): err = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
}

func TestTransportErrorScrubbed(t *testing.T) {
	env := setup(t, WithMaxRetries(0))
	env.server.Close() // nothing listens any more
	_, _, err := env.client.Apps.Get(context.Background(), "1")
	if err == nil {
		t.Fatal("want an error")
	}
	if strings.Contains(err.Error(), "eyJ") || strings.Contains(strings.ToLower(err.Error()), "bearer") {
		t.Errorf("error carries a token: %v", err)
	}
}
