package engine

import (
	"context"
	"fmt"
	"testing"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// benchType is a display type with a size it accepts.
type benchType struct {
	name string
	w, h int
}

// The benchmark app: 40 locales × 3 screenshot sets × 10 screenshots, all in sync.
var benchTypes = []benchType{{"APP_WATCH_SERIES_3", 312, 390}, {"APP_WATCH_SERIES_4", 368, 448}, {"APP_WATCH_SERIES_7", 396, 484}}

// bigTypes are 10 iOS display types with small accepted sizes: 50 locales × 10 sets × 10
// screenshots are 5,000 images of a few KB each.
var bigTypes = []benchType{{"APP_WATCH_SERIES_3", 312, 390}, {"APP_WATCH_SERIES_4", 368, 448}, {"APP_WATCH_SERIES_7", 396, 484},
	{"APP_WATCH_SERIES_10", 416, 496}, {"APP_WATCH_ULTRA", 410, 502}, {"APP_IPHONE_35", 640, 920}, {"APP_IPHONE_40", 640, 1096},
	{"APP_IPHONE_47", 750, 1334}, {"IMESSAGE_APP_IPHONE_40", 640, 1096}, {"IMESSAGE_APP_IPHONE_47", 750, 1334}}

const benchShots = 10

func benchLocales() []string { return collection.Locales[:40] }

// benchSeed is one app whose editable version has every text field and 3 full sets in 40
// locales.
func benchSeed() *ascapitest.Seed { return benchSeedOf(benchLocales(), benchTypes) }

// benchSeedOf is one app whose editable version has every text field and a full set of each
// type in each locale.
func benchSeedOf(locales []string, types []benchType) *ascapitest.Seed {
	v := ascapitest.SeedVersion{VersionString: "1.1", Platform: "IOS", State: "PREPARE_FOR_SUBMISSION"}
	for _, l := range locales {
		loc := ascapitest.SeedLocalization{Locale: l, Texts: map[string]string{
			"description": "Description " + l, "keywords": "a,b,c", "whatsNew": "Fixes.", "promotionalText": "Promo " + l,
			"supportUrl": "https://example.com/support", "marketingUrl": "https://example.com"},
			Screenshots: map[string][]ascapitest.SeedAsset{}}
		for _, ty := range types {
			for i := 1; i <= benchShots; i++ {
				loc.Screenshots[ty.name] = append(loc.Screenshots[ty.name], ascapitest.SeedAsset{FileName: fmt.Sprintf("%d.png", i), Width: ty.w, Height: ty.h})
			}
		}
		v.Localizations = append(v.Localizations, loc)
		v.InfoLocalizations = append(v.InfoLocalizations, ascapitest.SeedLocalization{Locale: l, Texts: map[string]string{
			"name": "Bench " + l, "subtitle": "Sub", "privacyPolicyUrl": "https://example.com/privacy"}})
	}
	live := v
	live.VersionString, live.State = "1.0", "READY_FOR_DISTRIBUTION"
	return &ascapitest.Seed{Apps: []ascapitest.SeedApp{{ID: "6450000001", BundleID: demo, Name: "Bench", PrimaryLocale: "en-US",
		Versions: []ascapitest.SeedVersion{live, v}}}}
}

// benchEnv writes the seed's state as the active collection (the seed's exact image bytes, so
// no checksum map is needed) and runs a first push, which finds everything in sync and
// records the bases.
func benchEnv(b *testing.B) *testEnv { return benchEnvOf(b, benchLocales(), benchTypes, true) }

// benchEnvOf is benchEnv for benchSeedOf(locales, types), with or without the simulator's
// conformance check (newTestEnvWith).
func benchEnvOf(b testing.TB, locales []string, types []benchType, conformance bool) *testEnv {
	b.Helper()
	e := newTestEnvWith(b, benchSeedOf(locales, types), conformance)
	if err := e.ws.WriteApp(workspace.App{BundleID: demo, Platform: collection.IOS, Active: "main", AppID: "6450000001", PrimaryLocale: "en-US"}); err != nil {
		b.Fatal(err)
	}
	for _, l := range locales {
		for dir, v := range map[string]string{"description": "Description " + l, "keyword": "a,b,c", "whatsNew": "Fixes.",
			"promotionalText": "Promo " + l, "supportUrl": "https://example.com/support", "marketingUrl": "https://example.com",
			"name": "Bench " + l, "subtitle": "Sub", "privacyPolicyUrl": "https://example.com/privacy"} {
			e.write(dir+"/"+l+".txt", []byte(v+"\n"))
		}
		for _, ty := range types {
			for i := 1; i <= benchShots; i++ {
				e.write(fmt.Sprintf("screenshot/%s/%s/%02d.png", l, ty.name, i), ascapitest.SamplePNG(ty.w, ty.h, i))
			}
		}
	}
	res, err := e.eng.Push(context.Background(), demo, PushOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if len(res.Pushed)+len(res.Failed)+len(res.Conflicts)+len(res.Held) > 0 {
		b.Fatalf("the bench app is not in sync: %d pushed, %d failed, %d conflicts, %d held", len(res.Pushed), len(res.Failed), len(res.Conflicts), len(res.Held))
	}
	return e
}

// BenchmarkPlan plans the in-sync bench app: "full" reads every set as `storesyncer plan`
// does; "push" reads only what push must (texts; no set changed); "push-cached" is "push"
// with the state's file-hash cache (no file is read again).
func BenchmarkPlan(b *testing.B) {
	e := benchEnv(b)
	ctx := context.Background()
	for _, bc := range []struct {
		name  string
		opts  PlanOptions
		cache bool
	}{{"full", PlanOptions{Full: true}, false}, {"push", PlanOptions{}, false}, {"push-cached", PlanOptions{}, true}} {
		b.Run(bc.name, func(b *testing.B) {
			e.eng.files = nil
			if bc.cache {
				e.eng.files = newFileCache(e.eng.store, e.eng.log)
				if _, err := e.eng.Plan(ctx, demo, bc.opts); err != nil { // fill the cache
					b.Fatal(err)
				}
			}
			e.sim.ResetJournal()
			b.ResetTimer()
			for b.Loop() {
				pr, err := e.eng.Plan(ctx, demo, bc.opts)
				if err != nil {
					b.Fatal(err)
				}
				for _, op := range pr.Plan.Ops {
					if op.Kind != plan.InSync {
						b.Fatalf("%s is %s", op.Key, op.Kind)
					}
				}
			}
			b.ReportMetric(float64(len(e.sim.APICalls()))/float64(b.N), "requests/op")
		})
	}
}
