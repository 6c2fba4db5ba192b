package ascapitest

import (
	"net/http"
	"net/url"
	"testing"
)

// TestConformanceEveryEndpoint drives every endpoint the simulator serves with requests
// shaped like a real client's and expects zero violations of Apple's document (the env's
// conformance check reports them at cleanup), plus a request the check must flag.
func TestConformanceEveryEndpoint(t *testing.T) {
	e := start(t, true, func(s *Server) { s.PartSize = 64 << 10 })
	appID, vID, locID := e.seeded("1.1", "en-US")

	e.must(200, "GET", "/v1/apps?filter[bundleId]=com.example.demo&fields[apps]=name,bundleId,sku,primaryLocale&limit=200", nil)
	e.must(200, "GET", "/v1/apps/"+appID, nil)
	e.must(200, "GET", "/v1/apps/"+appID+"/appStoreVersions?filter[platform]=IOS&filter[appVersionState]=PREPARE_FOR_SUBMISSION,DEVELOPER_REJECTED,REJECTED,METADATA_REJECTED,INVALID_BINARY,WAITING_FOR_REVIEW&fields[appStoreVersions]=platform,versionString,appVersionState,appStoreState,createdDate&limit=200", nil)
	e.must(200, "GET", "/v1/appStoreVersions/"+vID, nil)
	e.must(200, "PATCH", "/v1/appStoreVersions/"+vID, resource("appStoreVersions", vID, map[string]any{"versionString": "1.2"}, nil))
	infos := e.must(200, "GET", "/v1/apps/"+appID+"/appInfos?include=appInfoLocalizations&limit[appInfoLocalizations]=50", nil)
	var editInfo string
	for _, in := range infos.list() {
		if attr(in, "state") == "PREPARE_FOR_SUBMISSION" {
			editInfo = id(in)
		}
	}
	e.must(200, "GET", "/v1/appInfos/"+editInfo+"/appInfoLocalizations?fields[appInfoLocalizations]=locale,name,subtitle,privacyPolicyUrl,privacyChoicesUrl,privacyPolicyText&limit=200", nil)
	il := e.must(201, "POST", "/v1/appInfoLocalizations", resource("appInfoLocalizations", "",
		map[string]any{"locale": "fr-FR", "name": "Planificateur", "subtitle": "Tâches"}, map[string][2]string{"appInfo": {"appInfos", editInfo}}))
	ilID := id(il.data())
	e.must(200, "GET", "/v1/appInfoLocalizations/"+ilID, nil)
	e.must(200, "PATCH", "/v1/appInfoLocalizations/"+ilID, resource("appInfoLocalizations", ilID, map[string]any{"subtitle": "Des tâches"}, nil))
	e.must(204, "DELETE", "/v1/appInfoLocalizations/"+ilID, nil)

	e.must(200, "GET", "/v1/appStoreVersions/"+vID+"/appStoreVersionLocalizations?fields[appStoreVersionLocalizations]=locale,description,keywords,whatsNew,promotionalText,marketingUrl,supportUrl&limit=200&include=appScreenshotSets,appPreviewSets&limit[appScreenshotSets]=50", nil)
	vl := e.must(201, "POST", "/v1/appStoreVersionLocalizations", resource("appStoreVersionLocalizations", "",
		map[string]any{"locale": "fr-FR", "description": "Bonjour", "keywords": "a,b"}, map[string][2]string{"appStoreVersion": {"appStoreVersions", vID}}))
	vlID := id(vl.data())
	e.must(200, "GET", "/v1/appStoreVersionLocalizations/"+vlID, nil)
	e.must(200, "PATCH", "/v1/appStoreVersionLocalizations/"+vlID, resource("appStoreVersionLocalizations", vlID,
		map[string]any{"whatsNew": "Nouveau", "supportUrl": "https://example.com/fr"}, nil))

	// Screenshots: a set, an upload in several parts, processing, reorder, downloads, deletes.
	set := e.must(201, "POST", "/v1/appScreenshotSets", resource("appScreenshotSets", "",
		map[string]any{"screenshotDisplayType": "APP_IPHONE_67"}, map[string][2]string{"appStoreVersionLocalization": {"appStoreVersionLocalizations", vlID}}))
	setID := id(set.data())
	png := SamplePNG(1290, 2796, 9)
	a1 := e.upload("appScreenshots", "appScreenshotSet", "appScreenshotSets", setID, "1.png", png)
	a2 := e.upload("appScreenshots", "appScreenshotSet", "appScreenshotSets", setID, "2.png", SamplePNG(1290, 2796, 8))
	e.must(200, "GET", "/v1/appScreenshots/"+a1+"?fields[appScreenshots]=assetDeliveryState,sourceFileChecksum,imageAsset", nil)
	sets := e.must(200, "GET", "/v1/appStoreVersionLocalizations/"+vlID+"/appScreenshotSets?include=appScreenshots&limit[appScreenshots]=50&fields[appScreenshots]=fileName,fileSize,sourceFileChecksum,assetDeliveryState,imageAsset&filter[screenshotDisplayType]=APP_IPHONE_67", nil)
	if n := len(sets.list()); n != 1 {
		t.Fatalf("sets = %d, want 1", n)
	}
	e.must(200, "GET", "/v1/appScreenshotSets/"+setID+"?include=appScreenshots", nil)
	e.must(200, "GET", "/v1/appScreenshotSets/"+setID+"/appScreenshots?limit=200", nil)
	e.must(200, "GET", "/v1/appScreenshotSets/"+setID+"/relationships/appScreenshots", nil)
	e.must(204, "PATCH", "/v1/appScreenshotSets/"+setID+"/relationships/appScreenshots", map[string]any{"data": []any{
		map[string]any{"type": "appScreenshots", "id": a2}, map[string]any{"type": "appScreenshots", "id": a1}}})
	e.must(204, "DELETE", "/v1/appScreenshots/"+a2, nil)
	e.must(204, "DELETE", "/v1/appScreenshotSets/"+setID, nil)

	// Previews.
	pset := e.must(201, "POST", "/v1/appPreviewSets", resource("appPreviewSets", "",
		map[string]any{"previewType": "IPHONE_67"}, map[string][2]string{"appStoreVersionLocalization": {"appStoreVersionLocalizations", vlID}}))
	psID := id(pset.data())
	video := make([]byte, 100_000)
	p1 := e.upload("appPreviews", "appPreviewSet", "appPreviewSets", psID, "demo.mp4", video)
	e.must(200, "GET", "/v1/appPreviews/"+p1, nil)
	e.must(200, "PATCH", "/v1/appPreviews/"+p1, resource("appPreviews", p1, map[string]any{"previewFrameTimeCode": "00:00:07:00"}, nil))
	e.must(200, "GET", "/v1/appStoreVersionLocalizations/"+vlID+"/appPreviewSets?include=appPreviews", nil)
	e.must(200, "GET", "/v1/appPreviewSets/"+psID, nil)
	e.must(200, "GET", "/v1/appPreviewSets/"+psID+"/appPreviews", nil)
	e.must(200, "GET", "/v1/appPreviewSets/"+psID+"/relationships/appPreviews", nil)
	e.must(204, "PATCH", "/v1/appPreviewSets/"+psID+"/relationships/appPreviews", map[string]any{"data": []any{
		map[string]any{"type": "appPreviews", "id": p1}}})
	e.must(204, "DELETE", "/v1/appPreviews/"+p1, nil)
	e.must(204, "DELETE", "/v1/appPreviewSets/"+psID, nil)
	e.must(204, "DELETE", "/v1/appStoreVersionLocalizations/"+vlID, nil)

	// Error answers are documents too.
	e.must(404, "GET", "/v1/appScreenshots/nope", nil)
	e.must(409, "PATCH", "/v1/appStoreVersionLocalizations/"+locID, resource("appStoreVersionLocalizations", locID,
		map[string]any{"keywords": string(make([]rune, 101))}, nil))
	e.raw("GET", "/v1/apps", nil, "") // 401

	// A new version once the open one is released.
	if err := e.srv.SetVersionState("com.example.demo", "1.2", "READY_FOR_DISTRIBUTION"); err != nil {
		t.Fatal(err)
	}
	e.must(201, "POST", "/v1/appStoreVersions", resource("appStoreVersions", "",
		map[string]any{"platform": "IOS", "versionString": "2.0", "releaseType": "MANUAL"}, map[string][2]string{"app": {"apps", appID}}))

	// Paging through next links.
	first := e.must(200, "GET", "/v1/appStoreVersions/"+vID+"/appStoreVersionLocalizations?limit=1", nil)
	next, _ := first.doc["links"].(map[string]any)["next"].(string)
	if next == "" {
		t.Fatal("no links.next with limit=1")
	}
	e.must(200, "GET", next, nil)

	if n := e.conf.Checked(); n < 45 {
		t.Errorf("conformance checked %d exchanges, want every API call (≥ 45)", n)
	}
}

// TestConformanceFlagsBadExchanges proves the checker is not blind: a request with an unknown
// query parameter, an unknown attribute and a wrong type, checked against the document.
func TestConformanceFlagsBadExchanges(t *testing.T) {
	c, err := NewConformance()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, target, body string
		status                     int
		resp                       string
	}{
		{"unknown query parameter", "GET", "/v1/apps?filter[bundle]=x", "", 200, `{"data":[],"links":{"self":"http://x/v1/apps"}}`},
		{"unknown request attribute", "PATCH", "/v1/appStoreVersionLocalizations/1",
			`{"data":{"type":"appStoreVersionLocalizations","id":"1","attributes":{"keyword":"a"}}}`, 200,
			`{"data":{"type":"appStoreVersionLocalizations","id":"1"},"links":{"self":"http://x"}}`},
		{"response attribute the document lacks", "GET", "/v1/apps/1", "", 200,
			`{"data":{"type":"apps","id":"1","attributes":{"colour":"red"}},"links":{"self":"http://x"}}`},
		{"undeclared status", "GET", "/v1/apps", "", 418, `{"errors":[]}`},
		{"unknown path", "GET", "/v1/appClips", "", 200, `{}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(c.Violations())
			u, _ := url.Parse("http://127.0.0.1" + tc.target)
			req := &http.Request{Method: tc.method, URL: u, Header: http.Header{"Content-Type": {"application/json"}}, Host: "127.0.0.1"}
			c.Check(req, []byte(tc.body), tc.status, http.Header{"Content-Type": {"application/json"}}, []byte(tc.resp))
			got := c.Violations()
			if len(got) == before {
				t.Fatalf("no violation reported")
			}
			for _, v := range got[before:] {
				t.Logf("flagged: %s", v)
			}
		})
	}
}

// TestConformanceEveryVersionState renders versions and appInfos in every appVersionState,
// so each state maps to values the document's enums allow.
func TestConformanceEveryVersionState(t *testing.T) {
	e := start(t, true)
	appID, _ := e.srv.AppID("com.example.demo")
	states := []string{"ACCEPTED", "DEVELOPER_REJECTED", "IN_REVIEW", "INVALID_BINARY", "METADATA_REJECTED",
		"PENDING_APPLE_RELEASE", "PENDING_DEVELOPER_RELEASE", "PREPARE_FOR_SUBMISSION", "PROCESSING_FOR_DISTRIBUTION",
		"READY_FOR_DISTRIBUTION", "READY_FOR_REVIEW", "REJECTED", "REPLACED_WITH_NEW_VERSION",
		"WAITING_FOR_EXPORT_COMPLIANCE", "WAITING_FOR_REVIEW"}
	for _, st := range states {
		if err := e.srv.SetVersionState("com.example.demo", "1.0", st); err != nil {
			t.Fatal(err)
		}
		e.must(200, "GET", "/v1/apps/"+appID+"/appStoreVersions?include=appStoreVersionLocalizations", nil)
		e.must(200, "GET", "/v1/apps/"+appID+"/appInfos?include=appInfoLocalizations", nil)
	}
}
