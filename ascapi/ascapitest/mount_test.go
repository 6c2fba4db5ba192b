package ascapitest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMountedBelowPrefix serves the simulator below /prefix/ (as the client's tests do) and
// checks that links.next and upload URLs keep the prefix.
func TestMountedBelowPrefix(t *testing.T) {
	sim := &Server{}
	mux := http.NewServeMux()
	mux.Handle("/prefix/", http.StripPrefix("/prefix", sim))
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	e := &env{tb: t, srv: sim, clock: &fakeClock{}, creds: sim.Credentials()}
	e.clock.t = sim.now()
	appID, _ := sim.AppID("com.example.demo")
	r := e.raw("GET", hs.URL+"/prefix/v1/apps/"+appID+"/appStoreVersions?limit=1", nil, bearer(t, e))
	next, _ := r.doc["links"].(map[string]any)["next"].(string)
	if !strings.HasPrefix(next, hs.URL+"/prefix/v1/") {
		t.Fatalf("next = %q", next)
	}
	if r := e.raw("GET", next, nil, bearer(t, e)); r.status != 200 {
		t.Errorf("following next = %d", r.status)
	}
	self := r.list()[0]["links"].(map[string]any)["self"].(string)
	if !strings.HasPrefix(self, hs.URL+"/prefix/v1/appStoreVersions/") {
		t.Errorf("resource self = %q", self)
	}
}

func bearer(t *testing.T, e *env) string {
	tok, err := e.creds.Token(e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return "Bearer " + tok
}

// TestConformanceMiddleware wraps a handler (here a simulator without its own check) and
// checks what passes through.
func TestConformanceMiddleware(t *testing.T) {
	c, err := NewConformance()
	if err != nil {
		t.Fatal(err)
	}
	sim := &Server{}
	hs := httptest.NewServer(c.Middleware(sim))
	t.Cleanup(hs.Close)
	e := &env{tb: t, srv: sim, clock: &fakeClock{t: sim.now()}, creds: sim.Credentials()}
	e.raw("GET", hs.URL+"/v1/apps?filter[bundleId]=com.example.demo", nil, bearer(t, e))
	e.raw("GET", hs.URL+"/v1/apps?filter[bundel]=x", nil, bearer(t, e))
	if c.Checked() != 2 {
		t.Fatalf("checked %d exchanges, want 2", c.Checked())
	}
	v := c.Violations()
	if len(v) != 1 || !strings.Contains(v[0].Problem, "filter[bundel]") {
		t.Errorf("violations = %v, want only the misspelt parameter", v)
	}
}
