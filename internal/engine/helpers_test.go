package engine

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

const demo = "com.example.demo"

// testEnv is the simulator, a workspace, a state store and an engine on them.
type testEnv struct {
	tb    testing.TB
	sim   *ascapitest.Server
	ws    *workspace.Workspace
	store *state.Store
	eng   *Engine
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
	if seed == nil {
		seed = smallSeed()
	}
	sim, err := ascapitest.NewServer(tb, ascapitest.Options{Configure: func(s *ascapitest.Server) {
		s.ProcessAfterReads = 1
		s.Seed = seed
		s.RateLimit = 1 << 20
	}})
	if err != nil {
		tb.Fatal(err)
	}
	sim.EnableConformance(tb) // every exchange is checked against Apple's OpenAPI document
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
	mk := func(string) (*remote.Remote, error) {
		c, err := ascapi.NewClient(ascapi.Credentials{IssuerID: creds.IssuerID, KeyID: creds.KeyID, PrivateKey: key},
			ascapi.WithBaseURL(sim.URL()+"/"), ascapi.WithHTTPClient(&http.Client{Timeout: time.Minute}), ascapi.WithSleep(noSleep))
		if err != nil {
			return nil, err
		}
		return remote.New(remote.Config{Client: c, Sleep: noSleep, Uploads: remote.StateJournal{Store: st}})
	}
	eng, err := New(Config{Workspace: ws, Store: st, Remote: mk, Sync: config.Sync{Concurrency: 4}})
	if err != nil {
		tb.Fatal(err)
	}
	return &testEnv{tb: tb, sim: sim, ws: ws, store: st, eng: eng}
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
