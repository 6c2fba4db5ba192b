package plan

import (
	"fmt"
	"testing"
)

const (
	desc   = Key("de-DE/description")
	shot67 = Key("de-DE/screenshot/APP_IPHONE_67")
	prev67 = Key("de-DE/preview/IPHONE_67")
)

var editable = VersionInfo{ID: "v1", String: "1.1", State: "PREPARE_FOR_SUBMISSION"}

// local returns a local media value of files 01.png, 02.png, … with the given checksums.
func local(checksums ...string) Value {
	v := Value{}
	for i, c := range checksums {
		v.Assets = append(v.Assets, Asset{Name: fmt.Sprintf("%02d.png", i+1), Checksum: c, Size: int64(100 + i)})
	}
	return v
}

// remote returns a remote set of COMPLETE assets with IDs id-1, id-2, … in order.
func remote(checksums ...string) Value {
	v := Value{}
	for i, c := range checksums {
		v.Assets = append(v.Assets, Asset{Name: fmt.Sprintf("r%d.png", i+1), Checksum: c, RemoteID: fmt.Sprintf("id-%d", i+1), State: StateComplete})
	}
	return v
}

// withAsset returns v with a remote asset appended.
func withAsset(v Value, id, state, checksum string) Value {
	v.Assets = append(append([]Asset(nil), v.Assets...), Asset{Name: id + ".png", RemoteID: id, State: state, Checksum: checksum})
	return v
}

// existing returns resources where the localizations of the locales exist.
func existing(locales ...string) RemoteResources {
	r := RemoteResources{VersionLocalizations: map[string]string{}, InfoLocalizations: map[string]string{}}
	for _, l := range locales {
		r.VersionLocalizations[l] = "vl-" + l
		r.InfoLocalizations[l] = "il-" + l
	}
	return r
}

// base returns a pointer to v, for NewBase expectations.
func base(v Value) *Value { return &v }

// mustOp computes in and returns the op of k, failing when there is none.
func mustOp(tb testing.TB, in Input, k Key) Op {
	tb.Helper()
	op, ok := Compute(in).Op(k)
	if !ok {
		tb.Fatalf("Compute: no op for %s", k)
	}
	return op
}

// stepNames renders steps as "upload:a", "delete:id-1" for compact expectations.
func stepNames(tb testing.TB, s *SetPlan) []string {
	tb.Helper()
	if s == nil {
		tb.Fatal("op has no set plan")
	}
	var out []string
	for _, st := range s.Steps {
		if st.Action == Upload {
			out = append(out, "upload:"+st.Asset.Checksum)
		} else {
			out = append(out, "delete:"+st.Asset.RemoteID)
		}
	}
	return out
}

// put sets m[k] = v unless v is absent.
func put(m map[Key]Value, k Key, v Value) {
	if !v.Absent() {
		m[k] = v
	}
}
