package compose

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/metrics"
	"github.com/storesyncer/storesyncer/internal/state"
)

// testConfig starts a simulator and loads a config that points at it.
func testConfig(t testing.TB) (*config.Config, *ascapitest.Server) {
	t.Helper()
	srv, err := ascapitest.NewServer(t, ascapitest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := ascapitest.WriteCredentials(dir, srv.Credentials(), srv.URL(), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(filepath.Join(dir, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg, srv
}

// TestOpenObservesEveryExchange: a client built by the root feeds the metrics, so the CLI and
// the daemon count API calls the same way.
func TestOpenObservesEveryExchange(t *testing.T) {
	cfg, srv := testConfig(t)
	m := metrics.New(metrics.Config{})
	rt, err := Open(Config{Config: cfg, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	c, _, err := rt.Remotes.Client("")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Apps.List(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Journal()); n != 1 {
		t.Fatalf("simulator saw %d requests, want 1", n)
	}
	if got := testutil.CollectAndCount(m.Registry(), "storesyncer_api_requests_total"); got != 1 {
		t.Errorf("api_requests_total has %d series, want 1", got)
	}
	if _, ok := rt.Remotes.LowestBudget(); !ok {
		t.Error("the rate budget of the account's client is unknown after an answer")
	}
}

// TestOpenLockedState: a second Open of a held state dir fails with *StateError wrapping
// *state.LockedError, unless ReadFallback, which reads beside the owner.
func TestOpenLockedState(t *testing.T) {
	cfg, _ := testConfig(t)
	first, err := Open(Config{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	_, err = Open(Config{Config: cfg})
	var se *StateError
	var le *state.LockedError
	if !errors.As(err, &se) || !errors.As(err, &le) {
		t.Fatalf("second Open: %v, want a *StateError wrapping *state.LockedError", err)
	}
	ro, err := Open(Config{Config: cfg, ReadFallback: true})
	if err != nil {
		t.Fatalf("read fallback: %v", err)
	}
	defer ro.Close()
	if err := ro.Store.SetSetting(context.Background(), "x", "y"); !errors.Is(err, state.ErrReadOnly) {
		t.Errorf("write through the read-only fallback: %v, want state.ErrReadOnly", err)
	}
}

// TestRemoteAccountErrors: an unknown account is a config.account error naming the config.
func TestRemoteAccountErrors(t *testing.T) {
	cfg, _ := testConfig(t)
	r := NewRemotes(RemotesConfig{Config: cfg})
	_, err := r.Remote("nope")
	var ae *AccountError
	if !errors.As(err, &ae) || ae.Code != "config.account" || ae.Path != cfg.Path {
		t.Fatalf("Remote(nope) = %v, want a config.account AccountError for %s", err, cfg.Path)
	}
}
