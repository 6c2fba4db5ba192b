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

// The benchmark app: 40 locales × 3 screenshot sets × 10 screenshots, all in sync.
var benchTypes = []struct {
	name string
	w, h int
}{{"APP_WATCH_SERIES_3", 312, 390}, {"APP_WATCH_SERIES_4", 368, 448}, {"APP_WATCH_SERIES_7", 396, 484}}

const benchShots = 10

func benchLocales() []string { return collection.Locales[:40] }

// benchSeed is one app whose editable version has every text field and 3 full sets in 40
// locales.
func benchSeed() *ascapitest.Seed {
	v := ascapitest.SeedVersion{VersionString: "1.1", Platform: "IOS", State: "PREPARE_FOR_SUBMISSION"}
	for _, l := range benchLocales() {
		loc := ascapitest.SeedLocalization{Locale: l, Texts: map[string]string{
			"description": "Description " + l, "keywords": "a,b,c", "whatsNew": "Fixes.", "promotionalText": "Promo " + l,
			"supportUrl": "https://example.com/support", "marketingUrl": "https://example.com"},
			Screenshots: map[string][]ascapitest.SeedAsset{}}
		for _, ty := range benchTypes {
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
func benchEnv(b *testing.B) *testEnv {
	b.Helper()
	e := newTestEnv(b, benchSeed())
	if err := e.ws.WriteApp(workspace.App{BundleID: demo, Platform: collection.IOS, Active: "main", AppID: "6450000001", PrimaryLocale: "en-US"}); err != nil {
		b.Fatal(err)
	}
	for _, l := range benchLocales() {
		for dir, v := range map[string]string{"description": "Description " + l, "keyword": "a,b,c", "whatsNew": "Fixes.",
			"promotionalText": "Promo " + l, "supportUrl": "https://example.com/support", "marketingUrl": "https://example.com",
			"name": "Bench " + l, "subtitle": "Sub", "privacyPolicyUrl": "https://example.com/privacy"} {
			e.write(dir+"/"+l+".txt", []byte(v+"\n"))
		}
		for _, ty := range benchTypes {
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
