package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCallBudgets checks Plan.Calls against the budgets, and how the cost of a shared
// localization write is attributed to its first op only.
func TestCallBudgets(t *testing.T) {
	changed := func(keys ...Key) Input {
		in := Input{Local: map[Key]Value{}, Remote: map[Key]Value{}, Base: map[Key]Value{}, Version: editable, Resources: existing("de-DE")}
		// An unchanged field on each resource costs nothing.
		in.Local["de-DE/supportUrl"], in.Remote["de-DE/supportUrl"] = TextValue("https://x"), TextValue("https://x")
		in.Local["de-DE/name"], in.Remote["de-DE/name"] = TextValue("App"), TextValue("App")
		for _, k := range keys {
			in.Local[k], in.Remote[k], in.Base[k] = TextValue("new"), TextValue("old"), TextValue("old")
		}
		return in
	}
	shots := func(n int, prefix string) []string {
		var out []string
		for i := range n {
			out = append(out, prefix+string(rune('a'+i)))
		}
		return out
	}
	newSet := changed()
	newSet.Local[shot67] = local(shots(5, "s")...)
	replaced := changed()
	replaced.Local[shot67], replaced.Remote[shot67], replaced.Base[shot67] = local("a", "x", "c"), remote("a", "b", "c"), ChecksumValue("a", "b", "c")
	orderOnly := changed()
	orderOnly.Local[shot67], orderOnly.Remote[shot67], orderOnly.Base[shot67] = local("b", "a"), remote("a", "b"), ChecksumValue("a", "b")
	newLocale := changed()
	for _, k := range []Key{"fr-FR/name", "fr-FR/subtitle", "fr-FR/description", "fr-FR/keyword", "fr-FR/supportUrl"} {
		newLocale.Local[k] = TextValue("fr")
	}
	newLocaleShots := changed()
	newLocaleShots.Local["fr-FR/screenshot/APP_IPHONE_67"] = local("a", "b")
	newLocaleShots.Local["fr-FR/screenshot/APP_IPAD_PRO_3GEN_129"] = local("c")
	newLocaleBoth := changed()
	newLocaleBoth.Local["fr-FR/screenshot/APP_IPHONE_67"] = local("a", "b")
	newLocaleBoth.Local["fr-FR/whatsNew"] = TextValue("neu")
	live := changed("de-DE/promotionalText", "de-DE/description")
	live.Version = VersionInfo{State: "READY_FOR_DISTRIBUTION", Live: true}

	tests := []struct {
		name    string
		in      Input
		want    Calls
		perOp   map[Key]Calls // ops not listed must cost nothing
		wantLoc []Key         // set ops that create the version localization
	}{
		{name: "nothing changed", in: changed(), want: Calls{}},
		{name: "three version-localization fields: 1 PATCH", in: changed("de-DE/description", "de-DE/keyword", "de-DE/whatsNew"),
			want: Calls{Patch: 1}, perOp: map[Key]Calls{"de-DE/description": {Patch: 1}}},
		{name: "name, subtitle, privacy URL: 1 PATCH", in: changed("de-DE/name", "de-DE/subtitle", "de-DE/privacyPolicyUrl"),
			want: Calls{Patch: 1}, perOp: map[Key]Calls{"de-DE/name": {Patch: 1}}},
		{name: "both localizations: 2 PATCHes", in: changed("de-DE/subtitle", "de-DE/keyword"),
			want: Calls{Patch: 2}, perOp: map[Key]Calls{"de-DE/keyword": {Patch: 1}, "de-DE/subtitle": {Patch: 1}}},
		{name: "new locale: 1 create per localization resource", in: newLocale,
			want: Calls{Create: 2}, perOp: map[Key]Calls{"fr-FR/description": {Create: 1}, "fr-FR/name": {Create: 1}}},
		{name: "new set of 5: create, 5 reserves, 5 commits, 1 poll", in: newSet,
			want: Calls{Create: 1, Reserve: 5, Commit: 5, Poll: 1}, perOp: map[Key]Calls{shot67: {Create: 1, Reserve: 5, Commit: 5, Poll: 1}}},
		{name: "one replaced screenshot: delete, reserve, commit, poll, reorder", in: replaced,
			want: Calls{Delete: 1, Reserve: 1, Commit: 1, Poll: 1, Reorder: 1}, perOp: map[Key]Calls{shot67: {Delete: 1, Reserve: 1, Commit: 1, Poll: 1, Reorder: 1}}},
		{name: "order only: 1 reorder", in: orderOnly, want: Calls{Reorder: 1}, perOp: map[Key]Calls{shot67: {Reorder: 1}}},
		{name: "new locale with screenshots only: the first set creates the localization", in: newLocaleShots,
			want: Calls{Create: 3, Reserve: 3, Commit: 3, Poll: 2},
			perOp: map[Key]Calls{
				"fr-FR/screenshot/APP_IPAD_PRO_3GEN_129": {Create: 2, Reserve: 1, Commit: 1, Poll: 1},
				"fr-FR/screenshot/APP_IPHONE_67":         {Create: 1, Reserve: 2, Commit: 2, Poll: 1},
			},
			wantLoc: []Key{"fr-FR/screenshot/APP_IPAD_PRO_3GEN_129"}},
		{name: "new locale with text and screenshots: the text create makes the localization", in: newLocaleBoth,
			want:  Calls{Create: 2, Reserve: 2, Commit: 2, Poll: 1},
			perOp: map[Key]Calls{"fr-FR/whatsNew": {Create: 1}, "fr-FR/screenshot/APP_IPHONE_67": {Create: 1, Reserve: 2, Commit: 2, Poll: 1}}},
		{name: "live version: promotional text alone, 1 PATCH", in: live, want: Calls{Patch: 1}, perOp: map[Key]Calls{"de-DE/promotionalText": {Patch: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Compute(tt.in)
			if diff := cmp.Diff(tt.want, p.Calls()); diff != "" {
				t.Errorf("Plan.Calls (-want +got):\n%s", diff)
			}
			var gotLoc []Key
			for _, op := range p.Ops {
				if diff := cmp.Diff(tt.perOp[op.Key], op.Calls); diff != "" {
					t.Errorf("calls of %s (%s) (-want +got):\n%s", op.Key, op.Kind, diff)
				}
				if op.Set != nil && op.Set.CreateLocalization {
					gotLoc = append(gotLoc, op.Key)
				}
			}
			if diff := cmp.Diff(tt.wantLoc, gotLoc); diff != "" {
				t.Errorf("sets creating the localization (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCallsTotal(t *testing.T) {
	c := Calls{Create: 1, Patch: 2, Delete: 3, Reserve: 4, Commit: 5, Poll: 6, Reorder: 7}
	if got := c.Add(c).Total(); got != 56 {
		t.Errorf("Total = %d, want 56", got)
	}
}
