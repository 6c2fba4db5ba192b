package ascapitest

import (
	"strings"
	"testing"
)

// TestBadBodiesNeverPanic sends malformed documents to every write route: each must be
// answered with a 4xx error document (a panic would leave the server's lock held).
func TestBadBodiesNeverPanic(t *testing.T) {
	e := start(t, false)
	set, _ := e.srv.ScreenshotSet("com.example.demo", "1.1", "en-US", "APP_IPHONE_67")
	bodies := []string{``, `null`, `{}`, `[]`, `{"data":null}`, `{"data":[]}`, `{"data":{"type":"x"}}`,
		`{"data":{"type":"%T","id":"%I"}}`, `{"data":{"type":"%T","id":"%I","attributes":{"fileSize":-1,"uploaded":"yes","locale":7}}}`,
		`{"data":{"type":"%T","attributes":{},"relationships":{"app":{"data":null},"appScreenshotSet":{"data":{"type":"appScreenshotSets","id":"nope"}}}}}`,
		`{"data":[{"type":"%A","id":"nope"}]}`, `{"data":[{"type":"%A"}]}`}
	for _, rt := range routes {
		if !rt.write {
			continue
		}
		typ := strings.Split(strings.TrimPrefix(rt.pattern, "/v1/"), "/")[0]
		path := strings.Replace(rt.pattern, "{id}", set.ID, 1)
		if strings.Contains(rt.pattern, "{id}") && !strings.HasPrefix(rt.pattern, "/v1/appScreenshotSets/") {
			path = strings.Replace(rt.pattern, "{id}", "missing", 1)
		}
		for _, b := range bodies {
			b = strings.NewReplacer("%T", typ, "%I", "missing", "%A", "appScreenshots").Replace(b)
			r := e.do(rt.method, path, rawJSON(b))
			deleted := rt.method == "DELETE" && r.status == 204
			if r.status >= 500 || (r.status < 400 && !deleted) {
				t.Errorf("%s %s %s = %d %s", rt.method, path, b, r.status, r.raw)
			}
		}
	}
	e.must(200, "GET", "/v1/apps", nil) // still serving
}

// rawJSON is a request body sent verbatim.
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) {
	if r == "" {
		return []byte("null"), nil
	}
	return []byte(r), nil
}
