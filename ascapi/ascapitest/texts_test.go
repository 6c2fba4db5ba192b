package ascapitest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestVersionLocalizationRules(t *testing.T) {
	tests := []struct {
		name    string
		version string // 1.0 live, 1.1 editable
		state   string // set on the version first, when not empty
		attrs   map[string]any
		status  int
		code    string
		detail  string // substring
	}{
		{name: "editable description", version: "1.1", attrs: map[string]any{"description": "New text"}, status: 200},
		{name: "keywords of 100 characters (200 bytes)", version: "1.1", attrs: map[string]any{"keywords": strings.Repeat("ü", 100)}, status: 200},
		{name: "keywords of 101 characters", version: "1.1", attrs: map[string]any{"keywords": strings.Repeat("k", 101)},
			status: 409, code: "ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG", detail: "(100)"},
		{name: "description too long refuses the whole PATCH", version: "1.1",
			attrs:  map[string]any{"description": strings.Repeat("d", 4001), "keywords": "changed"},
			status: 409, code: "ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG", detail: "(4000)"},
		{name: "promotional text 171", version: "1.1", attrs: map[string]any{"promotionalText": strings.Repeat("p", 171)},
			status: 409, code: "ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG", detail: "(170)"},
		{name: "live promotional text", version: "1.0", attrs: map[string]any{"promotionalText": "Now on sale"}, status: 200},
		{name: "live description", version: "1.0", attrs: map[string]any{"description": "x"},
			status: 409, code: "STATE_ERROR", detail: "Attribute 'description' cannot be edited at this time"},
		{name: "live promo and keywords together", version: "1.0", attrs: map[string]any{"promotionalText": "x", "keywords": "a"},
			status: 409, code: "STATE_ERROR", detail: "Attribute 'keywords' cannot be edited"},
		{name: "waiting for review texts", version: "1.1", state: "WAITING_FOR_REVIEW", attrs: map[string]any{"description": "x"}, status: 200},
		{name: "in review keywords", version: "1.1", state: "IN_REVIEW", attrs: map[string]any{"keywords": "x"},
			status: 409, code: "STATE_ERROR", detail: "Attribute 'keywords' cannot be edited"},
		{name: "rejected is editable", version: "1.1", state: "METADATA_REJECTED", attrs: map[string]any{"whatsNew": "x"}, status: 200},
		{name: "bad support URL", version: "1.1", attrs: map[string]any{"supportUrl": "example.com"},
			status: 409, code: "ENTITY_ERROR.ATTRIBUTE.INVALID", detail: "supportUrl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, true)
			if tc.state != "" {
				if err := e.srv.SetVersionState("com.example.demo", tc.version, tc.state); err != nil {
					t.Fatal(err)
				}
			}
			_, _, locID := e.seeded(tc.version, "de-DE")
			before, _ := e.srv.VersionLocalization("com.example.demo", tc.version, "de-DE")
			r := e.do("PATCH", "/v1/appStoreVersionLocalizations/"+locID, resource("appStoreVersionLocalizations", locID, tc.attrs, nil))
			if r.status != tc.status || r.errCode() != tc.code || !strings.Contains(r.errDetail(), tc.detail) {
				t.Fatalf("= %d %s %q, want %d %s %q", r.status, r.errCode(), r.errDetail(), tc.status, tc.code, tc.detail)
			}
			after, _ := e.srv.VersionLocalization("com.example.demo", tc.version, "de-DE")
			if tc.status != 200 {
				if diff := cmp.Diff(before, after); diff != "" {
					t.Errorf("a refused PATCH changed the localization (-before +after):\n%s", diff)
				}
				return
			}
			for k, v := range tc.attrs {
				if after[k] != v {
					t.Errorf("%s = %q, want %q", k, after[k], v)
				}
			}
			if got := attr(r.data(), "locale"); got != "de-DE" {
				t.Errorf("answer locale = %v", got)
			}
		})
	}
}

func TestWhatsNewOnFirstVersion(t *testing.T) {
	e := start(t, true)
	if _, err := e.srv.AddApp(SeedApp{BundleID: "com.example.fresh", Name: "Fresh", PrimaryLocale: "en-US",
		Versions: []SeedVersion{{VersionString: "1.0", State: "PREPARE_FOR_SUBMISSION",
			Localizations: []SeedLocalization{{Locale: "en-US", Texts: map[string]string{"description": "d"}}}}}}); err != nil {
		t.Fatal(err)
	}
	vID := e.srv.Versions("com.example.fresh")[0].ID
	locs := e.must(200, "GET", "/v1/appStoreVersions/"+vID+"/appStoreVersionLocalizations", nil).list()
	lid := id(locs[0])
	if attr(locs[0], "whatsNew") != nil {
		t.Errorf("unset whatsNew = %v, want null", attr(locs[0], "whatsNew"))
	}
	r := e.do("PATCH", "/v1/appStoreVersionLocalizations/"+lid, resource("appStoreVersionLocalizations", lid, map[string]any{"whatsNew": "First!"}, nil))
	if r.status != 409 || r.errCode() != "STATE_ERROR" || !strings.Contains(r.errDetail(), "'whatsNew'") {
		t.Fatalf("= %d %s %s", r.status, r.errCode(), r.errDetail())
	}
	e.must(200, "PATCH", "/v1/appStoreVersionLocalizations/"+lid, resource("appStoreVersionLocalizations", lid, map[string]any{"description": "ok"}, nil))
}

func TestLocalizationCreateDelete(t *testing.T) {
	e := start(t, false)
	appID, vID, enID := e.seeded("1.1", "en-US")
	_, liveID, _ := e.seeded("1.0", "en-US")
	var editInfo, liveInfo string
	for _, in := range e.must(200, "GET", "/v1/apps/"+appID+"/appInfos", nil).list() {
		switch attr(in, "state") {
		case "PREPARE_FOR_SUBMISSION":
			editInfo = id(in)
		case "READY_FOR_DISTRIBUTION":
			liveInfo = id(in)
		}
	}
	if editInfo == "" || liveInfo == "" {
		t.Fatalf("appInfos: want an editable and a live one")
	}
	vloc := func(version, locale string, attrs map[string]any) any {
		a := map[string]any{"locale": locale}
		for k, v := range attrs {
			a[k] = v
		}
		return resource("appStoreVersionLocalizations", "", a, map[string][2]string{"appStoreVersion": {"appStoreVersions", version}})
	}
	iloc := func(info string, attrs map[string]any) any {
		return resource("appInfoLocalizations", "", attrs, map[string][2]string{"appInfo": {"appInfos", info}})
	}
	tests := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"version locale exists", "POST", "/v1/appStoreVersionLocalizations", vloc(vID, "ja", nil), 409, "ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE"},
		{"version locale unknown", "POST", "/v1/appStoreVersionLocalizations", vloc(vID, "en-UK", nil), 409, "ENTITY_ERROR.ATTRIBUTE.INVALID"},
		{"version locale on live version", "POST", "/v1/appStoreVersionLocalizations", vloc(liveID, "it", nil), 409, "STATE_ERROR"},
		{"version locale new", "POST", "/v1/appStoreVersionLocalizations", vloc(vID, "it", map[string]any{"description": "Ciao"}), 201, ""},
		{"unknown attribute", "POST", "/v1/appStoreVersionLocalizations", vloc(vID, "ko", map[string]any{"keyword": "a"}), 409, "ENTITY_ERROR.ATTRIBUTE.UNKNOWN"},
		{"wrong type", "POST", "/v1/appStoreVersionLocalizations", resource("appInfoLocalizations", "", map[string]any{"locale": "ko"}, nil), 422, "ENTITY_UNPROCESSABLE"},
		{"delete primary version locale", "DELETE", "/v1/appStoreVersionLocalizations/" + enID, nil, 409, "STATE_ERROR"},
		{"info without name", "POST", "/v1/appInfoLocalizations", iloc(editInfo, map[string]any{"locale": "it"}), 409, "ENTITY_ERROR.ATTRIBUTE.REQUIRED"},
		{"info name too long", "POST", "/v1/appInfoLocalizations", iloc(editInfo, map[string]any{"locale": "it", "name": strings.Repeat("n", 31)}), 409, "ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG"},
		{"info duplicate", "POST", "/v1/appInfoLocalizations", iloc(editInfo, map[string]any{"locale": "de-DE", "name": "Planer"}), 409, "ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE"},
		{"info on live appInfo", "POST", "/v1/appInfoLocalizations", iloc(liveInfo, map[string]any{"locale": "it", "name": "Pianificatore"}), 409, "ENTITY_ERROR.ATTRIBUTE.INVALID.INVALID_STATE"},
		{"info new", "POST", "/v1/appInfoLocalizations", iloc(editInfo, map[string]any{"locale": "it", "name": "Pianificatore"}), 201, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(tc.method, tc.path, tc.body)
			if r.status != tc.status || r.errCode() != tc.code {
				t.Fatalf("= %d %s (%s), want %d %s", r.status, r.errCode(), r.errDetail(), tc.status, tc.code)
			}
			if tc.status == 201 && !strings.HasSuffix(r.header.Get("Location"), id(r.data())) {
				t.Errorf("Location = %q", r.header.Get("Location"))
			}
		})
	}
	if got, ok := e.srv.VersionLocalization("com.example.demo", "1.1", "it"); !ok || got["description"] != "Ciao" {
		t.Errorf("it localization = %v %v", got, ok)
	}
	if got, ok := e.srv.InfoLocalization("com.example.demo", "1.1", "it"); !ok || got["name"] != "Pianificatore" {
		t.Errorf("it info localization = %v %v", got, ok)
	}
	// The live appInfo's localizations refuse edits.
	liveLocs := e.must(200, "GET", "/v1/appInfos/"+liveInfo+"/appInfoLocalizations?filter[locale]=en-US", nil).list()
	lid := id(liveLocs[0])
	if r := e.do("PATCH", "/v1/appInfoLocalizations/"+lid, resource("appInfoLocalizations", lid, map[string]any{"name": "Renamed"}, nil)); r.errCode() != "ENTITY_ERROR.ATTRIBUTE.INVALID.INVALID_STATE" {
		t.Errorf("PATCH live appInfo localization = %d %s", r.status, r.errCode())
	}
}
