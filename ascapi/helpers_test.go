package ascapi

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// prefix is the path prefix of every test server's base URL, so an absolute-path bug fails.
const prefix = "/prefix/"

// fakeClock is a manual clock whose Sleep advances time instead of waiting.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	f.sleeps = append(f.sleeps, d)
	f.t = f.t.Add(d)
	f.mu.Unlock()
	return nil
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

func newKey(tb testing.TB) *ecdsa.PrivateKey {
	tb.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func keyPEM(tb testing.TB, k any) []byte {
	tb.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		tb.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func teamCreds(tb testing.TB) Credentials {
	tb.Helper()
	return Credentials{IssuerID: "69a6de70-03db-47e3-e053-5b8c7c11a4d1", KeyID: "2X9R4HXF34", PrivateKey: newKey(tb)}
}

// testEnv is a Client wired to an httptest server whose base URL has a path prefix.
type testEnv struct {
	client *Client
	mux    *http.ServeMux
	server *httptest.Server
	clock  *fakeClock
}

func setup(tb testing.TB, opts ...ClientOption) *testEnv {
	tb.Helper()
	mux := http.NewServeMux()
	outer := http.NewServeMux()
	outer.Handle(prefix, http.StripPrefix(prefix[:len(prefix)-1], mux))
	outer.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		tb.Errorf("request outside the base URL: %s %s", r.Method, r.URL.Path)
		http.Error(w, "outside base URL", http.StatusNotFound)
	})
	srv := httptest.NewServer(outer)
	tb.Cleanup(srv.Close)
	clock := newFakeClock()
	all := append([]ClientOption{
		WithBaseURL(srv.URL + prefix),
		WithClock(clock.Now),
		WithSleep(clock.Sleep),
		WithRand(func() float64 { return 0.5 }),
	}, opts...)
	c, err := NewClient(teamCreds(tb), all...)
	if err != nil {
		tb.Fatal(err)
	}
	return &testEnv{client: c, mux: mux, server: srv, clock: clock}
}

// writeDoc writes v as a JSON answer with status.
func writeDoc(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeRaw writes a literal JSON body with status.
func writeRaw(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// readBody decodes a request's JSON body.
func readBody(tb testing.TB, r *http.Request) map[string]any {
	tb.Helper()
	var m map[string]any
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		tb.Errorf("decode request body: %v", err)
	}
	return m
}
