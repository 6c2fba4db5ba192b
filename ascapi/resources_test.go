package ascapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFindByBundleIDExact(t *testing.T) {
	env := setup(t)
	env.mux.HandleFunc("GET /v1/apps", func(w http.ResponseWriter, r *http.Request) {
		if got := r.URL.Query().Get("filter[bundleId]"); !strings.HasPrefix("com.co.app", got) {
			t.Errorf("filter[bundleId] = %q", got)
		}
		writeRaw(w, 200, `{"data":[
		  {"type":"apps","id":"10","attributes":{"bundleId":"com.co.app.dev","name":"Dev","primaryLocale":"en-US"}},
		  {"type":"apps","id":"11","attributes":{"bundleId":"com.co.app","name":"Prod","primaryLocale":"de-DE","sku":null}}],"links":{}}`)
	})
	app, _, err := env.client.Apps.FindByBundleID(context.Background(), "com.co.app")
	if err != nil {
		t.Fatal(err)
	}
	if app.ID != "11" || app.PrimaryLocale != "de-DE" {
		t.Errorf("found %+v, want app 11", app)
	}
	_, _, err = env.client.Apps.FindByBundleID(context.Background(), "com.co.ap")
	if !IsNotFound(err) || !strings.Contains(err.Error(), "com.co.ap") {
		t.Errorf("err = %v, want not found naming the bundle ID", err)
	}
}

func shotJSON(id, state string, checksum any) string {
	cs := "null"
	if checksum != nil {
		cs = fmt.Sprintf("%q", checksum)
	}
	img := "null"
	if state == "COMPLETE" {
		img = `{"templateUrl":"https://is1.example.com/` + id + `/{w}x{h}bb.{f}","width":1290,"height":2796}`
	}
	return fmt.Sprintf(`{"type":"appScreenshots","id":%q,"attributes":{"fileName":"%s.png","fileSize":100,"sourceFileChecksum":%s,"imageAsset":%s,"uploadOperations":null,"assetToken":null,"assetDeliveryState":{"state":%q,"errors":[],"warnings":null}}}`, id, id, cs, img, state)
}

func TestScreenshotSetsListOrderAndNulls(t *testing.T) {
	env := setup(t)
	var many []string
	for i := 0; i < 50; i++ {
		many = append(many, fmt.Sprintf(`{"type":"appScreenshots","id":"m%d"}`, i))
	}
	env.mux.HandleFunc("GET /v1/appStoreVersionLocalizations/loc1/appScreenshotSets", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("include") != "appScreenshots" || q.Get("limit") != "200" {
			t.Errorf("query = %s", r.URL.RawQuery)
		}
		writeRaw(w, 200, `{"data":[
		  {"type":"appScreenshotSets","id":"s1","attributes":{"screenshotDisplayType":"APP_IPHONE_69"},
		   "relationships":{"appScreenshots":{"data":[{"type":"appScreenshots","id":"c"},{"type":"appScreenshots","id":"a"},{"type":"appScreenshots","id":"b"}]}}},
		  {"type":"appScreenshotSets","id":"s2","attributes":{"screenshotDisplayType":"APP_IPAD_PRO_3GEN_129"},
		   "relationships":{"appScreenshots":{"data":[`+strings.Join(many, ",")+`],"meta":{"paging":{"total":51,"limit":50}}}}},
		  {"type":"appScreenshotSets","id":"s3","attributes":{"screenshotDisplayType":"APP_IPHONE_65"},
		   "relationships":{"appScreenshots":{"data":[]}}}],
		 "included":[`+shotJSON("a", "COMPLETE", "aaaa")+`,`+shotJSON("b", "UPLOAD_COMPLETE", nil)+`,`+shotJSON("c", "COMPLETE", nil)+`],
		 "links":{"self":"x"}}`)
	})
	env.mux.HandleFunc("GET /v1/appScreenshotSets/s2/appScreenshots", func(w http.ResponseWriter, r *http.Request) {
		writeRaw(w, 200, `{"data":[`+shotJSON("z", "FAILED", nil)+`,`+shotJSON("y", "COMPLETE", "yy")+`],"links":{}}`)
	})
	sets, _, err := env.client.ScreenshotSets.List(context.Background(), "loc1")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Set, Type string
		IDs       []string
		Status    []string
	}
	var got []row
	for _, s := range sets {
		r := row{Set: s.ID, Type: s.DisplayType}
		for _, sh := range s.Screenshots {
			r.IDs = append(r.IDs, sh.ID)
			r.Status = append(r.Status, sh.Status().String())
		}
		got = append(got, r)
	}
	want := []row{
		{"s1", "APP_IPHONE_69", []string{"c", "a", "b"}, []string{"pending", "ready", "pending"}},
		{"s2", "APP_IPAD_PRO_3GEN_129", []string{"z", "y"}, []string{"failed", "ready"}},
		{"s3", "APP_IPHONE_65", nil, nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sets (-want +got):\n%s", diff)
	}
	a := sets[0].Screenshots[1]
	if a.ImageAsset == nil || a.ImageAsset.Width != 1290 || a.Checksum() != "aaaa" || a.UploadOperations != nil {
		t.Errorf("screenshot a decoded as %+v", a.Asset)
	}
	if b := sets[0].Screenshots[2]; b.ImageAsset != nil || b.SourceFileChecksum != nil || b.Ready() {
		t.Errorf("screenshot b decoded as %+v", b.Asset)
	}
}

func TestLocalizationWritesOnlyChangedFields(t *testing.T) {
	env := setup(t)
	var patch, post map[string]any
	env.mux.HandleFunc("PATCH /v1/appStoreVersionLocalizations/L1", func(w http.ResponseWriter, r *http.Request) {
		patch = readBody(t, r)
		writeRaw(w, 200, `{"data":{"type":"appStoreVersionLocalizations","id":"L1","attributes":{"locale":"de-DE","keywords":"a,b","description":null,"whatsNew":null}}}`)
	})
	env.mux.HandleFunc("POST /v1/appInfoLocalizations", func(w http.ResponseWriter, r *http.Request) {
		post = readBody(t, r)
		writeRaw(w, 201, `{"data":{"type":"appInfoLocalizations","id":"I9","attributes":{"locale":"fr-FR","name":"Nom","subtitle":null}}}`)
	})
	kw := "a,b"
	loc, _, err := env.client.VersionLocalizations.Update(context.Background(), "L1", VersionLocalizationAttributes{Locale: "de-DE", Keywords: &kw})
	if err != nil {
		t.Fatal(err)
	}
	wantPatch := map[string]any{"data": map[string]any{"type": "appStoreVersionLocalizations", "id": "L1", "attributes": map[string]any{"keywords": "a,b"}}}
	if diff := cmp.Diff(wantPatch, patch); diff != "" {
		t.Errorf("PATCH body (-want +got):\n%s", diff)
	}
	if loc.Locale != "de-DE" || loc.Description != nil || *loc.Keywords != "a,b" {
		t.Errorf("answer decoded as %+v", loc)
	}
	name := "Nom"
	info, _, err := env.client.AppInfoLocalizations.Create(context.Background(), "AI1", AppInfoLocalizationAttributes{Locale: "fr-FR", Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	wantPost := map[string]any{"data": map[string]any{"type": "appInfoLocalizations",
		"attributes":    map[string]any{"locale": "fr-FR", "name": "Nom"},
		"relationships": map[string]any{"appInfo": map[string]any{"data": map[string]any{"type": "appInfos", "id": "AI1"}}}}}
	if diff := cmp.Diff(wantPost, post); diff != "" {
		t.Errorf("POST body (-want +got):\n%s", diff)
	}
	if info.ID != "I9" || info.Subtitle != nil {
		t.Errorf("created %+v", info)
	}
}

func TestPreviewReserveAndVideoState(t *testing.T) {
	env := setup(t)
	var body map[string]any
	env.mux.HandleFunc("POST /v1/appPreviews", func(w http.ResponseWriter, r *http.Request) {
		body = readBody(t, r)
		writeRaw(w, 201, `{"data":{"type":"appPreviews","id":"p1","attributes":{"fileName":"a.mov","fileSize":9,"mimeType":"video/quicktime","sourceFileChecksum":null,"videoUrl":null,"previewFrameImage":null,
		  "assetDeliveryState":{"state":"COMPLETE"},"videoDeliveryState":{"state":"AWAITING_UPLOAD","errors":[]},
		  "uploadOperations":[{"method":"PUT","url":"https://up.example.com/1","length":9,"offset":0,"requestHeaders":[{"name":"Content-Type","value":"video/quicktime"}]}]}}}`)
	})
	p, _, err := env.client.Previews.Reserve(context.Background(), "ps1", "a.MOV", 9)
	if err != nil {
		t.Fatal(err)
	}
	attrs := body["data"].(map[string]any)["attributes"].(map[string]any)
	if attrs["mimeType"] != "video/quicktime" || attrs["fileSize"] != float64(9) {
		t.Errorf("reserve attributes = %v", attrs)
	}
	if p.State != StateAwaitingUpload || len(p.UploadOperations) != 1 || *p.MimeType != "video/quicktime" {
		t.Errorf("preview decoded as %+v", p)
	}
}
