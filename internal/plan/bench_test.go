package plan

import (
	"fmt"
	"testing"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// benchInput is an app with 40 locales, each with 9 text fields and 3 screenshot sets of 10,
// all in sync except a few changes: 3 texts changed locally, 1 changed remotely, 1 set with
// one screenshot replaced, 1 set reordered.
func benchInput() Input {
	in := Input{
		Local: map[Key]Value{}, Remote: map[Key]Value{}, Base: map[Key]Value{},
		Version: editable, Resources: RemoteResources{VersionLocalizations: map[string]string{}, InfoLocalizations: map[string]string{}, Sets: map[Key]string{}},
		Options: Options{PrimaryLocale: "en-US"},
	}
	types := []string{"APP_IPHONE_67", "APP_IPHONE_65", "APP_IPAD_PRO_3GEN_129"}
	for _, locale := range collection.Locales[:40] {
		in.Resources.VersionLocalizations[locale] = "vl-" + locale
		in.Resources.InfoLocalizations[locale] = "il-" + locale
		for _, f := range collection.Fields {
			k := TextKey(locale, f.Dir)
			v := TextValue(locale + " " + f.Dir + " text of a realistic length for a store page")
			in.Local[k], in.Remote[k], in.Base[k] = v, v, v
		}
		for _, typ := range types {
			k := MediaKey(locale, Screenshot, typ)
			var sums []string
			for i := range 10 {
				sums = append(sums, fmt.Sprintf("%x", []byte(fmt.Sprint(locale, typ, i))))
			}
			in.Local[k], in.Remote[k], in.Base[k] = local(sums...), remote(sums...), ChecksumValue(sums...)
			in.Resources.Sets[k] = "set-" + string(k)
		}
	}
	for _, k := range []Key{"de-DE/description", "fr-FR/keyword", "ja/name"} {
		in.Local[k] = TextValue("changed locally")
	}
	in.Remote["it/subtitle"] = TextValue("changed remotely")
	l := in.Local["ko/screenshot/APP_IPHONE_67"]
	l.Assets = append([]Asset(nil), l.Assets...)
	l.Assets[4] = Asset{Name: "05.png", Checksum: "replaced", Size: 1}
	in.Local["ko/screenshot/APP_IPHONE_67"] = l
	r := in.Local["nl-NL/screenshot/APP_IPHONE_65"]
	r.Assets = append([]Asset{r.Assets[9]}, r.Assets[:9]...)
	in.Local["nl-NL/screenshot/APP_IPHONE_65"] = r
	return in
}

func TestBenchInputPlansTheChanges(t *testing.T) {
	p := Compute(benchInput())
	counts := map[Kind]int{}
	for _, op := range p.Ops {
		counts[op.Kind]++
	}
	want := map[Kind]int{InSync: 40*12 - 6, Update: 4, Pull: 1, Reorder: 1}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("kinds = %v, want %v", counts, want)
	}
	if got, want := p.Calls(), (Calls{Patch: 3, Delete: 1, Reserve: 1, Commit: 1, Poll: 1, Reorder: 2}); got != want {
		t.Errorf("calls = %+v, want %+v", got, want)
	}
}

func BenchmarkCompute(b *testing.B) {
	in := benchInput()
	b.ReportAllocs()
	for b.Loop() {
		Compute(in)
	}
}
