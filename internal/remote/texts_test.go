package remote

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/plan"
)

const (
	getVersions = "GET /v1/apps/{id}/appStoreVersions"
	getVLocs    = "GET /v1/appStoreVersions/{id}/appStoreVersionLocalizations"
	getInfos    = "GET /v1/apps/{id}/appInfos"
	getILocs    = "GET /v1/appInfos/{id}/appInfoLocalizations"
	patchVLoc   = "PATCH /v1/appStoreVersionLocalizations/{id}"
	postVLoc    = "POST /v1/appStoreVersionLocalizations"
	patchILoc   = "PATCH /v1/appInfoLocalizations/{id}"
	postILoc    = "POST /v1/appInfoLocalizations"
	getVersion  = "GET /v1/appStoreVersions/{id}"
)

func TestFetchTexts(t *testing.T) {
	e := newEnv(t)
	e.sim.ResetJournal()
	snap, err := e.r.Fetch(context.Background(), e.app, Scope{Texts: true})
	if err != nil {
		t.Fatal(err)
	}
	wantCalls(t, e.sim, map[string]int{getVersions: 1, getVLocs: 1, getInfos: 1})
	if snap.Calls != 3 {
		t.Errorf("Calls = %d, want 3", snap.Calls)
	}
	if snap.Version.String != "1.1" || snap.Version.Live || snap.Version.FirstVersion || !snap.AppInfoEditable || len(snap.Versions) != 2 {
		t.Errorf("version = %+v, appInfo editable %v", snap.Version, snap.AppInfoEditable)
	}
	want := map[plan.Key]string{
		"de-DE/keyword":          "planer,aufgaben,todo,erinnerungen",
		"en-US/name":             "Planner Demo",
		"ja/subtitle":            "落ち着いたタスク管理",
		"en-US/privacyPolicyUrl": "https://example.com/privacy",
		"en-US/whatsNew":         "Bug fixes and a calmer calendar.",
	}
	for k, v := range want {
		if got := snap.Remote[k]; got.Text != v {
			t.Errorf("Remote[%s] = %q, want %q", k, got.Text, v)
		}
	}
	if n := len(snap.Remote); n != 27 {
		t.Errorf("%d remote keys, want 27 (3 locales × 9 fields)", n)
	}
	if len(snap.Resources.VersionLocalizations) != 3 || len(snap.Resources.InfoLocalizations) != 3 || len(snap.Resources.Sets) != 0 {
		t.Errorf("resources = %+v", snap.Resources)
	}
}

func TestFetchMedia(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name      string
		scope     Scope
		wantCalls int
		wantSets  []plan.Key
	}{
		// versions, localizations with their sets, then one read per locale and kind that has
		// sets: the seed has no preview sets, so none is listed.
		{"one locale", Scope{MediaLocales: []string{"de-DE"}}, 3, []plan.Key{"de-DE/screenshot/APP_IPHONE_67"}},
		{"all locales", Scope{AllMedia: true}, 5, []plan.Key{"de-DE/screenshot/APP_IPHONE_67", "en-US/screenshot/APP_IPHONE_67", "ja/screenshot/APP_IPHONE_67"}},
		{"a locale without localization costs nothing", Scope{MediaLocales: []string{"fr-FR"}}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.sim.ResetJournal()
			snap, err := e.r.Fetch(context.Background(), e.app, tt.scope)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(e.sim.APICalls()); n != tt.wantCalls || snap.Calls != tt.wantCalls {
				t.Errorf("calls: journal %d, Calls %d, want %d", n, snap.Calls, tt.wantCalls)
			}
			var sets []plan.Key
			for k, v := range snap.Remote {
				if !k.IsMedia() {
					t.Errorf("text key %s without Scope.Texts", k)
					continue
				}
				sets = append(sets, k)
				if len(v.Checksums()) != 3 {
					t.Errorf("%s holds %d complete screenshots, want 3", k, len(v.Checksums()))
				}
				for _, a := range v.Assets {
					ra := snap.Assets[a.RemoteID]
					if ra.Set != k || ra.ImageTemplateURL == "" || ra.ImageWidth != 1290 || ra.Checksum != a.Checksum {
						t.Errorf("asset %s = %+v", a.RemoteID, ra)
					}
				}
			}
			if diff := cmp.Diff(tt.wantSets, sets, sortKeys); diff != "" {
				t.Errorf("sets (-want +got):\n%s", diff)
			}
		})
	}
}

var sortKeys = cmp.Transformer("sort", func(in []plan.Key) []plan.Key {
	out := append([]plan.Key(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

// TestTextPushBudget: any number of changed fields of one version localization cost one
// PATCH, and the whole push (fetch included) 4 requests: versions, version localizations,
// appInfos with their localizations, and the PATCH.
func TestTextPushBudget(t *testing.T) {
	e := newEnv(t)
	l := newLocal(t).
		text("en-US/description", "A new description.").
		text("en-US/keyword", "new,words").
		text("en-US/promotionalText", "Plan your week in a minute."). // unchanged
		text("en-US/supportUrl", "https://example.com/help")
	e.sim.ResetJournal()
	_, p, results := e.push(t, l, Scope{Texts: true})
	wantDone(t, results)
	wantCalls(t, e.sim, map[string]int{getVersions: 1, getVLocs: 1, getInfos: 1, patchVLoc: 1})
	if n := len(e.sim.APICalls()); n != 4 {
		t.Errorf("push cost %d requests, want 4", n)
	}
	if len(results) != 1 || results[0].Calls != 1 {
		t.Errorf("results = %+v, want one group of one call", results)
	}
	got, _ := e.sim.VersionLocalization(demo, "1.1", "en-US")
	for k, want := range map[string]string{"description": "A new description.", "keywords": "new,words", "supportUrl": "https://example.com/help",
		"marketingUrl": "https://example.com"} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	for _, k := range []plan.Key{"en-US/description", "en-US/keyword", "en-US/supportUrl"} {
		if results[0].NewBases[k].Text != l.texts[k] {
			t.Errorf("new base of %s = %+v", k, results[0].NewBases[k])
		}
	}
	if len(p.Resources()) != 1 {
		t.Errorf("plan groups = %d", len(p.Resources()))
	}
}

func TestTextCreateLocale(t *testing.T) {
	e := newEnv(t)
	l := newLocal(t).
		text("fr-FR/description", "Une description.").
		text("fr-FR/keyword", "agenda,tâches").
		text("fr-FR/name", "Planner Démo").
		text("fr-FR/subtitle", "Calme")
	e.sim.ResetJournal()
	_, _, results := e.push(t, l, Scope{Texts: true})
	wantDone(t, results)
	wantCalls(t, e.sim, map[string]int{getVersions: 1, getVLocs: 1, getInfos: 1, postVLoc: 1, postILoc: 1})
	vl, _ := e.sim.VersionLocalization(demo, "1.1", "fr-FR")
	il, _ := e.sim.InfoLocalization(demo, "1.1", "fr-FR")
	if vl["description"] != "Une description." || vl["keywords"] != "agenda,tâches" || il["name"] != "Planner Démo" || il["subtitle"] != "Calme" {
		t.Errorf("fr-FR = %v, %v", vl, il)
	}
	if got := doneKeys(results); len(got) != 4 {
		t.Errorf("done = %v", got)
	}
}

// TestTextFaults: a create answered DUPLICATE, and PATCHes answered 500 (applied or not), are
// re-read and settled without a blind retry.
func TestTextFaults(t *testing.T) {
	tests := []struct {
		name   string
		before func(e *env, snap *Snapshot)
		local  *local
		want   map[string]int
	}{
		{"duplicate create becomes a PATCH", func(e *env, snap *Snapshot) {
			// Someone adds fr-FR after the fetch.
			desc := "old"
			if _, _, err := e.r.c.VersionLocalizations.Create(context.Background(), snap.Version.ID,
				ascapi.VersionLocalizationAttributes{Locale: "fr-FR", Description: &desc}); err != nil {
				panic(err)
			}
			e.sim.ResetJournal()
		}, newLocal(t).text("fr-FR/description", "Nouveau."), map[string]int{postVLoc: 1, getVLocs: 1, patchVLoc: 1}},
		{"PATCH applied but answered 500 is not sent again", func(e *env, _ *Snapshot) {
			e.sim.FailNext(http.MethodPatch, "/v1/appStoreVersionLocalizations/{id}", 500, true)
		}, newLocal(t).text("de-DE/description", "Neu."), map[string]int{patchVLoc: 1, getVLocs: 1}},
		{"PATCH not applied and answered 500 is sent once more", func(e *env, _ *Snapshot) {
			e.sim.FailNext(http.MethodPatch, "/v1/appStoreVersionLocalizations/{id}", 500, false)
		}, newLocal(t).text("de-DE/description", "Neu."), map[string]int{patchVLoc: 2, getVLocs: 1}},
		{"PATCH of an app info localization answered 503 but applied", func(e *env, _ *Snapshot) {
			e.sim.FailNext(http.MethodPatch, "/v1/appInfoLocalizations/{id}", 503, true)
		}, newLocal(t).text("ja/subtitle", "新しい"), map[string]int{patchILoc: 1, getILocs: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			snap, err := e.r.Fetch(ctx, e.app, Scope{Texts: true})
			if err != nil {
				t.Fatal(err)
			}
			p := planFor(snap, tt.local, baseOf(snap))
			e.sim.ResetJournal()
			tt.before(e, snap)
			results := e.applyAll(t, snap, p, tt.local)
			wantDone(t, results)
			wantCalls(t, e.sim, tt.want)
			after, err := e.r.Fetch(ctx, e.app, Scope{Texts: true})
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.local.texts {
				if after.Remote[k].Text != v {
					t.Errorf("%s = %q, want %q", k, after.Remote[k].Text, v)
				}
			}
		})
	}
}

func TestTextVersionLeftEditableState(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	l := newLocal(t).text("en-US/description", "New.").text("en-US/keyword", "a,b")
	snap, err := e.r.Fetch(ctx, e.app, Scope{Texts: true})
	if err != nil {
		t.Fatal(err)
	}
	p := planFor(snap, l, baseOf(snap))
	if err := e.sim.SetVersionState(demo, "1.1", "IN_REVIEW"); err != nil {
		t.Fatal(err)
	}
	e.sim.ResetJournal()
	results := e.applyAll(t, snap, p, l)
	wantCalls(t, e.sim, map[string]int{patchVLoc: 1, getVersion: 1})
	for _, k := range []plan.Key{"en-US/description", "en-US/keyword"} {
		var vse *VersionStateError
		err := results[0].Failed[k]
		if !errors.As(err, &vse) || vse.State != "IN_REVIEW" {
			t.Fatalf("%s: err = %v, want *VersionStateError", k, err)
		}
		if want := "held: version 1.1 is now IN_REVIEW"; !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err.Error(), want)
		}
	}
	if len(results[0].Done) != 0 {
		t.Errorf("done = %v", results[0].Done)
	}
}

func TestTextPullAndErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	snap, err := e.r.Fetch(ctx, e.app, Scope{Texts: true})
	if err != nil {
		t.Fatal(err)
	}
	pull := plan.Group{Resource: "en-US/appStoreVersionLocalizations", Ops: []plan.Op{{
		Key: "en-US/description", Kind: plan.Pull, NewBase: &plan.Value{Text: "remote"}}}}
	tooLong := plan.Group{Resource: "en-US/appStoreVersionLocalizations", Ops: []plan.Op{{
		Key: "en-US/keyword", Kind: plan.Update, Local: plan.TextValue(strings.Repeat("k", 101))}}}
	e.sim.ResetJournal()
	res, err := e.r.Apply(ctx, e.app, snap, pull, ApplyOptions{})
	if err != nil || len(res.Done) != 1 || res.NewBases["en-US/description"].Text != "remote" || res.Calls != 0 {
		t.Errorf("pull: %+v, %v", res, err)
	}
	res, err = e.r.Apply(ctx, e.app, snap, tooLong, ApplyOptions{})
	if err != nil || !ascapi.HasCode(res.Failed["en-US/keyword"], "ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG") {
		t.Errorf("too long: %+v, %v", res, err)
	}
	wantCalls(t, e.sim, map[string]int{patchVLoc: 1})
	if _, err := e.r.Apply(ctx, e.app, nil, pull, ApplyOptions{}); err == nil {
		t.Error("Apply without a snapshot succeeded")
	}
	bad := plan.Group{Resource: "en-US/nonsense", Ops: []plan.Op{{Key: "en-US/description", Kind: plan.Update}}}
	if res, err := e.r.Apply(ctx, e.app, snap, bad, ApplyOptions{}); err == nil || res.Failed["en-US/description"] == nil {
		t.Errorf("unknown resource: %+v, %v", res, err)
	}
}

func TestPruneLocalization(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	snap, err := e.r.Fetch(ctx, e.app, Scope{Texts: true, AllMedia: true})
	if err != nil {
		t.Fatal(err)
	}
	// The collection holds en-US and de-DE texts only: ja goes, with its set, and so does the
	// de-DE set (en-US is the primary locale: untouched).
	l := newLocal(t).text("en-US/description", snap.Remote["en-US/description"].Text).text("de-DE/keyword", snap.Remote["de-DE/keyword"].Text)
	p := plan.Compute(plan.Input{Local: l.values(), Remote: snap.Remote, Base: baseOf(snap), Version: snap.Version,
		Resources: snap.Resources, Options: plan.Options{Prune: true, PrimaryLocale: "en-US"}})
	e.sim.ResetJournal()
	results := e.applyAll(t, snap, p, l)
	wantDone(t, results)
	wantCalls(t, e.sim, map[string]int{"DELETE /v1/appStoreVersionLocalizations/{id}": 1, "DELETE /v1/appInfoLocalizations/{id}": 1,
		deleteSet: 1})
	if _, ok := e.sim.VersionLocalization(demo, "1.1", "ja"); ok {
		t.Error("ja is still there")
	}
	if got := len(doneKeys(results)); got != 11 {
		t.Errorf("%d keys done, want 11 (9 texts and the sets of ja and de-DE)", got)
	}
	if _, ok := e.sim.ScreenshotSet(demo, "1.1", "en-US", "APP_IPHONE_67"); !ok {
		t.Error("the primary locale's set was pruned")
	}
}

func TestApplyCancelled(t *testing.T) {
	e := newEnv(t)
	l := newLocal(t).set(iphone, seeded(1), png("2.png", 9), seeded(3)).text("en-US/keyword", "x,y")
	snap, err := e.r.Fetch(context.Background(), e.app, Scope{Texts: true, MediaLocales: []string{"en-US"}})
	if err != nil {
		t.Fatal(err)
	}
	p := planFor(snap, l, baseOf(snap))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, g := range p.Resources() {
		res, err := e.r.Apply(ctx, e.app, snap, g, ApplyOptions{Source: l.source()})
		if !errors.Is(err, context.Canceled) || len(res.Failed) != len(g.Ops) {
			t.Errorf("%s: %+v, %v; want every key failed and context.Canceled", g.Resource, res, err)
		}
	}
	wantSet(t, e.sim, newLocal(t).set(iphone, seeded(1), seeded(2), seeded(3)), iphone)
}
