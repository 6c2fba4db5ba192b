package daemon

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// bigTypes are 10 iOS display types with small accepted sizes: 50 locales × 10 sets × 10
// screenshots are 5,000 images of a few hundred bytes to a few KB.
var bigTypes = []struct {
	name string
	w, h int
}{{"APP_WATCH_SERIES_3", 312, 390}, {"APP_WATCH_SERIES_4", 368, 448}, {"APP_WATCH_SERIES_7", 396, 484},
	{"APP_WATCH_SERIES_10", 416, 496}, {"APP_WATCH_ULTRA", 410, 502}, {"APP_IPHONE_35", 640, 920}, {"APP_IPHONE_40", 640, 1096},
	{"APP_IPHONE_47", 750, 1334}, {"IMESSAGE_APP_IPHONE_40", 640, 1096}, {"IMESSAGE_APP_IPHONE_47", 750, 1334}}

// newBigEnv is a daemon watching an app of 50 locales with 5,000 screenshots, every file in
// step with the simulator's seed (the same bytes), after its first plan.
func newBigEnv(b *testing.B) *env {
	b.Helper()
	locales := collection.Locales[:50]
	v := ascapitest.SeedVersion{VersionString: testVersion, Platform: "IOS", State: "PREPARE_FOR_SUBMISSION"}
	for _, l := range locales {
		loc := ascapitest.SeedLocalization{Locale: l, Texts: map[string]string{"description": "Description " + l, "keywords": "a,b,c"},
			Screenshots: map[string][]ascapitest.SeedAsset{}}
		for _, ty := range bigTypes {
			for i := 1; i <= 10; i++ {
				loc.Screenshots[ty.name] = append(loc.Screenshots[ty.name], ascapitest.SeedAsset{FileName: fmt.Sprintf("%02d.png", i), Width: ty.w, Height: ty.h})
			}
		}
		v.Localizations = append(v.Localizations, loc)
		v.InfoLocalizations = append(v.InfoLocalizations, ascapitest.SeedLocalization{Locale: l, Texts: map[string]string{"name": "Big " + l}})
	}
	seed := &ascapitest.Seed{Apps: []ascapitest.SeedApp{{ID: "6450000001", BundleID: testApp, Name: "Big", PrimaryLocale: "en-US",
		Versions: []ascapitest.SeedVersion{v}}}}
	e := newEnv(b, envOptions{noApp: true, configure: func(s *ascapitest.Server) { s.Seed = seed }, before: func(e *env) {
		ws, err := workspace.Open(e.cfg.Workspace)
		if err != nil {
			b.Fatal(err)
		}
		if err := ws.WriteApp(workspace.App{BundleID: testApp, Platform: collection.IOS, Active: "main", AppID: "6450000001", PrimaryLocale: "en-US"}); err != nil {
			b.Fatal(err)
		}
		for _, l := range locales {
			writeFile(b, e.coll("description", l+".txt"), []byte("Description "+l+"\n"))
			writeFile(b, e.coll("keyword", l+".txt"), []byte("a,b,c\n"))
			writeFile(b, e.coll("name", l+".txt"), []byte("Big "+l+"\n"))
			for _, ty := range bigTypes {
				for i := 1; i <= 10; i++ {
					writeFile(b, e.coll("screenshot", l, ty.name, fmt.Sprintf("%02d.png", i)), ascapitest.SamplePNG(ty.w, ty.h, i))
				}
			}
		}
	}})
	e.waitIdle()
	if jobs, _ := e.d.Backend().Jobs(context.Background()); len(jobs) > 0 {
		b.Fatalf("the big app is not in step: %d jobs", len(jobs))
	}
	return e
}

// BenchmarkStart5000 measures a daemon's start until its first plan is done (the start-up
// rescan handled) on the 5,000-screenshot app: "warm" with the file-hash cache the previous
// daemon left in the state, "cold" with none (every image read and hashed).
func BenchmarkStart5000(b *testing.B) {
	e := newBigEnv(b)
	for _, warm := range []bool{false, true} {
		b.Run(map[bool]string{false: "cold", true: "warm"}[warm], func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				e.stop()
				if !warm {
					clearFileHashes(b, e.cfg.Daemon.StateDir)
				}
				b.StartTimer()
				e.start()
				e.waitFor("the first plan", func() bool { return e.d.Snapshot().Watcher.LastRescan != nil })
				b.StopTimer()
				e.waitIdle()
				b.StartTimer()
			}
		})
	}
}

// clearFileHashes empties the file-hash cache of the state dir (no daemon may hold it).
func clearFileHashes(b *testing.B, dir string) {
	b.Helper()
	ctx := context.Background()
	st, err := state.Open(dir, state.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	rows, err := st.FileHashes(ctx, string(filepath.Separator))
	if err != nil {
		b.Fatal(err)
	}
	var drop []string
	for p := range rows {
		drop = append(drop, p)
	}
	if err := st.SaveFileHashes(ctx, nil, drop); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSaveToPatch5000 is BenchmarkSaveToPatch in the 5,000-screenshot app: the time
// from a keyword save to its PATCH, beyond the quiet period.
func BenchmarkSaveToPatch5000(b *testing.B) { benchSaveToPatch(b, newBigEnv(b)) }
