package plan

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseKey(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Key
		wantErr bool
	}{
		{name: "text", in: "de-DE/keyword", want: "de-DE/keyword"},
		{name: "screenshot", in: "ja/screenshot/APP_IPHONE_67", want: "ja/screenshot/APP_IPHONE_67"},
		{name: "alias", in: "ja/screenshot/APP_IPHONE_69", want: "ja/screenshot/APP_IPHONE_67"},
		{name: "preview not aliased", in: "ja/preview/IPHONE_67", want: "ja/preview/IPHONE_67"},
		{name: "attr instead of folder", in: "de-DE/keywords", wantErr: true},
		{name: "unknown kind", in: "de-DE/screenshots/APP_IPHONE_67", wantErr: true},
		{name: "empty part", in: "de-DE//x", wantErr: true},
		{name: "empty", in: "", wantErr: true},
		{name: "too deep", in: "a/b/c/d", wantErr: true},
		{name: "padded", in: "de-DE/ keyword", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseKey(tt.in)
			var kerr *KeyError
			if tt.wantErr != errors.As(err, &kerr) {
				t.Fatalf("ParseKey(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestKeyParts(t *testing.T) {
	type parts struct {
		Locale, Field string
		Kind          MediaKind
		Type          string
		Resource      ResourceKey
	}
	tests := []struct {
		key  Key
		want parts
	}{
		{TextKey("de-DE", "keyword"), parts{Locale: "de-DE", Field: "keywords", Resource: "de-DE/appStoreVersionLocalizations"}},
		{TextKey("fr-FR", "name"), parts{Locale: "fr-FR", Field: "name", Resource: "fr-FR/appInfoLocalizations"}},
		{MediaKey("ja", Screenshot, "APP_IPHONE_69"), parts{Locale: "ja", Kind: Screenshot, Type: "APP_IPHONE_67", Resource: "ja/screenshot/APP_IPHONE_67"}},
		{MediaKey("ja", Preview, "IPHONE_67"), parts{Locale: "ja", Kind: Preview, Type: "IPHONE_67", Resource: "ja/preview/IPHONE_67"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.key), func(t *testing.T) {
			var got parts
			got.Locale = tt.key.Locale()
			if f, ok := tt.key.Field(); ok {
				got.Field = f.Attr
			}
			got.Kind, got.Type, _ = tt.key.Media()
			got.Resource = tt.key.Resource()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parts of %s (-want +got):\n%s", tt.key, diff)
			}
		})
	}
}
