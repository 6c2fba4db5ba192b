package engine

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// TestPlanReadsPerLocale counts, by route, the requests of a full plan of an app in sync: the
// versions, the localizations with their set counts and the appInfo with its localizations
// are one read each, then one read per locale and kind that has media, however many display
// types it has. No GET in Apple's document returns the media of several localizations (the
// spec package's TestNoReadReturnsMediaOfSeveralLocalizations), so this is the floor.
func TestPlanReadsPerLocale(t *testing.T) {
	for _, tc := range []struct {
		name    string
		locales int
		types   int
		sets    int // reads of one locale's screenshot sets
	}{
		{"one locale, one set", 1, 1, 1},
		{"three locales, one set each", 3, 1, 3},
		{"three locales, two sets each", 3, 2, 3},
		{"twelve locales, one set each", 12, 1, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := benchEnvOf(t, collection.Locales[:tc.locales], bigTypes[:tc.types], true)
			e.sim.ResetJournal()
			p, err := e.eng.Plan(context.Background(), demo, PlanOptions{Full: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, op := range p.Plan.Ops {
				if op.Kind != plan.InSync {
					t.Fatalf("the app is in sync, the plan has %s %s", op.Kind, op.Key)
				}
			}
			got := map[string]int{}
			for _, c := range e.sim.APICalls() {
				got[c.Method+" "+c.Route]++
			}
			want := map[string]int{
				"GET /v1/apps/{id}/appStoreVersions":                          1,
				"GET /v1/appStoreVersions/{id}/appStoreVersionLocalizations":  1,
				"GET /v1/apps/{id}/appInfos":                                  1,
				"GET /v1/appStoreVersionLocalizations/{id}/appScreenshotSets": tc.sets,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("requests of a full plan (-want +got):\n%s", diff)
			}
		})
	}
}
