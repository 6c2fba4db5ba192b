package remote

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
)

// TestMediaReplacementFailsKeepsOld replaces screenshots of a live set with files that fail
// processing twice: the old screenshots stay (3, not 0), in their places (no reorder), and
// the failure is reported.
func TestMediaReplacementFailsKeepsOld(t *testing.T) {
	tests := []struct {
		name  string
		local func(t *testing.T) *local
		want  map[string]int
	}{
		// 3 uploads × 2 attempts, each placeholder deleted after its failure; no old one
		// deleted.
		{"all three", func(t *testing.T) *local {
			return newLocal(t).set(iphone, png("1.png", 7), png("2.png", 8), png("3.png", 9))
		}, map[string]int{reserveShot: 6, commitShot: 6, listShots: 2, deleteShot: 6}},
		{"the middle one", func(t *testing.T) *local {
			return newLocal(t).set(iphone, seeded(1), png("2.png", 8), seeded(3))
		}, map[string]int{reserveShot: 2, commitShot: 2, listShots: 2, deleteShot: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { replacementFails(t, tt.local(t), tt.want) })
	}
}

func replacementFails(t *testing.T, l *local, want map[string]int) {
	e := newEnv(t, withSim(func(s *ascapitest.Server) { s.Faults.ProcessingFail = 6 }))
	before, _ := e.sim.ScreenshotSet(demo, "1.1", "en-US", "APP_IPHONE_67")
	_, results := e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
	var pe *ProcessingError
	if err := results[0].Failed[iphone]; !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a ProcessingError", err)
	}
	wantCalls(t, e.sim, want)
	after, _ := e.sim.ScreenshotSet(demo, "1.1", "en-US", "APP_IPHONE_67")
	ids := func(si ascapitest.SetInfo) []string {
		var out []string
		for _, a := range si.Assets {
			out = append(out, a.ID)
		}
		return out
	}
	if !slices.Equal(ids(before), ids(after)) {
		t.Errorf("set after the failed replacement = %v, want the old %v", ids(after), ids(before))
	}
}

// TestMediaPollBackoff: a stuck asset, polled with the default schedule (at once, then 2 s,
// 4 s … 60 s), costs 15 reads until its 10-minute deadline instead of 301 at a fixed 2 s.
func TestMediaPollBackoff(t *testing.T) {
	e := newEnv(t, withSim(func(s *ascapitest.Server) { s.Faults.Stuck = 2 }))
	e.r.poll = newPollPolicy(0, 0, 0)
	l := newLocal(t).set(ipadSet, ipad("1.png", 1))
	_, results := e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
	var pe *ProcessingError
	if err := results[0].Failed[ipadSet]; !errors.As(err, &pe) || !pe.Stuck {
		t.Fatalf("err = %v, want a stuck ProcessingError", err)
	}
	wantCalls(t, e.sim, map[string]int{postSet: 1, reserveShot: 2, commitShot: 2, listShots: 30, deleteShot: 2})
}

func TestBackoffSchedule(t *testing.T) {
	b := newPollPolicy(0, 0, 0).backoff()
	var got []int
	for range 9 {
		got = append(got, int(b.wait().Seconds()))
	}
	if want := []int{0, 2, 4, 8, 16, 32, 60, 60, 60}; !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
}

// TestMediaFileWrittenDuringUpload: a file written in place during its upload (not
// saved by a rename, which leaves the opened file intact) fails its upload as changed, so it
// is uploaded again from the new content; its placeholder is deleted, nothing is committed.
func TestMediaFileWrittenDuringUpload(t *testing.T) {
	var l *local
	var once sync.Once
	e := newEnv(t, withTransport(func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/v1/appScreenshots") {
				once.Do(func() { // the file is open; its parts go next
					path := filepath.Join(l.dir, string(ipadSet), "1.png")
					f, err := os.OpenFile(path, os.O_WRONLY, 0)
					if err != nil {
						panic(err)
					}
					_, _ = f.WriteAt([]byte{0}, 100)
					f.Close()
					later := time.Now().Add(time.Minute)
					_ = os.Chtimes(path, later, later)
				})
			}
			return next.RoundTrip(req)
		})
	}))
	l = newLocal(t).set(ipadSet, ipad("1.png", 1))
	_, results := e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
	if err := results[0].Failed[ipadSet]; !errors.Is(err, ErrFileChanged) {
		t.Fatalf("err = %v, want ErrFileChanged", err)
	}
	wantCalls(t, e.sim, map[string]int{postSet: 1, reserveShot: 1, deleteShot: 1})
}
