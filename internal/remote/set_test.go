package remote

import (
	"errors"
	"slices"
	"testing"

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
