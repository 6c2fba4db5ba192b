package ascapitest

import (
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentClients runs reads, text writes and uploads from several goroutines (run
// with -race) and checks that every write landed.
func TestConcurrentClients(t *testing.T) {
	e := start(t, true, func(s *Server) { s.ProcessAfterReads = 1 })
	_, vID, _ := e.seeded("1.1", "en-US")
	locales := []string{"fr-FR", "it", "es-ES", "ko"}
	var wg sync.WaitGroup
	for i, loc := range locales {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.do("POST", "/v1/appStoreVersionLocalizations", resource("appStoreVersionLocalizations", "",
				map[string]any{"locale": loc}, map[string][2]string{"appStoreVersion": {"appStoreVersions", vID}}))
			if r.status != 201 {
				t.Errorf("%s: create = %d", loc, r.status)
				return
			}
			lid := id(r.data())
			for n := 0; n < 5; n++ {
				kw := fmt.Sprintf("k%d,%s", n, loc)
				if r := e.do("PATCH", "/v1/appStoreVersionLocalizations/"+lid, resource("appStoreVersionLocalizations", lid, map[string]any{"keywords": kw}, nil)); r.status != 200 {
					t.Errorf("%s: patch = %d", loc, r.status)
				}
				e.do("GET", "/v1/appStoreVersions/"+vID+"/appStoreVersionLocalizations?include=appScreenshotSets", nil)
			}
			set := e.do("POST", "/v1/appScreenshotSets", resource("appScreenshotSets", "", map[string]any{"screenshotDisplayType": "APP_IPHONE_67"},
				map[string][2]string{"appStoreVersionLocalization": {"appStoreVersionLocalizations", lid}}))
			e.upload("appScreenshots", "appScreenshotSet", "appScreenshotSets", id(set.data()), "1.png", SamplePNG(1290, 2796, i))
		}()
	}
	wg.Wait()
	for i, loc := range locales {
		got, _ := e.srv.VersionLocalization("com.example.demo", "1.1", loc)
		if got["keywords"] != "k4,"+loc {
			t.Errorf("%s keywords = %q", loc, got["keywords"])
		}
		set, _ := e.srv.ScreenshotSet("com.example.demo", "1.1", loc, "APP_IPHONE_67")
		if len(set.Assets) != 1 || set.Assets[0].Checksum != md5hex(SamplePNG(1290, 2796, i)) {
			t.Errorf("%s set = %+v", loc, set)
		}
	}
}
