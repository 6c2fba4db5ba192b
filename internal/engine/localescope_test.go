package engine

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/internal/plan"
)

// TestKeysPlanMatchesWholePlan checks that a plan of some keys, which reads only their
// locales' files, bases and remote values, gives each of them the op a plan of every key
// gives it, calls included: a new locale (its localizations created by the first of its ops,
// its name missing), a localization with two changed fields, an invalid key beside a valid
// one, a reordered set and a key in sync, local-only and against App Store Connect.
func TestKeysPlanMatchesWholePlan(t *testing.T) {
	e := newTestEnv(t, nil)
	ctx := context.Background()
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		t.Fatal(err)
	}
	e.write("promotionalText/fr-FR.txt", []byte("Neu\n"))
	e.write("keyword/fr-FR.txt", []byte("neu,wort\n"))
	e.write("description/de-DE.txt", []byte("Neue Beschreibung\n"))
	e.write("keyword/de-DE.txt", []byte("neu,wort\n"))
	e.write("keyword/en-US.txt", []byte(strings.Repeat("lang,", 30)+"\n"))
	e.write("description/en-US.txt", []byte("New description\n"))
	if err := os.Rename(e.path("screenshot/de-DE/APP_WATCH_SERIES_7/01_1.png"), e.path("screenshot/de-DE/APP_WATCH_SERIES_7/09_1.png")); err != nil {
		t.Fatal(err)
	}
	keySets := [][]plan.Key{
		{"fr-FR/keyword"}, {"fr-FR/promotionalText"}, {"de-DE/keyword"}, {"de-DE/description", "de-DE/keyword"},
		{"en-US/keyword"}, {"en-US/description"}, {"de-DE/screenshot/APP_WATCH_SERIES_7"}, {"ja/keyword"},
		{"ja/keyword", "fr-FR/keyword", "de-DE/screenshot/APP_WATCH_SERIES_7"},
	}
	for _, opts := range []PlanOptions{{LocalOnly: true}, {Managed: true}} {
		whole, err := e.eng.Plan(ctx, demo, opts)
		if err != nil {
			t.Fatal(err)
		}
		if whole.LocalOnly != opts.LocalOnly {
			t.Fatalf("LocalOnly = %v; want %v", whole.LocalOnly, opts.LocalOnly)
		}
		for _, keys := range keySets {
			o := opts
			o.Keys = keys
			some, err := e.eng.Plan(ctx, demo, o)
			if err != nil {
				t.Fatal(err)
			}
			var want []plan.Op
			for _, k := range keys {
				if op, ok := whole.Plan.Op(k); ok {
					want = append(want, op)
				}
			}
			if len(want) != len(keys) {
				t.Fatalf("the whole plan lacks some of %v", keys)
			}
			slices.SortFunc(want, func(a, b plan.Op) int { return compareKeys(a.Key, b.Key) })
			if diff := cmp.Diff(want, some.Plan.Ops); diff != "" {
				t.Errorf("LocalOnly %v, keys %v: ops differ from the whole plan's (-whole +keys):\n%s", opts.LocalOnly, keys, diff)
			}
		}
	}
}
