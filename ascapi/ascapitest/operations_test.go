package ascapitest

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/ascapi/internal/spec"
)

var update = flag.Bool("update", false, "rewrite docs/simulator-conformance.md")

// opCase is one exchange of TestServedOperations: op is "METHOD /v1/pattern", note says in
// the conformance table what the simulator answers.
type opCase struct {
	op, note string
	run      func(t *testing.T, e *env, ids *opIDs)
}

// opIDs are the seeded and created resources the cases work on.
type opIDs struct {
	app, live, editable, info, infoLoc, loc, set, shot string
}

// call sends method path (path's {id} replaced by id) and fails unless the status is want.
func (e *env) call(t *testing.T, want int, method, path, id string, body any) reply {
	t.Helper()
	r := e.do(method, strings.Replace(path, "{id}", id, 1), body)
	if r.status != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, path, r.status, want, r.raw)
	}
	return r
}

// modelledCases exercise the operations the simulator models, in an order where each case
// leaves what the next needs (deletions last).
func modelledCases() []opCase {
	return []opCase{
		{"GET /v1/apps", "filter[bundleId] (prefix match, as Apple), name, sku, id, appStoreVersions.*; sort; reviewSubmissions filters match none", func(t *testing.T, e *env, ids *opIDs) {
			r := e.call(t, 200, "GET", "/v1/apps?filter[bundleId]=com.example.demo&sort=-bundleId&filter[appStoreVersions.platform]=IOS", "", nil)
			if l := r.list(); len(l) != 2 || attr(l[0], "bundleId") != "com.example.demo.pro" {
				t.Errorf("apps = %v, want the pro app first", l)
			}
			if l := e.call(t, 200, "GET", "/v1/apps?filter[reviewSubmissions.state]=READY_FOR_REVIEW", "", nil).list(); len(l) != 0 {
				t.Errorf("apps with review submissions = %d, want 0 (none exist)", len(l))
			}
		}},
		{"GET /v1/apps/{id}", "include of unmodelled relationships answers them empty", func(t *testing.T, e *env, ids *opIDs) {
			r := e.call(t, 200, "GET", "/v1/apps/{id}?include=appStoreVersions,builds&fields[apps]=bundleId,appStoreVersions,builds", ids.app, nil)
			rels, _ := r.data()["relationships"].(map[string]any)
			builds, _ := rels["builds"].(map[string]any)
			if data, ok := builds["data"].([]any); !ok || len(data) != 0 {
				t.Errorf("builds relationship = %v, want data []", rels["builds"])
			}
			if inc, _ := r.doc["included"].([]any); len(inc) != 2 {
				t.Errorf("included %d resources, want the 2 versions", len(inc))
			}
		}},
		{"PATCH /v1/apps/{id}", "attributes kept and read back; primaryLocale must be one of the app's locales", func(t *testing.T, e *env, ids *opIDs) {
			r := e.call(t, 200, "PATCH", "/v1/apps/{id}", ids.app, resource(typeApps, ids.app, map[string]any{"contentRightsDeclaration": "DOES_NOT_USE_THIRD_PARTY_CONTENT"}, nil))
			if got := attr(r.data(), "contentRightsDeclaration"); got != "DOES_NOT_USE_THIRD_PARTY_CONTENT" {
				t.Errorf("contentRightsDeclaration = %v", got)
			}
			if r := e.call(t, 409, "PATCH", "/v1/apps/{id}", ids.app, resource(typeApps, ids.app, map[string]any{"primaryLocale": "fr-FR"}, nil)); r.errCode() != "ENTITY_ERROR.ATTRIBUTE.INVALID" {
				t.Errorf("primaryLocale fr-FR: %s", r.raw)
			}
		}},
		{"GET /v1/apps/{id}/appStoreVersions", "filter[platform], versionString, appVersionState, appStoreState, id; newest first", func(t *testing.T, e *env, ids *opIDs) {
			if l := e.call(t, 200, "GET", "/v1/apps/{id}/appStoreVersions?filter[appVersionState]=PREPARE_FOR_SUBMISSION", ids.app, nil).list(); len(l) != 1 || id(l[0]) != ids.editable {
				t.Errorf("editable versions = %v", l)
			}
		}},
		{"GET /v1/apps/{id}/appInfos", "the live and the editable app info", func(t *testing.T, e *env, ids *opIDs) {
			if l := e.call(t, 200, "GET", "/v1/apps/{id}/appInfos", ids.app, nil).list(); len(l) != 2 {
				t.Errorf("app infos = %d, want 2", len(l))
			}
		}},
		{"POST /v1/appStoreVersions", "409 ENTITY_ERROR.RELATIONSHIP.INVALID while a version is open; 201 otherwise (see DELETE)", func(t *testing.T, e *env, ids *opIDs) {
			r := e.call(t, 409, "POST", "/v1/appStoreVersions", "", resource(typeVersions, "", map[string]any{"platform": "IOS", "versionString": "1.2"}, map[string][2]string{"app": {typeApps, ids.app}}))
			if r.errCode() != "ENTITY_ERROR.RELATIONSHIP.INVALID" {
				t.Errorf("create while open: %s", r.raw)
			}
		}},
		{"GET /v1/appStoreVersions/{id}", "include=appStoreReviewDetail, build, …: data null (not modelled), never left out", func(t *testing.T, e *env, ids *opIDs) {
			r := e.call(t, 200, "GET", "/v1/appStoreVersions/{id}?include=appStoreReviewDetail,appStoreVersionLocalizations", ids.editable, nil)
			rels, _ := r.data()["relationships"].(map[string]any)
			detail, ok := rels["appStoreReviewDetail"].(map[string]any)
			if data, present := detail["data"]; !ok || !present || data != nil {
				t.Errorf("appStoreReviewDetail = %v, want data null", rels["appStoreReviewDetail"])
			}
		}},
		{"PATCH /v1/appStoreVersions/{id}", "409 STATE_ERROR outside the editable states", func(t *testing.T, e *env, ids *opIDs) {
			e.call(t, 200, "PATCH", "/v1/appStoreVersions/{id}", ids.editable, resource(typeVersions, ids.editable, map[string]any{"copyright": "2026 Example"}, nil))
			if r := e.call(t, 409, "PATCH", "/v1/appStoreVersions/{id}", ids.live, resource(typeVersions, ids.live, map[string]any{"copyright": "x"}, nil)); r.errCode() != "STATE_ERROR" {
				t.Errorf("live version PATCH: %s", r.raw)
			}
		}},
		{"GET /v1/appInfos/{id}", "include of categories and age rating answers data null (not modelled)", func(t *testing.T, e *env, ids *opIDs) {
			r := e.call(t, 200, "GET", "/v1/appInfos/{id}?include=appInfoLocalizations,primaryCategory", ids.info, nil)
			rels, _ := r.data()["relationships"].(map[string]any)
			if pc, _ := rels["primaryCategory"].(map[string]any); pc == nil || pc["data"] != nil {
				t.Errorf("primaryCategory = %v, want data null", rels["primaryCategory"])
			}
			if inc, _ := r.doc["included"].([]any); len(inc) != 3 {
				t.Errorf("included %d, want the 3 localizations", len(inc))
			}
		}},
		{"PATCH /v1/appInfos/{id}", "categories only; there are none, so naming one is 409 ENTITY_ERROR.RELATIONSHIP.INVALID", func(t *testing.T, e *env, ids *opIDs) {
			body := resource(typeInfos, ids.info, nil, map[string][2]string{"primaryCategory": {"appCategories", "GAMES"}})
			if r := e.call(t, 409, "PATCH", "/v1/appInfos/{id}", ids.info, body); r.errCode() != "ENTITY_ERROR.RELATIONSHIP.INVALID" {
				t.Errorf("category PATCH: %s", r.raw)
			}
			e.call(t, 200, "PATCH", "/v1/appInfos/{id}", ids.info, resource(typeInfos, ids.info, nil, nil))
		}},
		{"GET /v1/appInfos/{id}/appInfoLocalizations", "filter[locale]", func(t *testing.T, e *env, ids *opIDs) {
			if l := e.call(t, 200, "GET", "/v1/appInfos/{id}/appInfoLocalizations?filter[locale]=en-US", ids.info, nil).list(); len(l) != 1 || id(l[0]) != ids.infoLoc {
				t.Errorf("en-US app info localizations = %v", l)
			}
		}},
		{"POST /v1/appInfoLocalizations", "name required; DUPLICATE, TOO_LONG, INVALID_STATE on a live app info", func(t *testing.T, e *env, ids *opIDs) {
			r := e.call(t, 201, "POST", "/v1/appInfoLocalizations", "", resource(typeInfoLocs, "", map[string]any{"locale": "fr-FR", "name": "Planificateur"}, map[string][2]string{"appInfo": {typeInfos, ids.info}}))
			ids.infoLoc = id(r.data())
		}},
		{"GET /v1/appInfoLocalizations/{id}", "", func(t *testing.T, e *env, ids *opIDs) {
			if r := e.call(t, 200, "GET", "/v1/appInfoLocalizations/{id}", ids.infoLoc, nil); attr(r.data(), "locale") != "fr-FR" {
				t.Errorf("locale = %v", attr(r.data(), "locale"))
			}
		}},
		{"PATCH /v1/appInfoLocalizations/{id}", "length and URL rules (TOO_LONG names the limit)", func(t *testing.T, e *env, ids *opIDs) {
			e.call(t, 200, "PATCH", "/v1/appInfoLocalizations/{id}", ids.infoLoc, resource(typeInfoLocs, ids.infoLoc, map[string]any{"subtitle": "Calme"}, nil))
			if r := e.call(t, 409, "PATCH", "/v1/appInfoLocalizations/{id}", ids.infoLoc, resource(typeInfoLocs, ids.infoLoc, map[string]any{"subtitle": strings.Repeat("x", 31)}, nil)); r.errCode() != "ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG" {
				t.Errorf("31-character subtitle: %s", r.raw)
			}
		}},
		{"DELETE /v1/appInfoLocalizations/{id}", "the primary locale is refused (409)", func(t *testing.T, e *env, ids *opIDs) {
			e.call(t, 204, "DELETE", "/v1/appInfoLocalizations/{id}", ids.infoLoc, nil)
		}},
		{"GET /v1/appStoreVersions/{id}/appStoreVersionLocalizations", "filter[locale]; include=appScreenshotSets,appPreviewSets with their linkage and paging total (`TestSimulatorVersionLocalizationsWithSets`)", func(t *testing.T, e *env, ids *opIDs) {
			if l := e.call(t, 200, "GET", "/v1/appStoreVersions/{id}/appStoreVersionLocalizations", ids.editable, nil).list(); len(l) != 3 {
				t.Errorf("localizations = %d, want 3", len(l))
			}
		}},
		{"POST /v1/appStoreVersionLocalizations", "locale from Apple's list; DUPLICATE; STATE_ERROR when not editable", func(t *testing.T, e *env, ids *opIDs) {
			r := e.call(t, 201, "POST", "/v1/appStoreVersionLocalizations", "", resource(typeVersionLocs, "", map[string]any{"locale": "fr-FR", "keywords": "agenda"}, map[string][2]string{"appStoreVersion": {typeVersions, ids.editable}}))
			frID := id(r.data())
			e.call(t, 200, "GET", "/v1/appStoreVersionLocalizations/{id}", frID, nil)
			e.call(t, 200, "PATCH", "/v1/appStoreVersionLocalizations/{id}", frID, resource(typeVersionLocs, frID, map[string]any{"keywords": "agenda,tâches"}, nil))
			e.call(t, 204, "DELETE", "/v1/appStoreVersionLocalizations/{id}", frID, nil)
			if r := e.call(t, 409, "POST", "/v1/appStoreVersionLocalizations", "", resource(typeVersionLocs, "", map[string]any{"locale": "xx-XX"}, map[string][2]string{"appStoreVersion": {typeVersions, ids.editable}})); r.errCode() != "ENTITY_ERROR.ATTRIBUTE.INVALID" {
				t.Errorf("unknown locale: %s", r.raw)
			}
		}},
		{"GET /v1/appStoreVersionLocalizations/{id}", "", nil},
		{"PATCH /v1/appStoreVersionLocalizations/{id}", "only promotionalText outside the editable states (STATE_ERROR names the attribute)", nil},
		{"DELETE /v1/appStoreVersionLocalizations/{id}", "the primary locale is refused (409)", nil},
		{"GET /v1/appStoreVersionLocalizations/{id}/appScreenshotSets", "filter[screenshotDisplayType]; custom product page and experiment filters match none", func(t *testing.T, e *env, ids *opIDs) {
			l := e.call(t, 200, "GET", "/v1/appStoreVersionLocalizations/{id}/appScreenshotSets?filter[screenshotDisplayType]=APP_IPHONE_67&include=appScreenshots", ids.loc, nil).list()
			if len(l) != 1 {
				t.Fatalf("APP_IPHONE_67 sets = %d", len(l))
			}
			if l := e.call(t, 200, "GET", "/v1/appStoreVersionLocalizations/{id}/appScreenshotSets?filter[appCustomProductPageLocalization]=x", ids.loc, nil).list(); len(l) != 0 {
				t.Errorf("custom product page sets = %d, want 0", len(l))
			}
		}},
		{"GET /v1/appStoreVersionLocalizations/{id}/appPreviewSets", "filter[previewType]", func(t *testing.T, e *env, ids *opIDs) {
			e.call(t, 200, "GET", "/v1/appStoreVersionLocalizations/{id}/appPreviewSets", ids.loc, nil)
		}},
		{"POST /v1/appScreenshotSets", "display types of the simulator's table for the version's platform (APP_IPHONE_69 stored as APP_IPHONE_67); one per type", func(t *testing.T, e *env, ids *opIDs) {
			mac := resource(typeScreenshotSet, "", map[string]any{"screenshotDisplayType": "APP_DESKTOP"}, map[string][2]string{"appStoreVersionLocalization": {typeVersionLocs, ids.loc}})
			if r := e.call(t, 409, "POST", "/v1/appScreenshotSets", "", mac); r.errCode() != "ENTITY_ERROR.ATTRIBUTE.INVALID" {
				t.Errorf("a Mac set on an iOS version: %s", r.raw)
			}
			r := e.call(t, 201, "POST", "/v1/appScreenshotSets", "", resource(typeScreenshotSet, "", map[string]any{"screenshotDisplayType": "APP_IPHONE_65"}, map[string][2]string{"appStoreVersionLocalization": {typeVersionLocs, ids.loc}}))
			ids.set = id(r.data())
		}},
		{"GET /v1/appScreenshotSets/{id}", "include=appScreenshots in linkage order", func(t *testing.T, e *env, ids *opIDs) {
			e.call(t, 200, "GET", "/v1/appScreenshotSets/{id}?include=appScreenshots", ids.set, nil)
		}},
		{"POST /v1/appScreenshots", "reserve with upload operations; an 11th (placeholders count) is refused", func(t *testing.T, e *env, ids *opIDs) {
			ids.shot = e.upload(typeScreenshots, "appScreenshotSet", typeScreenshotSet, ids.set, "1.png", SamplePNG(1242, 2688, 1))
		}},
		{"PATCH /v1/appScreenshots/{id}", "commit checks the MD5; processing to COMPLETE or FAILED (IMAGE_INCORRECT_DIMENSIONS)", nil},
		{"GET /v1/appScreenshots/{id}", "checksum and imageAsset only once COMPLETE", func(t *testing.T, e *env, ids *opIDs) {
			e.call(t, 200, "GET", "/v1/appScreenshots/{id}", ids.shot, nil)
		}},
		{"GET /v1/appScreenshotSets/{id}/appScreenshots", "", func(t *testing.T, e *env, ids *opIDs) {
			if l := e.call(t, 200, "GET", "/v1/appScreenshotSets/{id}/appScreenshots", ids.set, nil).list(); len(l) != 1 {
				t.Errorf("screenshots = %d, want 1", len(l))
			}
		}},
		{"GET /v1/appScreenshotSets/{id}/relationships/appScreenshots", "", func(t *testing.T, e *env, ids *opIDs) {
			e.call(t, 200, "GET", "/v1/appScreenshotSets/{id}/relationships/appScreenshots", ids.set, nil)
		}},
		{"PATCH /v1/appScreenshotSets/{id}/relationships/appScreenshots", "reorder: every asset of the set, once; STATE_ERROR after submission", func(t *testing.T, e *env, ids *opIDs) {
			e.call(t, 204, "PATCH", "/v1/appScreenshotSets/{id}/relationships/appScreenshots", ids.set, map[string]any{"data": []any{map[string]any{"type": typeScreenshots, "id": ids.shot}}})
		}},
		{"DELETE /v1/appScreenshots/{id}", "Can't Delete Screenshot After Submit for review (409) once submitted", func(t *testing.T, e *env, ids *opIDs) {
			e.call(t, 204, "DELETE", "/v1/appScreenshots/{id}", ids.shot, nil)
		}},
		{"DELETE /v1/appScreenshotSets/{id}", "removes the set and its screenshots", func(t *testing.T, e *env, ids *opIDs) {
			e.call(t, 204, "DELETE", "/v1/appScreenshotSets/{id}", ids.set, nil)
			e.call(t, 404, "GET", "/v1/appScreenshotSets/{id}", ids.set, nil)
		}},
		{"POST /v1/appPreviewSets", "preview types of the simulator's table", func(t *testing.T, e *env, ids *opIDs) {
			r := e.call(t, 201, "POST", "/v1/appPreviewSets", "", resource(typePreviewSet, "", map[string]any{"previewType": "IPHONE_67"}, map[string][2]string{"appStoreVersionLocalization": {typeVersionLocs, ids.loc}}))
			ids.set = id(r.data())
			e.call(t, 200, "GET", "/v1/appPreviewSets/{id}", ids.set, nil)
			ids.shot = e.upload(typePreviews, "appPreviewSet", typePreviewSet, ids.set, "p.mp4", make([]byte, 4096))
			e.call(t, 200, "GET", "/v1/appPreviews/{id}", ids.shot, nil)
			e.call(t, 200, "GET", "/v1/appPreviewSets/{id}/appPreviews", ids.set, nil)
			e.call(t, 200, "GET", "/v1/appPreviewSets/{id}/relationships/appPreviews", ids.set, nil)
			e.call(t, 204, "PATCH", "/v1/appPreviewSets/{id}/relationships/appPreviews", ids.set, map[string]any{"data": []any{map[string]any{"type": typePreviews, "id": ids.shot}}})
			e.call(t, 204, "DELETE", "/v1/appPreviews/{id}", ids.shot, nil)
			e.call(t, 204, "DELETE", "/v1/appPreviewSets/{id}", ids.set, nil)
		}},
		{"GET /v1/appPreviewSets/{id}", "include=appPreviews", nil},
		{"GET /v1/appPreviewSets/{id}/appPreviews", "", nil},
		{"GET /v1/appPreviewSets/{id}/relationships/appPreviews", "", nil},
		{"PATCH /v1/appPreviewSets/{id}/relationships/appPreviews", "reorder, as for screenshots", nil},
		{"POST /v1/appPreviews", "reserve (mimeType, previewFrameTimeCode); at most 3 per set", nil},
		{"GET /v1/appPreviews/{id}", "videoDeliveryState", nil},
		{"PATCH /v1/appPreviews/{id}", "commit; previewFrameTimeCode", nil},
		{"DELETE /v1/appPreviews/{id}", "", nil},
		{"DELETE /v1/appPreviewSets/{id}", "", nil},
		{"DELETE /v1/appStoreVersions/{id}", "only in PREPARE_FOR_SUBMISSION (else 409 STATE_ERROR); takes its localizations, media and app info along", func(t *testing.T, e *env, ids *opIDs) {
			if r := e.call(t, 409, "DELETE", "/v1/appStoreVersions/{id}", ids.live, nil); r.errCode() != "STATE_ERROR" {
				t.Errorf("delete live version: %s", r.raw)
			}
			e.call(t, 204, "DELETE", "/v1/appStoreVersions/{id}", ids.editable, nil)
			e.call(t, 404, "GET", "/v1/appStoreVersions/{id}", ids.editable, nil)
			e.call(t, 404, "GET", "/v1/appStoreVersionLocalizations/{id}", ids.loc, nil)
			e.call(t, 404, "GET", "/v1/appInfos/{id}", ids.info, nil)
			// With no version open, a new one can be created.
			e.call(t, 201, "POST", "/v1/appStoreVersions", "", resource(typeVersions, "", map[string]any{"platform": "IOS", "versionString": "1.2"}, map[string][2]string{"app": {typeApps, ids.app}}))
		}},
	}
}

// relatedCases exercise the operations whose other end the simulator does not model.
func relatedCases() []opCase {
	var out []opCase
	for _, rt := range relatedRoutes(modelledRoutes) {
		rt := rt
		op := rt.method + " " + rt.pattern
		parent := strings.Split(strings.TrimPrefix(rt.pattern, "/v1/"), "/")[0]
		c := opCase{op: op}
		switch {
		case rt.method == "GET" && strings.HasSuffix(rt.pattern, "/perfPowerMetrics"):
			c.note = "not modelled: no metrics (Xcode metrics document)"
		case rt.method == "GET" && answersList(rt.pattern):
			c.note = "not modelled: an empty list"
		case rt.method == "GET":
			c.note = "not modelled: data null"
		default:
			c.note = "not modelled: naming a resource is 409 ENTITY_ERROR.RELATIONSHIP.INVALID"
		}
		c.run = func(t *testing.T, e *env, ids *opIDs) {
			pid := map[string]string{typeApps: ids.app, typeVersions: ids.live, typeInfos: ids.info}[parent]
			if rt.method == "GET" {
				path := rt.pattern
				if strings.HasSuffix(path, "/metrics/betaTesterUsages") {
					path += "?groupBy=betaTesters"
				}
				r := e.call(t, 200, "GET", path, pid, nil)
				if c.note == "not modelled: data null" && (r.doc == nil || r.doc["data"] != nil) {
					t.Errorf("answer %s, want data null", r.raw)
				}
				e.call(t, 404, "GET", rt.pattern, "no-such-id", nil)
				return
			}
			rel := rt.pattern[strings.LastIndex(rt.pattern, "/")+1:]
			target := map[string]string{"build": "builds", "appClipDefaultExperience": "appClipDefaultExperiences",
				"promotedPurchases": "promotedPurchases", "betaTesters": "betaTesters"}[rel]
			var body any = map[string]any{"data": map[string]any{"type": target, "id": "1"}}
			if rel == "promotedPurchases" || rel == "betaTesters" {
				body = map[string]any{"data": []any{map[string]any{"type": target, "id": "1"}}}
			}
			if r := e.call(t, 409, rt.method, rt.pattern, pid, body); r.errCode() != "ENTITY_ERROR.RELATIONSHIP.INVALID" {
				t.Errorf("answer %s", r.raw)
			}
			if rel == "promotedPurchases" {
				e.call(t, 204, rt.method, rt.pattern, pid, map[string]any{"data": []any{}})
			}
		}
		out = append(out, c)
	}
	return out
}

// TestServedOperations exercises every operation the simulator serves — every operation
// Apple's document lists on the nine resources it models — with each exchange checked against
// the document, and keeps docs/simulator-conformance.md, the table of them, up to date
// (-update rewrites it).
func TestServedOperations(t *testing.T) {
	e := start(t, true)
	ids := &opIDs{}
	ids.app, ids.editable, ids.loc = e.seeded("1.1", "en-US")
	_, ids.live, _ = e.seeded("1.0", "en-US")
	for _, info := range e.must(200, "GET", "/v1/apps/"+ids.app+"/appInfos", nil).list() {
		if attr(info, "state") == "PREPARE_FOR_SUBMISSION" {
			ids.info = id(info)
		}
	}
	locs := e.must(200, "GET", "/v1/appInfos/"+ids.info+"/appInfoLocalizations?filter[locale]=en-US", nil).list()
	if ids.info == "" || len(locs) != 1 {
		t.Fatal("no editable app info with an en-US localization in the seed")
	}
	ids.infoLoc = id(locs[0])

	cases := append(relatedCases(), modelledCases()...)
	tests := map[string]string{} // op → the subtest that exercises it
	last := ""
	for _, c := range cases {
		if c.run != nil {
			last = "TestServedOperations/" + strings.ReplaceAll(c.op, " ", "_")
			t.Run(c.op, func(t *testing.T) { c.run(t, e, ids) })
		}
		tests[c.op] = last // a case without run is exercised by the one before it
	}

	got := e.conf.Operations()
	for _, c := range cases {
		if got[c.op] == 0 {
			t.Errorf("%s: no exchange was checked against Apple's document", c.op)
		}
	}
	var served []string
	for p, ms := range spec.Served {
		for _, m := range ms {
			served = append(served, strings.ToUpper(m)+" "+p)
		}
	}
	byOp := map[string]opCase{}
	for _, c := range cases {
		byOp[c.op] = c
	}
	for _, op := range served {
		if _, ok := byOp[op]; !ok {
			t.Errorf("%s is served but TestServedOperations has no case for it", op)
		}
	}
	checkConformanceTable(t, served, byOp, tests)
}

// checkConformanceTable compares docs/simulator-conformance.md with the table made from the
// cases, or rewrites it with -update.
func checkConformanceTable(t *testing.T, served []string, byOp map[string]opCase, tests map[string]string) {
	t.Helper()
	const path = "../../docs/simulator-conformance.md"
	want := conformanceTable(served, byOp, tests)
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(path)
	if err != nil || string(have) != want {
		t.Errorf("%s is out of date (err %v): run go test ./ascapi/ascapitest -run TestServedOperations -update", path, err)
	}
}

func conformanceTable(served []string, byOp map[string]opCase, tests map[string]string) string {
	methodOrder := map[string]int{"GET": 0, "POST": 1, "PATCH": 2, "DELETE": 3}
	sort.Slice(served, func(i, j int) bool {
		mi, pi, _ := strings.Cut(served[i], " ")
		mj, pj, _ := strings.Cut(served[j], " ")
		if pi != pj {
			return pi < pj
		}
		return methodOrder[mi] < methodOrder[mj]
	})
	var b strings.Builder
	b.WriteString(`# Simulator conformance

Generated by ` + "`go test ./ascapi/ascapitest -run TestServedOperations -update`" + `; the test fails
when this file and the simulator disagree. Every operation Apple's OpenAPI document (3.7.0)
lists on the nine resources the simulator models, whether the simulator serves it, what it
answers, and the test that exercises it with each request and answer checked against the
document (the conformance check, ascapitest.Conformance). "Not modelled" means the resource at
the other end (builds, review details, categories, …) does not exist in the simulator, so it
answers as App Store Connect answers for an app that has none. Parameters the operation does
not declare, and values outside a declared enum or range, are answered 400
PARAMETER_ERROR.INVALID, as Apple does.

`)
	for _, res := range spec.Resources {
		fmt.Fprintf(&b, "## %s\n\n| operation | served | answer | test |\n|---|---|---|---|\n", res)
		for _, op := range served {
			_, p, _ := strings.Cut(op, " ")
			if strings.Split(strings.TrimPrefix(p, "/v1/"), "/")[0] != res {
				continue
			}
			c := byOp[op]
			test := tests[op]
			note := c.note
			if note == "" {
				note = "modelled"
			}
			fmt.Fprintf(&b, "| `%s` | yes | %s | `%s` |\n", op, note, test)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestUnmodelledOperationsRefuseUnknownParameters: the operations answered from the spec
// check their parameters as Apple does (conformance off: the requests break the document).
func TestUnmodelledOperationsRefuseUnknownParameters(t *testing.T) {
	e := start(t, false)
	appID, _ := e.srv.AppID("com.example.demo")
	for _, rt := range relatedRoutes(modelledRoutes) {
		if rt.method != "GET" || !strings.HasPrefix(rt.pattern, "/v1/apps/") {
			continue
		}
		r := e.call(t, 400, "GET", rt.pattern+"?filter[nonsense]=1", appID, nil)
		if r.errCode() != "PARAMETER_ERROR.INVALID" {
			t.Errorf("%s: undeclared parameter answered %s", rt.pattern, r.raw)
		}
	}
	if r := e.call(t, 400, "GET", "/v1/apps/{id}/builds?limit=201", appID, nil); r.errCode() != "PARAMETER_ERROR.INVALID" {
		t.Errorf("limit over 200: %s", r.raw)
	}
}
