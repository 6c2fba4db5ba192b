package statusapi

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeBackend is a Backend whose methods are function fields; a nil field answers zero values.
type fakeBackend struct {
	status    func() Status
	jobs      func() ([]Job, error)
	history   func(app string, limit int, before int64) ([]HistoryEntry, error)
	events    func(after int64, limit int) ([]Event, error)
	subscribe func(ctx context.Context) (<-chan Event, func())
	rescan    func() error
	pause     func() error
	resume    func() error
	approve   func(app string) (int, error)
	retry     func(id int64) error
	command   func(name string, body []byte) (OpResult, error)
}

var _ Backend = (*fakeBackend)(nil)

func (f *fakeBackend) Status(context.Context) Status {
	if f.status == nil {
		return Status{}
	}
	return f.status()
}

func (f *fakeBackend) Jobs(context.Context) ([]Job, error) {
	if f.jobs == nil {
		return nil, nil
	}
	return f.jobs()
}

func (f *fakeBackend) History(_ context.Context, app string, limit int, before int64) ([]HistoryEntry, error) {
	if f.history == nil {
		return nil, nil
	}
	return f.history(app, limit, before)
}

func (f *fakeBackend) Events(_ context.Context, after int64, limit int) ([]Event, error) {
	if f.events == nil {
		return nil, nil
	}
	return f.events(after, limit)
}

func (f *fakeBackend) Subscribe(ctx context.Context) (<-chan Event, func()) {
	if f.subscribe == nil {
		return make(chan Event), func() {}
	}
	return f.subscribe(ctx)
}

func call(f func() error) error {
	if f == nil {
		return nil
	}
	return f()
}

func (f *fakeBackend) Rescan(context.Context) error { return call(f.rescan) }
func (f *fakeBackend) Pause(context.Context) error  { return call(f.pause) }
func (f *fakeBackend) Resume(context.Context) error { return call(f.resume) }

func (f *fakeBackend) Approve(_ context.Context, req ApproveRequest) (int, error) {
	app := req.App
	if f.approve == nil {
		return 0, nil
	}
	return f.approve(app)
}

func (f *fakeBackend) RetryJob(_ context.Context, id int64) error {
	if f.retry == nil {
		return nil
	}
	return f.retry(id)
}

func (f *fakeBackend) Command(_ context.Context, name string, body []byte) (OpResult, error) {
	if f.command == nil {
		return OpResult{}, nil
	}
	return f.command(name, body)
}

// manualTicker is a Ticker the test drives.
type manualTicker struct{ c chan time.Time }

func (m manualTicker) C() <-chan time.Time { return m.c }
func (m manualTicker) Stop()               {}

// testServer is a Server running on loopback for one test.
type testServer struct {
	srv       *Server
	client    *Client
	tokenFile string
	token     string
	base      string
	tick      chan time.Time
}

// startServer runs a Server with backend b on 127.0.0.1:0 until the test ends. mod may adjust
// the config before New.
func startServer(tb testing.TB, b Backend, mod func(*Config)) *testServer {
	tb.Helper()
	tick := make(chan time.Time)
	cfg := Config{
		Listen:    "127.0.0.1:0",
		TokenFile: filepath.Join(tb.TempDir(), "state", "api-token"),
		Backend:   b,
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:       func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) },
		NewTicker: func(time.Duration) Ticker { return manualTicker{tick} },
	}
	if mod != nil {
		mod(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Run: %v", err)
		}
	})
	select {
	case <-srv.Ready():
	case err := <-done:
		tb.Fatalf("Run: %v", err)
	}
	client, err := NewClient(ClientConfig{Listen: srv.Addr(), TokenFile: cfg.TokenFile})
	if err != nil {
		tb.Fatalf("NewClient: %v", err)
	}
	tok, err := readToken(cfg.TokenFile)
	if err != nil {
		tb.Fatal(err)
	}
	return &testServer{srv: srv, client: client, tokenFile: cfg.TokenFile, token: tok, base: "http://" + srv.Addr(), tick: tick}
}

var errStop = errors.New("stop")

func mustContain(tb testing.TB, got, want string) {
	tb.Helper()
	if !strings.Contains(got, want) {
		tb.Errorf("got %q, want it to contain %q", got, want)
	}
}
