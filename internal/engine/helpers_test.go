package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/workspace"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

const demo = "com.example.demo"

// testEnv is the simulator, a workspace, a state store and an engine on them.
type testEnv struct {
	tb    testing.TB
	sim   *ascapitest.Server
	ws    *workspace.Workspace
	store *state.Store
	eng   *Engine
	// net carries the engine's requests; tests cut it to play a crash.
	net *cuttableTransport
}

// cuttableTransport is http.DefaultTransport until cut: then every request fails without
// reaching the simulator, as if the process had died. cutAfter lets one matching request
// through first and then cuts, before its answer is seen.
type cuttableTransport struct {
	mu       sync.Mutex
	cut      bool
	cutAfter func(*http.Request) bool
}

func (t *cuttableTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	cut, after := t.cut, t.cutAfter != nil && t.cutAfter(r)
	t.mu.Unlock()
	if cut {
		return nil, errors.New("test: network cut")
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	if after {
		t.mu.Lock()
		t.cut, t.cutAfter = true, nil
		t.mu.Unlock()
		if err == nil {
			resp.Body.Close()
		}
		return nil, errors.New("test: network cut after the request was sent")
	}
	return resp, err
}

// restore ends a cut.
func (t *cuttableTransport) restore() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cut, t.cutAfter = false, nil
}

// smallSeed is the simulator's default seed with small APP_WATCH_SERIES_7 screenshots
// (396×484) instead of APP_IPHONE_67 ones: downloads are re-encoded, small ones fast.
func smallSeed() *ascapitest.Seed {
	seed := ascapitest.DefaultSeed()
	for ai := range seed.Apps {
		for vi := range seed.Apps[ai].Versions {
			locs := seed.Apps[ai].Versions[vi].Localizations
			for li := range locs {
				if shots, ok := locs[li].Screenshots["APP_IPHONE_67"]; ok {
					for i := range shots {
						shots[i].Width, shots[i].Height = 396, 484
					}
					locs[li].Screenshots = map[string][]ascapitest.SeedAsset{"APP_WATCH_SERIES_7": shots}
				}
			}
		}
	}
	return seed
}

// newTestEnv starts the simulator (with seed, or smallSeed when nil; assets finish processing
// at their first read) and an engine whose remote never sleeps.
func newTestEnv(tb testing.TB, seed *ascapitest.Seed) *testEnv {
	tb.Helper()
	return newTestEnvClock(tb, seed, nil)
}

// virtualClock is the time of the engine's remote side in a test: it stands still, and a
// sleep (a poll's wait, a retry's backoff) moves it on at once, so processing deadlines pass
// without waiting. Make it with newVirtualClock; it is safe for concurrent use.
type virtualClock struct{ *clock.Fake }

func newVirtualClock(start time.Time) *virtualClock { return &virtualClock{clock.NewFake(start)} }

func (c *virtualClock) now() time.Time { return c.Now() }

func (c *virtualClock) sleep(ctx context.Context, d time.Duration) error {
	c.Advance(d)
	return ctx.Err()
}

// newTestEnvClock is newTestEnv whose remote side (processing deadlines, poll waits, the
// client's backoff and tokens) and simulator run on clk when it is not nil.
func newTestEnvClock(tb testing.TB, seed *ascapitest.Seed, clk *virtualClock) *testEnv {
	tb.Helper()
	return newTestEnvFull(tb, seed, clk, true)
}

// newTestEnvWith is newTestEnv that checks every exchange against Apple's OpenAPI document
// only with conformance: a benchmark of the engine leaves the check (most of the simulator's
// time with thousands of assets) to the tests.
func newTestEnvWith(tb testing.TB, seed *ascapitest.Seed, conformance bool) *testEnv {
	tb.Helper()
	return newTestEnvFull(tb, seed, nil, conformance)
}

// newTestEnvFull is newTestEnvClock with or without the conformance check.
func newTestEnvFull(tb testing.TB, seed *ascapitest.Seed, clk *virtualClock, conformance bool) *testEnv {
	tb.Helper()
	if seed == nil {
		seed = smallSeed()
	}
	sim, err := ascapitest.NewServer(tb, ascapitest.Options{Configure: func(s *ascapitest.Server) {
		s.ProcessAfterReads = 1
		s.Seed = seed
		s.RateLimit = 1 << 20
		if clk != nil {
			s.Now = clk.now // tokens, the rate window and deadlines all on one clock
		}
	}})
	if err != nil {
		tb.Fatal(err)
	}
	if conformance {
		sim.EnableConformance(tb) // every exchange is checked against Apple's OpenAPI document
	}
	root := tb.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "ws"), 0o755); err != nil {
		tb.Fatal(err)
	}
	ws, err := workspace.Open(filepath.Join(root, "ws"))
	if err != nil {
		tb.Fatal(err)
	}
	st, err := state.Open(filepath.Join(root, "state"), state.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = st.Close() })
	creds := sim.Credentials()
	key, err := ascapi.ParseKey(creds.PrivateKeyPEM)
	if err != nil {
		tb.Fatal(err)
	}
	noSleep := func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	if clk != nil {
		noSleep = clk.sleep
	}
	net := &cuttableTransport{}
	mk := func(account string) (Remote, error) {
		if account != "" && account != config.DefaultAccountName {
			return nil, fmt.Errorf("account %q: %w", account, config.ErrNoAccount)
		}
		opts := []ascapi.ClientOption{ascapi.WithBaseURL(sim.URL() + "/"), ascapi.WithHTTPClient(&http.Client{Timeout: time.Minute, Transport: net}), ascapi.WithSleep(noSleep)}
		if clk != nil {
			opts = append(opts, ascapi.WithClock(clk.now))
		}
		c, err := ascapi.NewClient(ascapi.Credentials{IssuerID: creds.IssuerID, KeyID: creds.KeyID, PrivateKey: key}, opts...)
		if err != nil {
			return nil, err
		}
		rc := remote.Config{Client: c, Sleep: noSleep, Uploads: StateJournal{Store: st}}
		if clk != nil {
			rc.Now, rc.Sleep = clk.now, clk.sleep
		}
		r, err := remote.New(rc)
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return r, nil
	}
	eng, err := New(Config{Workspace: ws, Store: st, Remote: mk, Sync: config.Sync{Concurrency: 4}})
	if err != nil {
		tb.Fatal(err)
	}
	return &testEnv{tb: tb, sim: sim, ws: ws, store: st, eng: eng, net: net}
}

func (e *testEnv) path(rel string) string {
	return filepath.Join(e.ws.CollectionDir(demo, "main"), filepath.FromSlash(rel))
}

func (e *testEnv) write(rel string, data []byte) {
	e.tb.Helper()
	p := e.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.tb.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		e.tb.Fatal(err)
	}
}

// webEdit sets the keywords of locale on the editable version the way the web UI would.
func webEdit(tb testing.TB, e *testEnv, locale, keywords string) {
	tb.Helper()
	creds := e.sim.Credentials()
	key, err := ascapi.ParseKey(creds.PrivateKeyPEM)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := ascapi.NewClient(ascapi.Credentials{IssuerID: creds.IssuerID, KeyID: creds.KeyID, PrivateKey: key}, ascapi.WithBaseURL(e.sim.URL()+"/"))
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	for _, v := range e.sim.Versions(demo) {
		if v.VersionString != "1.1" {
			continue
		}
		locs, _, err := c.VersionLocalizations.List(ctx, v.ID)
		if err != nil {
			tb.Fatal(err)
		}
		for _, l := range locs {
			if l.Locale == locale {
				if _, _, err := c.VersionLocalizations.Update(ctx, l.ID, ascapi.VersionLocalizationAttributes{Keywords: &keywords}); err != nil {
					tb.Fatal(err)
				}
				return
			}
		}
	}
	tb.Fatalf("no %s localization of 1.1", locale)
}

// addAppAndCollection adds the demo app (its main collection pulled) and creates the
// collection name as a copy of main.
func addAppAndCollection(tb testing.TB, e *testEnv, name string) {
	tb.Helper()
	ctx := context.Background()
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		tb.Fatal(err)
	}
	if _, err := e.eng.CreateCollection(ctx, demo, name, Source{Kind: FromCollection, Collection: "main"}); err != nil {
		tb.Fatal(err)
	}
}
