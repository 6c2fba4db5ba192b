package plan

import (
	"strings"
	"testing"
)

// TestVersionRules checks what may be pushed on which version: media and most texts only on an
// editable version, texts in review only with edit_in_review, only promotionalText on the live
// version, no whatsNew on a first version, and that pulls and conflicts are never held.
func TestVersionRules(t *testing.T) {
	wfr := VersionInfo{ID: "v2", String: "1.2", State: "WAITING_FOR_REVIEW"}
	live := VersionInfo{ID: "v1", String: "1.0", State: "READY_FOR_DISTRIBUTION", Live: true}
	first := editable
	first.FirstVersion = true
	tests := []struct {
		name         string
		version      VersionInfo
		editInReview bool
		key          Key
		l, r, b      Value
		wantKind     Kind
		wantReason   string // substring
	}{
		{name: "editable: text", version: editable, key: desc, l: TextValue("n"), r: TextValue("o"), b: TextValue("o"), wantKind: Update},
		{name: "editable: media", version: editable, key: shot67, l: local("n"), r: remote("o"), b: ChecksumValue("o"), wantKind: Update},
		{name: "editable: name", version: editable, key: "de-DE/name", l: TextValue("Neu"), r: TextValue("Alt"), b: TextValue("Alt"), wantKind: Update},
		{name: "every editable state: METADATA_REJECTED", version: VersionInfo{State: "METADATA_REJECTED"}, key: shot67, l: local("n"), r: remote("o"), b: ChecksumValue("o"), wantKind: Update},
		{name: "every editable state: INVALID_BINARY", version: VersionInfo{State: "INVALID_BINARY"}, key: desc, l: TextValue("n"), r: TextValue("o"), b: TextValue("o"), wantKind: Update},
		{name: "every editable state: DEVELOPER_REJECTED", version: VersionInfo{State: "DEVELOPER_REJECTED"}, key: desc, l: TextValue("n"), r: TextValue("o"), b: TextValue("o"), wantKind: Update},
		{name: "every editable state: REJECTED", version: VersionInfo{State: "REJECTED"}, key: desc, l: TextValue("n"), r: TextValue("o"), b: TextValue("o"), wantKind: Update},
		{name: "in review: text held without edit_in_review", version: wfr, key: desc, l: TextValue("n"), r: TextValue("o"), b: TextValue("o"),
			wantKind: Held, wantReason: "held: version 1.2 is WAITING_FOR_REVIEW; set [sync] edit_in_review = true to edit texts"},
		{name: "in review: text pushed with edit_in_review", version: wfr, editInReview: true, key: desc, l: TextValue("n"), r: TextValue("o"), b: TextValue("o"), wantKind: Update},
		{name: "in review: app info text pushed with edit_in_review", version: wfr, editInReview: true, key: "de-DE/subtitle", l: TextValue("n"), r: TextValue("o"), b: TextValue("o"), wantKind: Update},
		{name: "in review: media never", version: wfr, editInReview: true, key: shot67, l: local("n"), r: remote("o"), b: ChecksumValue("o"),
			wantKind: Held, wantReason: "WAITING_FOR_REVIEW; screenshots and previews cannot change"},
		{name: "in review: new set never", version: wfr, editInReview: true, key: prev67, l: local("n"), wantKind: Held, wantReason: "WAITING_FOR_REVIEW"},
		{name: "in review: promotional text always", version: wfr, key: "de-DE/promotionalText", l: TextValue("n"), r: TextValue("o"), b: TextValue("o"), wantKind: Update},
		{name: "live: promotional text", version: live, key: "de-DE/promotionalText", l: TextValue("n"), r: TextValue("o"), b: TextValue("o"), wantKind: Update},
		{name: "live: promotional text of a new locale held", version: live, key: "pt-BR/promotionalText", l: TextValue("n"),
			wantKind: Held, wantReason: "locale pt-BR has no localization on it, and one can be added only to an editable version"},
		{name: "live: leftovers of an in-sync set stay, the set is in sync", version: live, key: shot67, l: local("a"), r: withAsset(remote("a"), "x", StateFailed, ""), wantKind: InSync},
		{name: "live: description held", version: live, key: desc, l: TextValue("n"), r: TextValue("o"), b: TextValue("o"),
			wantKind: Held, wantReason: "held: version 1.0 is READY_FOR_DISTRIBUTION and no version is editable; only promotionalText can change: create a version with `storesyncer versions create`"},
		{name: "live: name held", version: live, key: "de-DE/name", l: TextValue("n"), r: TextValue("o"), b: TextValue("o"), wantKind: Held, wantReason: "only promotionalText"},
		{name: "live: media held", version: live, key: shot67, l: local("n"), r: remote("o"), b: ChecksumValue("o"), wantKind: Held, wantReason: "versions create"},
		{name: "live flag wins over an editable state", version: VersionInfo{State: "PREPARE_FOR_SUBMISSION", Live: true}, key: desc, l: TextValue("n"), r: TextValue("o"), b: TextValue("o"), wantKind: Held, wantReason: "the target version is PREPARE_FOR_SUBMISSION"},
		{name: "unknown state is not editable", version: VersionInfo{State: "IN_REVIEW"}, key: desc, l: TextValue("n"), r: TextValue("o"), b: TextValue("o"), wantKind: Held, wantReason: "IN_REVIEW"},
		{name: "zero version pushes nothing", key: desc, l: TextValue("n"), r: TextValue("o"), b: TextValue("o"), wantKind: Held, wantReason: "unknown state"},
		{name: "first version: whatsNew held", version: first, key: "de-DE/whatsNew", l: TextValue("n"), wantKind: Held, wantReason: "whatsNew cannot be set on an app's first version"},
		{name: "first version: whatsNew in sync is fine", version: first, key: "de-DE/whatsNew", l: TextValue("n"), r: TextValue("n"), wantKind: InSync},
		{name: "first version: other text pushed", version: first, key: desc, l: TextValue("n"), wantKind: Create},
		{name: "second version: whatsNew pushed", version: editable, key: "de-DE/whatsNew", l: TextValue("n"), wantKind: Create},
		{name: "live: pull still happens", version: live, key: desc, l: TextValue("o"), r: TextValue("n"), b: TextValue("o"), wantKind: Pull},
		{name: "in review: conflict still reported", version: wfr, key: shot67, l: local("a"), r: remote("b"), b: ChecksumValue("c"), wantKind: Conflict},
		{name: "live: in sync still refreshes base", version: live, key: shot67, l: local("a"), r: remote("a"), wantKind: InSync},
		{name: "busy set waits for processing", version: editable, key: shot67, l: local("a", "b"), r: withAsset(remote("a"), "p", StateUploadComplete, ""), b: ChecksumValue("a"),
			wantKind: Held, wantReason: "waiting for processing"},
		{name: "busy flag set by remote", version: editable, key: shot67, l: local("a", "b"), r: Value{Assets: remote("a").Assets, Busy: true}, b: ChecksumValue("a"), wantKind: Held, wantReason: "waiting for processing"},
		{name: "preview PROCESSING is busy", version: editable, key: prev67, l: local("a"), r: withAsset(remote("a"), "p", StateProcessing, ""), b: ChecksumValue("a"), wantKind: Held, wantReason: "waiting for processing"},
		{name: "COMPLETE without checksum is still processing", version: editable, key: shot67, l: local("a", "b"), r: withAsset(remote("a"), "p", StateComplete, ""), b: ChecksumValue("a"), wantKind: Held, wantReason: "waiting for processing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{
				Local: map[Key]Value{}, Remote: map[Key]Value{}, Base: map[Key]Value{},
				Version: tt.version, Resources: existing("de-DE"),
				Options: Options{EditInReview: tt.editInReview},
			}
			put(in.Local, tt.key, tt.l)
			put(in.Remote, tt.key, tt.r)
			put(in.Base, tt.key, tt.b)
			op := mustOp(t, in, tt.key)
			if op.Kind != tt.wantKind || !strings.Contains(op.Reason, tt.wantReason) {
				t.Errorf("op = %s %q, want %s containing %q", op.Kind, op.Reason, tt.wantKind, tt.wantReason)
			}
			if op.Kind == Held && (op.NewBase != nil || op.Set != nil || op.Calls != (Calls{})) {
				t.Errorf("held op has base %v, set %v, calls %+v; want none", op.NewBase, op.Set, op.Calls)
			}
		})
	}
}

// TestNewLocaleNeedsName checks that a new app-info localization is held without a name file,
// because Apple requires name on create, and created (name and subtitle in one POST) with one.
func TestNewLocaleNeedsName(t *testing.T) {
	in := Input{
		Local:   map[Key]Value{"fr-FR/subtitle": TextValue("Sous-titre"), "fr-FR/description": TextValue("Texte")},
		Version: editable,
	}
	p := Compute(in)
	sub, _ := p.Op("fr-FR/subtitle")
	if sub.Kind != Held || sub.Reason != "held: Apple requires name/fr-FR.txt for a new locale" {
		t.Errorf("subtitle without name = %s %q, want held asking for name/fr-FR.txt", sub.Kind, sub.Reason)
	}
	if d, _ := p.Op("fr-FR/description"); d.Kind != Create || d.Calls != (Calls{Create: 1}) {
		t.Errorf("description = %s %+v, want create costing 1 create", d.Kind, d.Calls)
	}

	in.Local["fr-FR/name"] = TextValue("Exemple")
	p = Compute(in)
	for _, k := range []Key{"fr-FR/name", "fr-FR/subtitle"} {
		if op, _ := p.Op(k); op.Kind != Create {
			t.Errorf("%s = %s %q, want create", k, op.Kind, op.Reason)
		}
	}
	if got, want := p.Calls(), (Calls{Create: 2}); got != want {
		t.Errorf("calls = %+v, want %+v (one create per localization resource)", got, want)
	}
}
