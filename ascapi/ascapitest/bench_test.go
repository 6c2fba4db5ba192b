package ascapitest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// benchServer is a zero-value simulator driven through ServeHTTP (no network), so the
// figures measure the simulator, not the loopback stack.
func benchServer(b *testing.B) (*Server, string) {
	b.Helper()
	s := &Server{}
	tok, err := s.Credentials().Token(time.Now())
	if err != nil {
		b.Fatal(err)
	}
	return s, "Bearer " + tok
}

func serve(b *testing.B, s *Server, auth, method, target string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	req.Header.Set("Authorization", auth)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code >= 300 {
		b.Fatalf("%s %s = %d %s", method, target, rec.Code, rec.Body.String())
	}
	return rec
}

// BenchmarkListScreenshotSets is the remote snapshot's hottest read: a localization's sets
// with their screenshots included.
func BenchmarkListScreenshotSets(b *testing.B) {
	s, auth := benchServer(b)
	s.RateLimit = 1 << 30
	set, _ := s.ScreenshotSet("com.example.demo", "1.1", "en-US", "APP_IPHONE_67")
	s.mu.Lock()
	loc := s.sets[set.ID].locID
	s.mu.Unlock()
	target := "/v1/appStoreVersionLocalizations/" + loc + "/appScreenshotSets?include=appScreenshots&limit[appScreenshots]=50"
	b.ReportAllocs()
	for b.Loop() {
		serve(b, s, auth, "GET", target, nil)
	}
}

// BenchmarkPatchLocalization is one text PATCH with its rule checks.
func BenchmarkPatchLocalization(b *testing.B) {
	s, auth := benchServer(b)
	s.RateLimit = 1 << 30
	s.mu.Lock()
	var loc string
	for id, l := range s.versionLocs {
		if l.locale == "de-DE" && s.versions[l.versionID].versionString == "1.1" {
			loc = id
		}
	}
	s.mu.Unlock()
	body := []byte(`{"data":{"type":"appStoreVersionLocalizations","id":"` + loc + `","attributes":{"keywords":"a,b,c","description":"Hallo"}}}`)
	b.ReportAllocs()
	for b.Loop() {
		serve(b, s, auth, "PATCH", "/v1/appStoreVersionLocalizations/"+loc, body)
	}
}

// BenchmarkConformanceCheck is the cost conformance adds to one exchange (a list with
// included screenshots, checked request and response).
func BenchmarkConformanceCheck(b *testing.B) {
	s, auth := benchServer(b)
	set, _ := s.ScreenshotSet("com.example.demo", "1.1", "en-US", "APP_IPHONE_67")
	s.mu.Lock()
	loc := s.sets[set.ID].locID
	s.mu.Unlock()
	target := "/v1/appStoreVersionLocalizations/" + loc + "/appScreenshotSets?include=appScreenshots"
	rec := serve(b, s, auth, "GET", target, nil)
	c, err := NewConformance()
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("GET", target, nil)
	b.ReportAllocs()
	for b.Loop() {
		c.Check(req, nil, http.StatusOK, rec.Header(), rec.Body.Bytes())
	}
	if v := c.Violations(); len(v) > 0 {
		b.Fatalf("violations: %v", v)
	}
}

// BenchmarkDownloadRender is one re-encoded 1290×2796 PNG download.
func BenchmarkDownloadRender(b *testing.B) {
	png := SamplePNG(1290, 2796, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := render(png, 0, 0, "png"); err != nil {
			b.Fatal(err)
		}
	}
}
