package ascapitest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStateSurvivesARestart(t *testing.T) {
	e := start(t, true)
	_, versionID, locID := e.seeded("1.1", "en-US")
	e.must(200, "PATCH", "/v1/appStoreVersionLocalizations/"+locID, resource(typeVersionLocs, locID, map[string]any{"keywords": "kept,across,restarts"}, nil))
	set := e.must(201, "POST", "/v1/appScreenshotSets", resource(typeScreenshotSet, "", map[string]any{"screenshotDisplayType": "APP_IPHONE_65"},
		map[string][2]string{"appStoreVersionLocalization": {typeVersionLocs, locID}}))
	e.upload(typeScreenshots, "appScreenshotSet", typeScreenshotSet, id(set.data()), "a.png", SamplePNG(1242, 2688, 7))
	// A reservation left half-way, to resume after the restart.
	half := e.must(201, "POST", "/v1/appScreenshots", resource(typeScreenshots, "", map[string]any{"fileName": "b.png", "fileSize": len(SamplePNG(1242, 2688, 8))},
		map[string][2]string{"appScreenshotSet": {typeScreenshotSet, id(set.data())}}))
	path := filepath.Join(t.TempDir(), "sim.json")
	if err := e.srv.SaveState(path); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v %v", fi, err)
	}

	again := start(t, true)
	if ok, err := again.srv.LoadState(path); !ok || err != nil {
		t.Fatalf("LoadState = %v, %v", ok, err)
	}
	for _, p := range []string{
		"/v1/appStoreVersions/" + versionID + "/appStoreVersionLocalizations?include=appScreenshotSets",
		"/v1/appScreenshotSets/" + id(set.data()) + "/appScreenshots",
	} {
		before := strings.ReplaceAll(string(e.must(200, "GET", p, nil).raw), e.srv.URL(), "")
		after := strings.ReplaceAll(string(again.must(200, "GET", p, nil).raw), again.srv.URL(), "")
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("GET %s differs after the restart (-before +after):\n%s", p, diff)
		}
	}
	// The half-done upload goes on with the URLs from before the restart (on the new port).
	var moved map[string]any
	if err := json.Unmarshal([]byte(strings.ReplaceAll(string(half.raw), e.srv.URL(), again.srv.URL())), &moved); err != nil {
		t.Fatal(err)
	}
	again.putParts(moved["data"].(map[string]any), SamplePNG(1242, 2688, 8))
	again.must(200, "PATCH", "/v1/appScreenshots/"+id(half.data()), resource(typeScreenshots, id(half.data()),
		map[string]any{"uploaded": true, "sourceFileChecksum": md5hex(SamplePNG(1242, 2688, 8))}, nil))
	// New IDs do not collide with the restored ones.
	loc := again.must(201, "POST", "/v1/appStoreVersionLocalizations", resource(typeVersionLocs, "", map[string]any{"locale": "fr-FR"},
		map[string][2]string{"appStoreVersion": {typeVersions, versionID}}))
	if strings.Contains(string(e.must(200, "GET", "/v1/appStoreVersions/"+versionID+"/appStoreVersionLocalizations", nil).raw), id(loc.data())) {
		t.Errorf("new id %s was already in use before the restart", id(loc.data()))
	}
}

func TestLoadStateErrors(t *testing.T) {
	dir := t.TempDir()
	srv := &Server{}
	if ok, err := srv.LoadState(filepath.Join(dir, "absent.json")); ok || err != nil {
		t.Errorf("absent file: %v, %v; want false, nil (start from the seed)", ok, err)
	}
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte(`{"format":1,"apps":[{"ID":"1","Versions":["nope"]}]}`), 0o600)
	if _, err := srv.LoadState(bad); err == nil || !strings.Contains(err.Error(), "bad.json") || !strings.Contains(err.Error(), "nope") {
		t.Errorf("dangling reference: err = %v", err)
	}
	_ = os.WriteFile(bad, []byte(`{"format":9}`), 0o600)
	if _, err := srv.LoadState(bad); err == nil || !strings.Contains(err.Error(), "format 9") {
		t.Errorf("unknown format: err = %v", err)
	}
	if _, ok := srv.AppID("com.example.demo"); !ok {
		t.Error("a failed load changed the seeded data")
	}
}
