package state

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBases(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir(), newClock())
	if _, ok, err := s.Base(ctx, "com.a", "v1", "en-US/name"); ok || err != nil {
		t.Fatalf("Base of an empty store = %v, %v", ok, err)
	}
	if err := s.SetBases(ctx, "com.a", "v1", map[string]string{
		"en-US/name":                     "Example",
		"en-US/keyword":                  "a,b",
		"en-US/screenshot/APP_IPHONE_67": `["md5a","md5b"]`,
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetBase(ctx, "com.a", "v1", "en-US/name", "Renamed"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetBase(ctx, "com.a", "v0", "en-US/name", "Old version"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetBase(ctx, "com.b", "v9", "en-US/name", "Other app"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteBase(ctx, "com.a", "v1", "en-US/keyword"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Bases(ctx, "com.a", "v1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"en-US/name": "Renamed", "en-US/screenshot/APP_IPHONE_67": `["md5a","md5b"]`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Bases (-want +got):\n%s", diff)
	}
	n, err := s.DeleteBasesExcept(ctx, "com.a", "v1")
	if err != nil || n != 1 {
		t.Fatalf("DeleteBasesExcept = %d, %v; want 1", n, err)
	}
	if _, ok, _ := s.Base(ctx, "com.a", "v0", "en-US/name"); ok {
		t.Error("base of the old version survived re-baselining")
	}
	if v, ok, _ := s.Base(ctx, "com.b", "v9", "en-US/name"); !ok || v != "Other app" {
		t.Error("re-baselining one app touched another")
	}
}

func TestLocaleBases(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir(), newClock())
	all := map[string]string{
		"de/name":                          "Name de",
		"de-DE/name":                       "Name",
		"de-DE/keyword":                    "a,b",
		"de-DE/screenshot/APP_WATCH_ULTRA": `["md5a"]`,
		"de-DE0/name":                      "not a locale of the query",
		"en-US/name":                       "Example",
		"ja/name":                          "Japanese",
	}
	if err := s.SetBases(ctx, "com.a", "v1", all); err != nil {
		t.Fatal(err)
	}
	if err := s.SetBase(ctx, "com.a", "v0", "de-DE/name", "Old version"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetBase(ctx, "com.b", "v1", "de-DE/name", "Other app"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		locales []string
		want    map[string]string
	}{
		{nil, map[string]string{}},
		{[]string{"de-DE"}, map[string]string{"de-DE/name": "Name", "de-DE/keyword": "a,b", "de-DE/screenshot/APP_WATCH_ULTRA": `["md5a"]`}},
		{[]string{"de", "ja", "fr-FR"}, map[string]string{"de/name": "Name de", "ja/name": "Japanese"}},
	} {
		got, err := s.LocaleBases(ctx, "com.a", "v1", tc.locales)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("LocaleBases(%q) (-want +got):\n%s", tc.locales, diff)
		}
	}
}
