package ascapitest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAppsAndVersionsQueries(t *testing.T) {
	e := start(t, true)
	appID, _ := e.srv.AppID("com.example.demo")
	tests := []struct {
		name  string
		path  string
		want  []string // attribute values of field
		field string
	}{
		{"bundleId filter is not exact", "/v1/apps?filter[bundleId]=com.example.demo", []string{"com.example.demo", "com.example.demo.pro"}, "bundleId"},
		{"bundleId filter narrow", "/v1/apps?filter[bundleId]=com.example.demo.pro", []string{"com.example.demo.pro"}, "bundleId"},
		{"editable versions", "/v1/apps/" + appID + "/appStoreVersions?filter[platform]=IOS&filter[appVersionState]=PREPARE_FOR_SUBMISSION,WAITING_FOR_REVIEW", []string{"1.1"}, "versionString"},
		{"all versions newest first", "/v1/apps/" + appID + "/appStoreVersions", []string{"1.1", "1.0"}, "versionString"},
		{"versionString filter", "/v1/apps/" + appID + "/appStoreVersions?filter[versionString]=1.0", []string{"1.0"}, "versionString"},
		{"platform filter", "/v1/apps/" + appID + "/appStoreVersions?filter[platform]=MAC_OS", nil, "versionString"},
		{"locale filter", "/v1/appStoreVersions/" + e.srv.Versions("com.example.demo")[1].ID + "/appStoreVersionLocalizations?filter[locale]=ja,de-DE", []string{"de-DE", "ja"}, "locale"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, res := range e.must(200, "GET", tc.path, nil).list() {
				got = append(got, attr(res, tc.field).(string))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	t.Run("sparse fieldset", func(t *testing.T) {
		res := e.must(200, "GET", "/v1/apps?filter[bundleId]=com.example.demo&fields[apps]=bundleId", nil).list()[0]
		if diff := cmp.Diff(map[string]any{"bundleId": "com.example.demo"}, res["attributes"]); diff != "" {
			t.Errorf("attributes (-want +got):\n%s", diff)
		}
		if _, ok := res["relationships"]; ok {
			t.Errorf("relationships rendered despite fields[apps]")
		}
	})
	t.Run("pagination follows next until absent", func(t *testing.T) {
		path := "/v1/apps/" + appID + "/appStoreVersions?limit=1"
		var got []string
		for i := 0; path != "" && i < 5; i++ {
			r := e.must(200, "GET", path, nil)
			for _, res := range r.list() {
				got = append(got, attr(res, "versionString").(string))
			}
			path, _ = r.doc["links"].(map[string]any)["next"].(string)
			if total := r.doc["meta"].(map[string]any)["paging"].(map[string]any)["total"]; total != float64(2) {
				t.Errorf("paging.total = %v", total)
			}
		}
		if diff := cmp.Diff([]string{"1.1", "1.0"}, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

func TestBadParameters(t *testing.T) {
	e := start(t, false)
	tests := []struct{ name, path, param string }{
		{"unknown parameter", "/v1/apps?filter[bundle]=x", "filter[bundle]"},
		{"limit over 200", "/v1/apps?limit=201", "limit"},
		{"bad enum", "/v1/apps?fields[apps]=colour", "fields[apps]"},
		{"bad cursor", "/v1/apps?cursor=zzz", "cursor"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("GET", tc.path, nil)
			src, _ := r.doc["errors"].([]any)[0].(map[string]any)["source"].(map[string]any)
			if r.status != 400 || r.errCode() != "PARAMETER_ERROR.INVALID" || src["parameter"] != tc.param {
				t.Fatalf("= %d %s %v", r.status, r.errCode(), src)
			}
		})
	}
	if r := e.do("GET", "/v1/nothing", nil); r.status != 404 {
		t.Errorf("unknown path = %d", r.status)
	}
	if r := e.do("PUT", "/v1/apps", nil); r.status != 405 {
		t.Errorf("wrong method = %d", r.status)
	}
}

func TestCreateVersion(t *testing.T) {
	e := start(t, true)
	appID, _ := e.srv.AppID("com.example.demo")
	body := func(vs string) any {
		return resource("appStoreVersions", "", map[string]any{"platform": "IOS", "versionString": vs},
			map[string][2]string{"app": {"apps", appID}})
	}
	r := e.do("POST", "/v1/appStoreVersions", body("2.0"))
	if r.status != 409 || r.errCode() != "ENTITY_ERROR.RELATIONSHIP.INVALID" || r.errDetail() != "You cannot create a new version of the App in the current state." {
		t.Fatalf("while 1.1 is open = %d %s %q", r.status, r.errCode(), r.errDetail())
	}
	// Rename the open version instead, as `versions set` does.
	vID := e.srv.Versions("com.example.demo")[1].ID
	e.must(200, "PATCH", "/v1/appStoreVersions/"+vID, resource("appStoreVersions", vID, map[string]any{"versionString": "1.5"}, nil))
	if r := e.do("PATCH", "/v1/appStoreVersions/"+vID, resource("appStoreVersions", vID, map[string]any{"versionString": "1.0"}, nil)); r.status != 409 {
		t.Errorf("renaming to a used version string = %d", r.status)
	}
	// Release 1.5: 1.0 is replaced, a new version may be created.
	_ = e.srv.SetVersionState("com.example.demo", "1.0", "REPLACED_WITH_NEW_VERSION")
	_ = e.srv.SetVersionState("com.example.demo", "1.5", "READY_FOR_DISTRIBUTION")
	before, _ := e.srv.VersionLocalization("com.example.demo", "1.5", "de-DE")
	beforeSet, _ := e.srv.ScreenshotSet("com.example.demo", "1.5", "de-DE", "APP_IPHONE_67")
	created := e.must(201, "POST", "/v1/appStoreVersions", body("2.0"))
	if got := attr(created.data(), "appVersionState"); got != "PREPARE_FOR_SUBMISSION" {
		t.Errorf("new version state = %v", got)
	}
	after, _ := e.srv.VersionLocalization("com.example.demo", "2.0", "de-DE")
	delete(before, "whatsNew")
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("copied texts (-want +got):\n%s", diff)
	}
	afterSet, _ := e.srv.ScreenshotSet("com.example.demo", "2.0", "de-DE", "APP_IPHONE_67")
	if diff := cmp.Diff(beforeSet.Checksums(), afterSet.Checksums()); diff != "" || len(afterSet.Assets) != 3 {
		t.Errorf("copied screenshots (-want +got):\n%s", diff)
	}
	if info, ok := e.srv.InfoLocalization("com.example.demo", "2.0", "ja"); !ok || info["name"] != "Planner Demo" {
		t.Errorf("new appInfo localization = %v", info)
	}
	infos := e.must(200, "GET", "/v1/apps/"+appID+"/appInfos", nil).list()
	var states []string
	for _, in := range infos {
		states = append(states, attr(in, "state").(string))
	}
	if strings.Join(states, ",") != "READY_FOR_DISTRIBUTION,PREPARE_FOR_SUBMISSION" {
		t.Errorf("appInfo states = %v", states)
	}
}
