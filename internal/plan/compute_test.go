package plan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mixedInput() Input {
	return Input{
		Local: map[Key]Value{
			"de-DE/description": TextValue("neu"), "de-DE/keyword": TextValue("a,b"), "de-DE/name": TextValue("Neu"),
			"de-DE/supportUrl": TextValue("https://x"),
			shot67:             local("a", "n"), prev67: local("v"),
			"ja/description": TextValue("new locale"), "ja/screenshot/APP_IPHONE_67": local("j"),
		},
		Remote: map[Key]Value{
			"de-DE/description": TextValue("alt"), "de-DE/keyword": TextValue("a"), "de-DE/name": TextValue("Alt"),
			"de-DE/supportUrl": TextValue("https://x"),
			shot67:             remote("a", "o"), prev67: remote("v"),
		},
		Base: map[Key]Value{
			"de-DE/description": TextValue("alt"), "de-DE/keyword": TextValue("a"), "de-DE/name": TextValue("Alt"),
			shot67: ChecksumValue("a", "o"),
		},
		Version:   editable,
		Resources: existing("de-DE"),
	}
}

func TestComputeOnly(t *testing.T) {
	tests := []struct {
		only Only
		want []Key
	}{
		{only: "", want: []Key{"de-DE/description", "de-DE/keyword", "de-DE/name", "de-DE/preview/IPHONE_67", "de-DE/screenshot/APP_IPHONE_67", "de-DE/supportUrl", "ja/description", "ja/screenshot/APP_IPHONE_67"}},
		{only: OnlyAll, want: []Key{"de-DE/description", "de-DE/keyword", "de-DE/name", "de-DE/preview/IPHONE_67", "de-DE/screenshot/APP_IPHONE_67", "de-DE/supportUrl", "ja/description", "ja/screenshot/APP_IPHONE_67"}},
		{only: OnlyText, want: []Key{"de-DE/description", "de-DE/keyword", "de-DE/name", "de-DE/supportUrl", "ja/description"}},
		{only: OnlyMedia, want: []Key{"de-DE/preview/IPHONE_67", "de-DE/screenshot/APP_IPHONE_67", "ja/screenshot/APP_IPHONE_67"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.only), func(t *testing.T) {
			in := mixedInput()
			in.Options.Only = tt.only
			var got []Key
			for _, op := range Compute(in).Ops {
				got = append(got, op.Key)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("keys, sorted (-want +got):\n%s", diff)
			}
		})
	}
}

// TestResources checks that an executor job carries every changed field of a localization,
// that localizations come before the sets of their locale, and that nothing idle is grouped.
func TestResources(t *testing.T) {
	p := Compute(mixedInput())
	type group struct {
		Resource ResourceKey
		Keys     []Key
		Calls    Calls
	}
	var got []group
	for _, g := range p.Resources() {
		gg := group{Resource: g.Resource, Calls: g.Calls}
		for _, op := range g.Ops {
			gg.Keys = append(gg.Keys, op.Key)
		}
		got = append(got, gg)
	}
	want := []group{
		{"de-DE/appInfoLocalizations", []Key{"de-DE/name"}, Calls{Patch: 1}},
		{"de-DE/appStoreVersionLocalizations", []Key{"de-DE/description", "de-DE/keyword"}, Calls{Patch: 1}},
		{"de-DE/screenshot/APP_IPHONE_67", []Key{shot67}, Calls{Delete: 1, Reserve: 1, Commit: 1, Poll: 1}},
		{"ja/appStoreVersionLocalizations", []Key{"ja/description"}, Calls{Create: 1}},
		{"ja/screenshot/APP_IPHONE_67", []Key{"ja/screenshot/APP_IPHONE_67"}, Calls{Create: 1, Reserve: 1, Commit: 1, Poll: 1}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Resources (-want +got):\n%s", diff)
	}
	var sum Calls
	for _, g := range p.Resources() {
		sum = sum.Add(g.Calls)
	}
	if sum != p.Calls() {
		t.Errorf("groups cost %+v, plan %+v", sum, p.Calls())
	}
}

// TestComputeBadInput checks that malformed input gives a held op that says what is wrong,
// never a panic.
func TestComputeBadInput(t *testing.T) {
	tests := []struct {
		name   string
		key    Key
		v      Value
		reason string
	}{
		{name: "unknown field", key: "de-DE/descriptions", v: TextValue("x"), reason: `unknown text field "descriptions"`},
		{name: "unknown media kind", key: "de-DE/video/IPHONE_67", v: local("a"), reason: `unknown media kind "video"`},
		{name: "garbage key", key: "nonsense", v: TextValue("x"), reason: "want LOCALE/FIELD"},
		{name: "11 screenshots", key: shot67, v: local("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"), reason: "holds 11 screenshots; a set takes at most 10"},
		{name: "4 previews", key: prev67, v: local("1", "2", "3", "4"), reason: "holds 4 previews; a set takes at most 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Local: map[Key]Value{tt.key: tt.v}, Version: editable}
			op := mustOp(t, in, tt.key)
			if op.Kind != Held || !strings.Contains(op.Reason, tt.reason) {
				t.Errorf("op = %s %q, want held containing %q", op.Kind, op.Reason, tt.reason)
			}
			_ = Compute(in).Resources() // must not panic either
		})
	}
}

// TestComputeLeavesInputAlone checks that Compute is deterministic and does not modify its
// input (the daemon reuses maps between runs).
func TestComputeLeavesInputAlone(t *testing.T) {
	in := mixedInput()
	first := Compute(in)
	if diff := cmp.Diff(mixedInput(), in); diff != "" {
		t.Fatalf("input changed (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(first, Compute(in)); diff != "" {
		t.Errorf("second Compute differs (-first +second):\n%s", diff)
	}
}

// TestAliasDisplayType checks that a local APP_IPHONE_69 folder meets the remote set that App
// Store Connect reads back as APP_IPHONE_67.
func TestAliasDisplayType(t *testing.T) {
	in := Input{Local: map[Key]Value{"de-DE/screenshot/APP_IPHONE_69": local("a", "b")}, Remote: map[Key]Value{shot67: remote("a")},
		Base: map[Key]Value{shot67: ChecksumValue("a")}, Version: editable}
	p := Compute(in)
	if len(p.Ops) != 1 || p.Ops[0].Key != shot67 || p.Ops[0].Kind != Update || p.Ops[0].Set.CreateSet {
		t.Errorf("ops = %+v, want one update of the existing %s set", p.Ops, shot67)
	}
	if _, ok := in.Local[shot67]; ok {
		t.Error("Compute changed the caller's Local map")
	}
}

func TestPlanConflicts(t *testing.T) {
	in := mixedInput()
	in.Base["de-DE/keyword"] = TextValue("something else") // L, R and B all differ
	in.Remote["de-DE/supportUrl"] = TextValue("https://y") // no base, both differ
	var got []Key
	for _, op := range Compute(in).Conflicts() {
		got = append(got, op.Key)
	}
	if diff := cmp.Diff([]Key{"de-DE/keyword", "de-DE/supportUrl"}, got); diff != "" {
		t.Errorf("Conflicts (-want +got):\n%s", diff)
	}
}
