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

// TestLocalOnlyPlanMakesNoAPICall edits the collection step by step and plans each state
// local-only: no request reaches App Store Connect, a key that differs from its base is a
// write, one that matches it is in sync, and the writes are those a remote plan finds (the
// simulator still holds the bases, so both must agree).
func TestLocalOnlyPlanMakesNoAPICall(t *testing.T) {
	e := newTestEnv(t, nil)
	ctx := context.Background()
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(e.path("keyword/ja.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		edit         func()
		keys         []plan.Key
		want         map[plan.Key]plan.Kind
		wantWarnings []string
	}{
		{name: "nothing changed", edit: func() {}, want: map[plan.Key]plan.Kind{
			"ja/keyword": plan.InSync, "de-DE/name": plan.InSync, "de-DE/screenshot/APP_WATCH_SERIES_7": plan.InSync}},
		{name: "a keyword edited", edit: func() { e.write("keyword/ja.txt", []byte("新,旧\n")) },
			want: map[plan.Key]plan.Kind{"ja/keyword": plan.Update, "ja/description": plan.InSync}},
		{name: "the keyword reverted", edit: func() { e.write("keyword/ja.txt", orig) },
			want: map[plan.Key]plan.Kind{"ja/keyword": plan.InSync}},
		{name: "a save that changed nothing", edit: func() { e.write("keyword/ja.txt", append([]byte("\ufeff"), orig...)) },
			want: map[plan.Key]plan.Kind{"ja/keyword": plan.InSync}},
		{name: "two fields of one localization", edit: func() {
			e.write("description/de-DE.txt", []byte("Neue Beschreibung\n"))
			e.write("keyword/de-DE.txt", []byte("neu,wort\n"))
		}, want: map[plan.Key]plan.Kind{"de-DE/description": plan.Update, "de-DE/keyword": plan.Update}},
		{name: "screenshots reordered", edit: func() {
			if err := os.Rename(e.path("screenshot/de-DE/APP_WATCH_SERIES_7/01_1.png"), e.path("screenshot/de-DE/APP_WATCH_SERIES_7/09_1.png")); err != nil {
				t.Fatal(err)
			}
		}, want: map[plan.Key]plan.Kind{"de-DE/screenshot/APP_WATCH_SERIES_7": plan.Reorder}},
		{name: "an invalid keyword", edit: func() { e.write("keyword/en-US.txt", []byte(strings.Repeat("lang,", 30)+"\n")) },
			want: map[plan.Key]plan.Kind{"en-US/keyword": plan.Held}},
		{name: "only these keys", edit: func() {}, keys: []plan.Key{"de-DE/keyword", "ja/keyword"},
			want: map[plan.Key]plan.Kind{"de-DE/keyword": plan.Update, "ja/keyword": plan.InSync}},
		{name: "a new file with no base", edit: func() { e.write("promotionalText/fr-FR.txt", []byte("Neu\n")) },
			want:         map[plan.Key]plan.Kind{"fr-FR/promotionalText": plan.Create},
			wantWarnings: []string{"locale fr-FR is new on App Store Connect but name/fr-FR.txt is missing: Apple needs a name for a new locale"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.edit()
			e.sim.ResetJournal()
			pr, err := e.eng.Plan(ctx, demo, PlanOptions{LocalOnly: true, Keys: tc.keys})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(e.sim.APICalls()); n != 0 {
				t.Errorf("a local-only plan made %d API calls; want 0", n)
			}
			if !pr.LocalOnly || pr.Snapshot != nil {
				t.Errorf("LocalOnly = %v, Snapshot = %v; want true and nil", pr.LocalOnly, pr.Snapshot)
			}
			got := map[plan.Key]plan.Kind{}
			for k := range tc.want {
				if op, ok := pr.Plan.Op(k); ok {
					got[k] = op.Kind
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ops (-want +got):\n%s", diff)
			}
			if tc.keys != nil {
				for _, op := range pr.Plan.Ops {
					if !slices.Contains(tc.keys, op.Key) {
						t.Errorf("op %s %s outside the keys asked for", op.Kind, op.Key)
					}
				}
			}
			if diff := cmp.Diff(tc.wantWarnings, pr.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			remote, err := e.eng.Plan(ctx, demo, PlanOptions{Keys: tc.keys})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(writesOf(remote.Plan), writesOf(pr.Plan)); diff != "" {
				t.Errorf("writes differ from a remote plan's (-remote +local-only):\n%s", diff)
			}
		})
	}
}

// writesOf returns the keys and kinds of p's writes and holds.
func writesOf(p plan.Plan) map[plan.Key]plan.Kind {
	out := map[plan.Key]plan.Kind{}
	for _, op := range p.Ops {
		if op.Kind.Writes() || op.Kind == plan.Held {
			out[op.Key] = op.Kind
		}
	}
	return out
}

// TestLocalOnlyPlanFallsBack plans local-only where it cannot be: with no recorded target
// (nothing pulled or pushed yet), with prune, and when the recorded version state would hold
// the write, the plan reads App Store Connect.
func TestLocalOnlyPlanFallsBack(t *testing.T) {
	tests := []struct {
		name   string
		before func(t *testing.T, e *testEnv)
		opts   PlanOptions
	}{
		{name: "no recorded target", before: func(t *testing.T, e *testEnv) {
			if err := e.store.DeleteSetting(context.Background(), targetKey(demo)); err != nil {
				t.Fatal(err)
			}
		}, opts: PlanOptions{LocalOnly: true, Keys: []plan.Key{"ja/keyword"}}},
		{name: "prune", before: func(*testing.T, *testEnv) {}, opts: PlanOptions{LocalOnly: true, Prune: true}},
		{name: "the recorded version state holds the write", before: func(t *testing.T, e *testEnv) {
			ctx := context.Background()
			tg, _, err := e.eng.RecordedTarget(ctx, demo)
			if err != nil {
				t.Fatal(err)
			}
			// App Store Connect says PREPARE_FOR_SUBMISSION: the stale state must not hold the edit.
			tg.State = plan.StateWaitingForReview
			if err := e.eng.recordTargetOf(ctx, demo, tg); err != nil {
				t.Fatal(err)
			}
		}, opts: PlanOptions{LocalOnly: true, Keys: []plan.Key{"ja/keyword"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			ctx := context.Background()
			if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
				t.Fatal(err)
			}
			tc.before(t, e)
			e.write("keyword/ja.txt", []byte("新\n"))
			e.sim.ResetJournal()
			pr, err := e.eng.Plan(ctx, demo, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if pr.LocalOnly || pr.Snapshot == nil || len(e.sim.APICalls()) == 0 {
				t.Errorf("LocalOnly = %v, snapshot %v, %d API calls; want a remote plan", pr.LocalOnly, pr.Snapshot != nil, len(e.sim.APICalls()))
			}
			if op, ok := pr.Plan.Op("ja/keyword"); !ok || op.Kind != plan.Update {
				t.Errorf("ja/keyword = %+v; want an update", op)
			}
		})
	}
}
