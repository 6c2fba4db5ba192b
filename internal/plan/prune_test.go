package plan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func pruneInput() Input {
	in := Input{
		Local: map[Key]Value{
			"en-US/description":              TextValue("en"),
			"de-DE/description":              TextValue("de"),
			"de-DE/screenshot/APP_IPHONE_67": local("a"),
		},
		Remote: map[Key]Value{
			"en-US/description":                      TextValue("en"),
			"en-US/keyword":                          TextValue("remote only field, primary"),
			"en-US/screenshot/APP_IPAD_PRO_3GEN_129": remote("p"),
			"de-DE/description":                      TextValue("de"),
			"de-DE/keyword":                          TextValue("remote only field"),
			"de-DE/screenshot/APP_IPHONE_67":         remote("a"),
			"de-DE/screenshot/APP_IPAD_PRO_3GEN_129": remote("x"),
			"fr-FR/description":                      TextValue("fr"),
			"fr-FR/name":                             TextValue("Nom"),
			"fr-FR/screenshot/APP_IPHONE_67":         remote("f"),
		},
		Version:   editable,
		Resources: existing("en-US", "de-DE", "fr-FR"),
		Options:   Options{PrimaryLocale: "en-US"},
	}
	in.Resources.Sets = map[Key]string{"de-DE/screenshot/APP_IPHONE_65": "empty-set"}
	return in
}

type pruned struct {
	Key      Key
	Kind     Kind
	Resource ResourceKey
}

// TestPrune checks that remote-only keys are left alone and listed as unmanaged without
// Prune, and that Prune deletes whole localizations and sets, never a field alone and never
// anything of the primary locale.
func TestPrune(t *testing.T) {
	tests := []struct {
		name          string
		prune         bool
		only          Only
		version       VersionInfo
		wantDeletes   []pruned
		wantUnmanaged []Key
		wantCalls     Calls
	}{
		{
			name: "without prune nothing is deleted", version: editable,
			wantUnmanaged: []Key{
				"de-DE/keyword", "de-DE/screenshot/APP_IPAD_PRO_3GEN_129", "de-DE/screenshot/APP_IPHONE_65",
				"en-US/keyword", "en-US/screenshot/APP_IPAD_PRO_3GEN_129",
				"fr-FR/description", "fr-FR/name", "fr-FR/screenshot/APP_IPHONE_67",
			},
		},
		{
			name: "prune: whole locale and sets, not fields, not the primary locale", prune: true, version: editable,
			wantDeletes: []pruned{
				{"de-DE/screenshot/APP_IPAD_PRO_3GEN_129", Delete, "de-DE/screenshot/APP_IPAD_PRO_3GEN_129"},
				{"de-DE/screenshot/APP_IPHONE_65", Delete, "de-DE/screenshot/APP_IPHONE_65"},
				{"fr-FR/description", Delete, "fr-FR/appStoreVersionLocalizations"},
				{"fr-FR/name", Delete, "fr-FR/appInfoLocalizations"},
				{"fr-FR/screenshot/APP_IPHONE_67", Delete, "fr-FR/appStoreVersionLocalizations"},
			},
			wantUnmanaged: []Key{"de-DE/keyword", "en-US/keyword", "en-US/screenshot/APP_IPAD_PRO_3GEN_129"},
			wantCalls:     Calls{Delete: 4},
		},
		{
			name: "prune media only: sets of managed locales", prune: true, only: OnlyMedia, version: editable,
			wantDeletes: []pruned{
				{"de-DE/screenshot/APP_IPAD_PRO_3GEN_129", Delete, "de-DE/screenshot/APP_IPAD_PRO_3GEN_129"},
				{"de-DE/screenshot/APP_IPHONE_65", Delete, "de-DE/screenshot/APP_IPHONE_65"},
			},
			wantUnmanaged: []Key{"en-US/screenshot/APP_IPAD_PRO_3GEN_129", "fr-FR/screenshot/APP_IPHONE_67"},
			wantCalls:     Calls{Delete: 2},
		},
		{
			name: "prune text only: a localization delete would take media, so nothing", prune: true, only: OnlyText, version: editable,
			wantUnmanaged: []Key{"de-DE/keyword", "en-US/keyword", "fr-FR/description", "fr-FR/name"},
		},
		{
			name: "prune on a version in review is held", prune: true, version: VersionInfo{String: "1.2", State: "WAITING_FOR_REVIEW"},
			wantDeletes: []pruned{
				{"de-DE/screenshot/APP_IPAD_PRO_3GEN_129", Held, "de-DE/screenshot/APP_IPAD_PRO_3GEN_129"},
				{"de-DE/screenshot/APP_IPHONE_65", Held, "de-DE/screenshot/APP_IPHONE_65"},
				{"fr-FR/description", Held, "fr-FR/appStoreVersionLocalizations"},
				{"fr-FR/name", Held, "fr-FR/appInfoLocalizations"},
				{"fr-FR/screenshot/APP_IPHONE_67", Held, "fr-FR/appStoreVersionLocalizations"},
			},
			wantUnmanaged: []Key{"de-DE/keyword", "en-US/keyword", "en-US/screenshot/APP_IPAD_PRO_3GEN_129"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := pruneInput()
			in.Options.Prune, in.Options.Only, in.Version = tt.prune, tt.only, tt.version
			p := Compute(in)
			var got []pruned
			for _, op := range p.Ops {
				if _, managed := in.Local[op.Key]; managed {
					continue
				}
				got = append(got, pruned{op.Key, op.Kind, op.Resource})
				if op.Kind == Delete && (op.NewBase == nil || !op.NewBase.Absent()) {
					t.Errorf("%s: NewBase = %v, want an absent value (the base row goes)", op.Key, op.NewBase)
				}
				if op.Kind == Held && !strings.Contains(op.Reason, "deleted only on an editable version") {
					t.Errorf("%s: reason %q does not say why", op.Key, op.Reason)
				}
			}
			if diff := cmp.Diff(tt.wantDeletes, got); diff != "" {
				t.Errorf("prune ops (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantUnmanaged, p.Unmanaged); diff != "" {
				t.Errorf("Unmanaged (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantCalls, p.Calls()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPrunePrimaryLocaleNeverDeleted removes everything of the primary locale locally.
func TestPrunePrimaryLocaleNeverDeleted(t *testing.T) {
	in := pruneInput()
	delete(in.Local, "en-US/description")
	in.Options.Prune = true
	for _, op := range Compute(in).Ops {
		if op.Key.Locale() == "en-US" {
			t.Errorf("op %s %s on the primary locale, want none", op.Kind, op.Key)
		}
	}
}
