package remote

import (
	"context"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/storesyncer/storesyncer/internal/plan"
)

// TestApplyGroupsConcurrently runs every group of a plan at once, as the engine's workers do:
// texts of three locales, a new locale whose text group and two set groups all need its
// version localization (one creates it, the others wait and find it: never a 409), and a
// replaced screenshot.
func TestApplyGroupsConcurrently(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	l := newLocal(t).
		text("en-US/description", "EN.").
		text("de-DE/keyword", "de,neu").
		text("ja/subtitle", "新").
		text("fr-FR/description", "FR.").
		text("fr-FR/name", "Planner FR").
		set("fr-FR/screenshot/APP_IPHONE_67", png("1.png", 31), png("2.png", 32)).
		set("fr-FR/screenshot/APP_IPAD_PRO_3GEN_129", ipad("1.png", 34)).
		set(iphone, seeded(1), png("2.png", 33), seeded(3))
	snap, err := e.r.Fetch(ctx, e.app, Scope{Texts: true, MediaLocales: []string{"en-US", "fr-FR"}})
	if err != nil {
		t.Fatal(err)
	}
	p := planFor(snap, l, baseOf(snap))
	groups := p.Resources()
	if len(groups) != 8 {
		t.Fatalf("%d groups, want 8", len(groups))
	}
	results := make([]Result, len(groups))
	g, gctx := errgroup.WithContext(ctx)
	for i, grp := range groups {
		g.Go(func() error {
			var err error
			results[i], err = e.r.Apply(gctx, e.app, snap, grp, ApplyOptions{Source: l.source()})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	wantDone(t, results)
	if n := e.sim.CountAPI("POST", "/v1/appStoreVersionLocalizations"); n != 1 {
		t.Errorf("%d version localization creates, want 1", n)
	}
	for _, c := range e.sim.APICalls() {
		if c.Status == 409 {
			t.Errorf("%s %s answered 409", c.Method, c.Path)
		}
	}
	after, err := e.r.Fetch(ctx, e.app, Scope{Texts: true})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range l.texts {
		if after.Remote[k].Text != v {
			t.Errorf("%s = %q, want %q", k, after.Remote[k].Text, v)
		}
	}
	for _, k := range []plan.Key{"fr-FR/screenshot/APP_IPHONE_67", "fr-FR/screenshot/APP_IPAD_PRO_3GEN_129", iphone} {
		wantSet(t, e.sim, l, k)
	}
}

// TestLocalizationCreatedByAnotherGroup: when a set group has created a locale's version
// localization, the text group of the same snapshot PATCHes it (the Remote remembers it); a
// Remote that does not know it gets DUPLICATE, reads, and PATCHes.
func TestLocalizationCreatedByAnotherGroup(t *testing.T) {
	tests := []struct {
		name      string
		sameCache bool
		want      map[string]int
	}{
		{"same Remote", true, map[string]int{patchVLoc: 1}},
		{"another Remote", false, map[string]int{postVLoc: 1, getVLocs: 1, patchVLoc: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			l := newLocal(t).text("fr-FR/description", "FR.").set("fr-FR/screenshot/APP_IPHONE_67", png("1.png", 31))
			snap, err := e.r.Fetch(ctx, e.app, Scope{Texts: true, MediaLocales: []string{"fr-FR"}})
			if err != nil {
				t.Fatal(err)
			}
			p := planFor(snap, l, baseOf(snap))
			var text, set plan.Group
			for _, g := range p.Resources() {
				if plan.Key(g.Resource).IsMedia() {
					set = g
				} else {
					text = g
				}
			}
			if res, err := e.r.Apply(ctx, e.app, snap, set, ApplyOptions{Source: l.source()}); err != nil || len(res.Failed) > 0 {
				t.Fatalf("set group: %+v, %v", res, err)
			}
			r := e.r
			if !tt.sameCache {
				r = newRemote(t, e.sim, e.clock, envConfig{})
			}
			e.sim.ResetJournal()
			res, err := r.Apply(ctx, e.app, snap, text, ApplyOptions{Source: l.source()})
			if err != nil || len(res.Failed) > 0 {
				t.Fatalf("text group: %+v, %v", res, err)
			}
			wantCalls(t, e.sim, tt.want)
			if got, _ := e.sim.VersionLocalization(demo, "1.1", "fr-FR"); got["description"] != "FR." {
				t.Errorf("fr-FR = %v", got)
			}
			wantSet(t, e.sim, l, "fr-FR/screenshot/APP_IPHONE_67")
		})
	}
}
