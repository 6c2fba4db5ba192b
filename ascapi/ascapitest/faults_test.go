package ascapitest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFailNext(t *testing.T) {
	tests := []struct {
		name    string
		applied bool
		status  int
		wantN   int // screenshots in the set afterwards (3 seeded)
	}{
		{"refused 500 applies nothing", false, 500, 3},
		{"applied but answered 500", true, 500, 4},
		{"applied but answered 503", true, 503, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, false)
			set, _ := e.srv.ScreenshotSet("com.example.demo", "1.1", "en-US", "APP_IPHONE_67")
			e.srv.FailNext("POST", "/v1/appScreenshots", tc.status, tc.applied)
			if r := e.reserve(set.ID, "x.png", 100); r.status != tc.status || r.errCode() == "" {
				t.Fatalf("reserve = %d %s", r.status, r.raw)
			}
			got, _ := e.srv.ScreenshotSet("com.example.demo", "1.1", "en-US", "APP_IPHONE_67")
			if len(got.Assets) != tc.wantN {
				t.Errorf("set holds %d, want %d", len(got.Assets), tc.wantN)
			}
			if r := e.reserve(set.ID, "y.png", 100); r.status != 201 {
				t.Errorf("one-shot fault fired twice: %d", r.status)
			}
			if j := e.srv.APICalls(); j[len(j)-2].Fault != "fail_next" {
				t.Errorf("journal fault = %q", j[len(j)-2].Fault)
			}
		})
	}
}

func TestFailNextPatterns(t *testing.T) {
	e := start(t, false)
	_, _, locID := e.seeded("1.1", "en-US")
	e.srv.FailNext("PATCH", "/v1/appStoreVersionLocalizations/{id}", 500, true)
	r := e.do("PATCH", "/v1/appStoreVersionLocalizations/"+locID, resource("appStoreVersionLocalizations", locID, map[string]any{"keywords": "applied"}, nil))
	if r.status != 500 {
		t.Fatalf("= %d", r.status)
	}
	if got, _ := e.srv.VersionLocalization("com.example.demo", "1.1", "en-US"); got["keywords"] != "applied" {
		t.Errorf("applied write lost: %q", got["keywords"])
	}
	e.srv.FailNext("", "/v1/apps*", 503, false)
	if r := e.do("GET", "/v1/apps", nil); r.status != 503 || r.errCode() != "SERVICE_UNAVAILABLE" {
		t.Errorf("glob = %d %s", r.status, r.errCode())
	}
}

func TestDropConnections(t *testing.T) {
	e := start(t, false)
	e.srv.DropNext("GET", "/v1/apps")
	tok, _ := e.creds.Token(e.clock.Now())
	req, _ := http.NewRequest("GET", e.srv.URL()+"/v1/apps", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped request answered %d", resp.StatusCode)
	}
	e.must(200, "GET", "/v1/apps", nil)

	e.srv.SetFaults(Faults{DropConn: map[string]float64{"upload": 1}})
	setID := e.newSet("appScreenshotSets", "screenshotDisplayType", "APP_IPHONE_67")
	r := e.reserve(setID, "a.png", 10)
	if st := e.putPart(attr(r.data(), "uploadOperations").([]any)[0].(map[string]any), make([]byte, 10), ""); st != 0 {
		t.Errorf("dropped part answered %d", st)
	}
}

func TestUploadAndProcessingFaults(t *testing.T) {
	png := SamplePNG(1290, 2796, 3)
	t.Run("failing parts", func(t *testing.T) {
		e := start(t, true, func(s *Server) { s.Faults.FailParts = 2 })
		setID := e.newSet("appScreenshotSets", "screenshotDisplayType", "APP_IPHONE_67")
		op := attr(e.reserve(setID, "a.png", len(png)).data(), "uploadOperations").([]any)[0].(map[string]any)
		var got []int
		for i := 0; i < 3; i++ {
			got = append(got, e.putPart(op, png, ""))
		}
		if diff := cmp.Diff([]int{500, 500, 200}, got); diff != "" {
			t.Errorf("part statuses (-want +got):\n%s", diff)
		}
	})
	t.Run("upload part applied but answered 500", func(t *testing.T) {
		e := start(t, true)
		setID := e.newSet("appScreenshotSets", "screenshotDisplayType", "APP_IPHONE_67")
		e.srv.SetFaults(Faults{Applied5xx: map[string]float64{"upload": 1}})
		r := e.reserve(setID, "a.png", len(png))
		for _, op := range attr(r.data(), "uploadOperations").([]any) {
			if st := e.putPart(op.(map[string]any), png, ""); st != 500 {
				t.Fatalf("part = %d", st)
			}
		}
		e.srv.SetFaults(Faults{})
		if c := e.commit(id(r.data()), md5hex(png)); c.status != 200 {
			t.Errorf("commit after applied parts = %d %s", c.status, c.errDetail())
		}
	})
	t.Run("processing failure and stuck", func(t *testing.T) {
		e := start(t, true, func(s *Server) { s.Faults.Stuck = 1; s.Faults.ProcessingFail = 1; s.ProcessAfterReads = 1 })
		setID := e.newSet("appScreenshotSets", "screenshotDisplayType", "APP_IPHONE_67")
		stuck := e.upload("appScreenshots", "appScreenshotSet", "appScreenshotSets", setID, "1.png", png)
		failed := e.upload("appScreenshots", "appScreenshotSet", "appScreenshotSets", setID, "2.png", png)
		fine := e.upload("appScreenshots", "appScreenshotSet", "appScreenshotSets", setID, "3.png", png)
		e.clock.Advance(24 * time.Hour)
		for i := 0; i < 5; i++ {
			e.must(200, "GET", "/v1/appScreenshotSets/"+setID+"/appScreenshots", nil)
		}
		set, _ := e.srv.ScreenshotSet("com.example.demo", "1.1", "fr-FR", "APP_IPHONE_67")
		got := map[string]string{}
		for _, a := range set.Assets {
			got[a.ID] = a.State
		}
		want := map[string]string{stuck: "UPLOAD_COMPLETE", failed: "FAILED", fine: "COMPLETE"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("states (-want +got):\n%s", diff)
		}
	})
	t.Run("error rate is seeded", func(t *testing.T) {
		e := start(t, false)
		e.srv.SetFaults(Faults{ErrorRate: map[string]float64{"GET /v1/apps": 1}})
		if r := e.do("GET", "/v1/apps", nil); r.status != 500 {
			t.Errorf("rate 1 = %d", r.status)
		}
		appID, _ := e.srv.AppID("com.example.demo")
		if r := e.do("GET", "/v1/apps/"+appID, nil); r.status != 200 {
			t.Errorf("other endpoint = %d", r.status)
		}
		run := func() []int {
			e.srv.SetFaults(Faults{ErrorRate: map[string]float64{"GET /v1/apps": 0.5}, Seed: 7})
			var out []int
			for i := 0; i < 12; i++ {
				out = append(out, e.do("GET", "/v1/apps", nil).status)
			}
			return out
		}
		first, second := run(), run()
		if diff := cmp.Diff(first, second); diff != "" {
			t.Errorf("same seed, different outcomes:\n%s", diff)
		}
		if !strings.Contains(mustJSON(first), "500") || !strings.Contains(mustJSON(first), "200") {
			t.Errorf("rate 0.5 gave %v", first)
		}
	})
}

func TestParseFaults(t *testing.T) {
	tests := []struct {
		spec    string
		want    Faults
		wantErr string
	}{
		{spec: "", want: Faults{}},
		{spec: "latency=100ms;error_rate:POST /v1/appScreenshots=0.2;applied_500:PATCH /v1/appScreenshots=1;drop_conn:upload=1;fail_parts=1;processing_fail=1;stuck=1;seed=9",
			want: Faults{Latency: 100 * time.Millisecond, ErrorRate: map[string]float64{"POST /v1/appScreenshots": 0.2},
				Applied5xx: map[string]float64{"PATCH /v1/appScreenshots": 1}, DropConn: map[string]float64{"upload": 1},
				FailParts: 1, ProcessingFail: 1, Stuck: 1, Seed: 9}},
		{spec: "latency=soon", wantErr: "latency=soon"},
		{spec: "error_rate=0.5", wantErr: "ENDPOINT"},
		{spec: "error_rate:GET /v1/apps=2", wantErr: "probability"},
		{spec: "explode=1", wantErr: "unknown fault"},
		{spec: "stuck", wantErr: "name=value"},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			got, err := ParseFaults(tc.spec)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestJournal(t *testing.T) {
	e := start(t, false)
	e.must(200, "GET", "/v1/apps", nil)
	e.must(200, "GET", "/v1/apps?limit=1", nil)
	e.raw("GET", "/v1/apps", nil, "")
	if n := e.srv.CountAPI("GET", "/v1/apps"); n != 3 {
		t.Errorf("CountAPI = %d", n)
	}
	j := e.srv.APICalls()
	if j[1].Query != "limit=1" || j[1].Route != "/v1/apps" || j[2].Status != 401 || j[2].Authorization || !j[0].Authorization || j[0].KeyID != e.creds.KeyID {
		t.Errorf("journal = %+v", j)
	}
	e.srv.ResetJournal()
	if n := len(e.srv.Journal()); n != 0 {
		t.Errorf("after reset: %d", n)
	}
}

func TestJournalBodies(t *testing.T) {
	post := map[string]any{"data": map[string]any{"type": "apps", "attributes": map[string]any{"name": "MARKER-42"}}}
	for _, keep := range []bool{false, true} {
		e := start(t, false)
		e.srv.SetJournalBodies(keep)
		e.do("POST", "/v1/apps", post)
		got := e.srv.Containing([]byte("MARKER-42"))
		if keep && (len(got) != 1 || got[0].Method != "POST") || !keep && len(got) != 0 {
			t.Errorf("JournalBodies %v: Containing = %+v", keep, got)
		}
	}
}
