package collection

import "testing"

func TestSuggestLocale(t *testing.T) {
	n, err := newNames(Options{ExtraLocales: []string{"xx-YY"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"en-UK": "en-GB", "en-us": "en-US", "EN-US": "en-US", "zh-hans": "zh-Hans", "zh-CN": "zh-Hans",
		"zh-TW": "zh-Hant", "ja-JP": "ja", "da-DK": "da", "cmn-Hans": "zh-Hans", "de": "de-DE", "de-AT": "de-DE",
		"nb": "no", "bn": "bn-BD", "xx-yy": "xx-YY", "es-ES ": "es-ES", "qq-QQ": "", "klingon": "",
	}
	for in, want := range tests {
		if got := n.suggestLocale(in); got != want {
			t.Errorf("suggestLocale(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckType(t *testing.T) {
	n, err := newNames(Options{Platform: TVOS, ExtraDisplayTypes: []string{"APP_NEW_DEVICE"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		kind            MediaKind
		name, canonical string
		code            string
	}{
		{Screenshots, "APP_APPLE_TV", "APP_APPLE_TV", ""},
		{Screenshots, "APP_IPHONE_69", "APP_IPHONE_67", CodeDisplayTypePlatform},
		{Screenshots, "APP_NEW_DEVICE", "APP_NEW_DEVICE", ""},
		{Screenshots, "APPLE_TV", "", CodeDisplayTypeUnknown},
		{Previews, "APPLE_TV", "APPLE_TV", ""},
		{Previews, "APP_APPLE_TV", "", CodeDisplayTypeUnknown},
		{Previews, "IPHONE_69", "", CodeDisplayTypeUnknown}, // no alias for previews
	}
	for _, tt := range tests {
		got := n.checkType(tt.kind, tt.name)
		if got.Canonical != tt.canonical || got.Code != tt.code {
			t.Errorf("checkType(%s, %s) = %q, %q; want %q, %q", tt.kind, tt.name, got.Canonical, got.Code, tt.canonical, tt.code)
		}
	}
}
