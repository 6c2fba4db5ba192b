package remote

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/plan"
)

const ipadSet = plan.Key("en-US/screenshot/APP_IPAD_PRO_3GEN_129")

func ipadLocal(t *testing.T, n int) *local {
	var files []localFile
	for i := 1; i <= n; i++ {
		files = append(files, ipad(fmt.Sprintf("%d.png", i), i))
	}
	return newLocal(t).set(ipadSet, files...)
}

// TestMediaFaults injects Apple's failure modes into a push of a new set of 3 and checks the
// calls made and that the remote set ends exactly equal to the folder: no duplicate, nothing
// lost.
func TestMediaFaults(t *testing.T) {
	base := map[string]int{postSet: 1, reserveShot: 3, commitShot: 3, listShots: 1}
	with := func(changes map[string]int) map[string]int {
		out := map[string]int{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range changes {
			out[k] = v
		}
		return out
	}
	tests := []struct {
		name   string
		faults ascapitest.Faults
		inject func(sim *ascapitest.Server)
		want   map[string]int
	}{
		{"reservation created but answered 503 is reused", ascapitest.Faults{}, func(sim *ascapitest.Server) {
			sim.FailNext(http.MethodPost, "/v1/appScreenshots", 503, true)
		}, with(map[string]int{listShots: 2})},
		{"reservation answered 500 and not created is sent again", ascapitest.Faults{}, func(sim *ascapitest.Server) {
			sim.FailNext(http.MethodPost, "/v1/appScreenshots", 500, false)
		}, with(map[string]int{listShots: 2, reserveShot: 4})},
		{"commit applied but answered 500 is re-read, not re-sent", ascapitest.Faults{}, func(sim *ascapitest.Server) {
			sim.FailNext(http.MethodPatch, "/v1/appScreenshots/{id}", 500, true)
		}, with(map[string]int{getShot: 1})},
		{"commit not applied and answered 500 is sent once more", ascapitest.Faults{}, func(sim *ascapitest.Server) {
			sim.FailNext(http.MethodPatch, "/v1/appScreenshots/{id}", 500, false)
		}, with(map[string]int{getShot: 1, commitShot: 4})},
		{"dropped connection mid-part is re-sent by the uploader", ascapitest.Faults{}, func(sim *ascapitest.Server) {
			sim.DropNext(http.MethodPut, "upload")
			sim.FailNext(http.MethodPut, "upload", 500, false)
		}, base},
		{"429 storm is waited out", ascapitest.Faults{}, func(sim *ascapitest.Server) {
			for range 3 {
				sim.FailNext(http.MethodPost, "/v1/appScreenshots", 429, false)
			}
			sim.FailNext(http.MethodPatch, "/v1/appScreenshots/{id}", 429, false)
			sim.FailNext(http.MethodPatch, "/v1/appScreenshots/{id}", 429, false)
			sim.FailNext(http.MethodGet, "/v1/appScreenshotSets/{id}/appScreenshots", 429, false)
		}, with(map[string]int{reserveShot: 6, commitShot: 5, listShots: 2})},
		{"processing failure is retried once", ascapitest.Faults{ProcessingFail: 1}, nil,
			with(map[string]int{listShots: 2, deleteShot: 1, reserveShot: 4, commitShot: 4, reorderSet: 1})},
		{"stuck processing is deleted and retried after the deadline", ascapitest.Faults{Stuck: 1}, nil,
			with(map[string]int{listShots: 12, deleteShot: 1, reserveShot: 4, commitShot: 4, reorderSet: 1})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withSim(func(s *ascapitest.Server) { s.Faults = tt.faults }))
			if tt.inject != nil {
				tt.inject(e.sim)
			}
			l := ipadLocal(t, 3)
			_, results := e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
			wantDone(t, results)
			wantCalls(t, e.sim, tt.want)
			wantSet(t, e.sim, l, ipadSet)
		})
	}
}

func TestMediaProcessingFailsTwice(t *testing.T) {
	tests := []struct {
		name     string
		faults   ascapitest.Faults
		file     localFile
		wantCode string
		stuck    bool
	}{
		{"tool failure", ascapitest.Faults{ProcessingFail: 2}, ipad("1.png", 1), "IMAGE_TOOL_FAILURE", false},
		{"wrong dimensions", ascapitest.Faults{}, png("1.png", 1), "IMAGE_INCORRECT_DIMENSIONS", false},
		{"stuck twice", ascapitest.Faults{Stuck: 2}, ipad("1.png", 1), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withSim(func(s *ascapitest.Server) { s.Faults = tt.faults }))
			l := newLocal(t).set(ipadSet, tt.file)
			_, results := e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
			var pe *ProcessingError
			err := results[0].Failed[ipadSet]
			if !errors.As(err, &pe) || pe.Stuck != tt.stuck || (tt.wantCode != "" && (len(pe.Codes) != 1 || pe.Codes[0] != tt.wantCode)) {
				t.Fatalf("err = %v, want a ProcessingError %q stuck=%v", err, tt.wantCode, tt.stuck)
			}
			if tt.wantCode != "" && !strings.Contains(err.Error(), tt.wantCode) {
				t.Errorf("message %q lacks Apple's code", err)
			}
			calls := apiCalls(e.sim)
			if calls[reserveShot] != 2 || calls[commitShot] != 2 || calls[deleteShot] != 2 {
				t.Errorf("calls = %v, want 2 reserves, 2 commits, 2 deletes", calls)
			}
			if si, _ := e.sim.ScreenshotSet(demo, "1.1", "en-US", "APP_IPAD_PRO_3GEN_129"); len(si.Assets) != 0 {
				t.Errorf("set holds %v, want nothing left behind", si.Assets)
			}
		})
	}
}

// TestMediaFullSetSwap replaces all 10 screenshots of a full set: one slot at a time, so the
// set never holds more than 10 and ends equal to the folder.
func TestMediaFullSetSwap(t *testing.T) {
	e := newEnv(t)
	var old, fresh []localFile
	for i := 1; i <= 10; i++ {
		old = append(old, png(fmt.Sprintf("%02d.png", i), i))
		fresh = append(fresh, png(fmt.Sprintf("%02d.png", i), 100+i))
	}
	l := newLocal(t).set(iphone, old...)
	_, results := e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
	wantDone(t, results)
	wantSet(t, e.sim, l, iphone)

	l.set(iphone, fresh...)
	_, results = e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
	wantDone(t, results)
	// One read per swap: the next old screenshot goes only once the previous replacement is
	// COMPLETE, so a replacement that fails processing costs one slot, never the set.
	wantCalls(t, e.sim, map[string]int{deleteShot: 10, reserveShot: 10, commitShot: 10, listShots: 10})
	for _, en := range e.sim.APICalls() {
		if en.Method == http.MethodPost && en.Status != http.StatusCreated {
			t.Errorf("reservation refused: %d (the set went over 10?)", en.Status)
		}
	}
	wantSet(t, e.sim, l, iphone)
}

// TestMediaVersionLeavesEditableState submits the version for review between two uploads: the
// set key fails as held, nothing is lost, and once the version is editable again the next
// push resumes the interrupted upload from the journal instead of reserving a duplicate.
func TestMediaVersionLeavesEditableState(t *testing.T) {
	var sim atomic.Pointer[ascapitest.Server]
	var reserves atomic.Int32
	e := newEnv(t, withJournal(), withTransport(func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(req)
			if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/v1/appScreenshots") && reserves.Add(1) == 2 {
				if err := sim.Load().SetVersionState(demo, "1.1", "WAITING_FOR_REVIEW"); err != nil {
					panic(err)
				}
			}
			return resp, err
		})
	}))
	sim.Store(e.sim)
	e.r.setPar = 1 // one upload at a time, so the version changes between two of them exactly
	l := ipadLocal(t, 3)
	_, results := e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
	var vse *VersionStateError
	err := results[0].Failed[ipadSet]
	if !errors.As(err, &vse) || err.Error() != "held: version 1.1 is now WAITING_FOR_REVIEW" {
		t.Fatalf("err = %v, want held: version 1.1 is now WAITING_FOR_REVIEW", err)
	}
	if n := len(results[0].Done); n != 0 {
		t.Errorf("done = %v", results[0].Done)
	}
	si, _ := e.sim.ScreenshotSet(demo, "1.1", "en-US", "APP_IPAD_PRO_3GEN_129")
	if len(si.Assets) != 2 || si.Assets[1].State != ascapi.StateAwaitingUpload {
		t.Fatalf("set after the interruption = %+v, want the first upload and one placeholder", si.Assets)
	}
	ups, _ := e.journal.Find(context.Background(), demo, ipadSet)
	if len(ups) != 2 {
		t.Fatalf("journal holds %d reservations, want 2", len(ups))
	}

	if err := e.sim.SetVersionState(demo, "1.1", "PREPARE_FOR_SUBMISSION"); err != nil {
		t.Fatal(err)
	}
	_, results = e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
	wantDone(t, results)
	// The placeholder's parts are sent again and committed: no delete, one new reservation.
	wantCalls(t, e.sim, map[string]int{commitShot: 2, reserveShot: 1, listShots: 1})
	wantSet(t, e.sim, l, ipadSet)
	if ups, _ := e.journal.Find(context.Background(), demo, ""); len(ups) != 0 {
		t.Errorf("journal still holds %+v", ups)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestMediaJournalMismatch: a journaled placeholder whose file changed is deleted, not resumed.
func TestMediaJournalMismatch(t *testing.T) {
	e := newEnv(t, withJournal())
	ctx := context.Background()
	l := ipadLocal(t, 1)
	snap, err := e.r.Fetch(ctx, e.app, Scope{MediaLocales: []string{"en-US"}})
	if err != nil {
		t.Fatal(err)
	}
	set, _, err := e.r.c.ScreenshotSets.Create(ctx, snap.Resources.VersionLocalizations["en-US"], "APP_IPAD_PRO_3GEN_129")
	if err != nil {
		t.Fatal(err)
	}
	old := ipad("1.png", 7).data
	shot, _, err := e.r.c.Screenshots.Reserve(ctx, set.ID, "1.png", int64(len(old)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.journal.Record(ctx, Reservation{App: demo, Set: ipadSet, AssetID: shot.ID, FileName: "1.png",
		FileSize: int64(len(old)), Checksum: sum(old), State: Reserved}); err != nil {
		t.Fatal(err)
	}
	_, results := e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
	wantDone(t, results)
	wantCalls(t, e.sim, map[string]int{deleteShot: 1, reserveShot: 1, commitShot: 1, listShots: 1})
	wantSet(t, e.sim, l, ipadSet)
	if ups, _ := e.journal.Find(ctx, demo, ""); len(ups) != 0 {
		t.Errorf("journal still holds %+v", ups)
	}
}

func TestMediaFileChangedSincePlan(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	l := newLocal(t).set(iphone, seeded(1), png("2.png", 9), seeded(3))
	snap, err := e.r.Fetch(ctx, e.app, Scope{MediaLocales: []string{"en-US"}})
	if err != nil {
		t.Fatal(err)
	}
	p := planFor(snap, l, baseOf(snap))
	if err := os.WriteFile(filepath.Join(l.dir, string(iphone), "2.png"), png("2.png", 10).data, 0o644); err != nil {
		t.Fatal(err)
	}
	e.sim.ResetJournal()
	results := e.applyAll(t, snap, p, l)
	if err := results[0].Failed[iphone]; !errors.Is(err, ErrFileChanged) || !strings.Contains(err.Error(), "file changed since plan, will retry") {
		t.Errorf("err = %v, want ErrFileChanged", err)
	}
	wantCalls(t, e.sim, map[string]int{})
}

// TestFetchStuckAsset: an asset the journal says was committed longer ago than the deadline is
// reported FAILED, so the plan cleans it up instead of waiting for it.
func TestFetchStuckAsset(t *testing.T) {
	e := newEnv(t, withJournal(), withSim(func(s *ascapitest.Server) { s.Faults.Stuck = 1 }))
	ctx := context.Background()
	l := ipadLocal(t, 1)
	snap, err := e.r.Fetch(ctx, e.app, Scope{MediaLocales: []string{"en-US"}})
	if err != nil {
		t.Fatal(err)
	}
	set, _, err := e.r.c.ScreenshotSets.Create(ctx, snap.Resources.VersionLocalizations["en-US"], "APP_IPAD_PRO_3GEN_129")
	if err != nil {
		t.Fatal(err)
	}
	f := l.sets[ipadSet][0]
	shot, _, err := e.r.c.Screenshots.Reserve(ctx, set.ID, f.name, int64(len(f.data)))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.r.c.Upload(ctx, shot.UploadOperations, strings.NewReader(string(f.data))); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.r.c.Screenshots.Commit(ctx, shot.ID, sum(f.data)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.journal.Record(ctx, Reservation{App: demo, Set: ipadSet, AssetID: shot.ID, FileName: f.name,
		FileSize: int64(len(f.data)), Checksum: sum(f.data), State: Committed}); err != nil {
		t.Fatal(err)
	}
	state := func() string {
		s, err := e.r.Fetch(ctx, e.app, Scope{MediaLocales: []string{"en-US"}})
		if err != nil {
			t.Fatal(err)
		}
		return s.Assets[shot.ID].State
	}
	if got := state(); got != ascapi.StateUploadComplete {
		t.Errorf("before the deadline: %s, want UPLOAD_COMPLETE", got)
	}
	_ = e.clock.Sleep(ctx, 11*60e9)
	if got := state(); got != plan.StateFailed {
		t.Errorf("after the deadline: %s, want FAILED", got)
	}
	_, results := e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
	wantDone(t, results)
	wantSet(t, e.sim, l, ipadSet)
}

// TestMediaResume covers a daemon that died after reserving: the next push re-sends the parts
// of the journaled placeholder and commits it, or, when its upload URLs have expired, deletes
// it and reserves anew. Never a duplicate.
func TestMediaResume(t *testing.T) {
	tests := []struct {
		name    string
		advance time.Duration
		want    map[string]int
	}{
		{"placeholder resumed", 0, map[string]int{commitShot: 1, listShots: 1}},
		{"expired upload URLs: deleted and reserved anew", 2 * time.Hour,
			map[string]int{deleteShot: 1, reserveShot: 1, commitShot: 1, listShots: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withJournal(), withSim(func(s *ascapitest.Server) { s.UploadExpiry = time.Hour }))
			ctx := context.Background()
			l := ipadLocal(t, 1)
			f := l.sets[ipadSet][0]
			snap, err := e.r.Fetch(ctx, e.app, Scope{MediaLocales: []string{"en-US"}})
			if err != nil {
				t.Fatal(err)
			}
			set, _, err := e.r.c.ScreenshotSets.Create(ctx, snap.Resources.VersionLocalizations["en-US"], "APP_IPAD_PRO_3GEN_129")
			if err != nil {
				t.Fatal(err)
			}
			shot, _, err := e.r.c.Screenshots.Reserve(ctx, set.ID, f.name, int64(len(f.data)))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.journal.Record(ctx, Reservation{App: demo, Set: ipadSet, AssetID: shot.ID, FileName: f.name,
				FileSize: int64(len(f.data)), Checksum: sum(f.data), State: Reserved}); err != nil {
				t.Fatal(err)
			}
			_ = e.clock.Sleep(ctx, tt.advance) // the daemon was down this long
			_, results := e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
			wantDone(t, results)
			wantCalls(t, e.sim, tt.want)
			wantSet(t, e.sim, l, ipadSet)
			if ups, _ := e.journal.Find(ctx, demo, ""); len(ups) != 0 {
				t.Errorf("journal still holds %+v", ups)
			}
		})
	}
}

// TestMediaFullSetResumeInterrupted: a swap of a full set was interrupted after it deleted one
// old screenshot and reserved a later file. The push resumes the placeholder and frees a slot
// before each upload, never asking for an 11th.
func TestMediaFullSetResumeInterrupted(t *testing.T) {
	e := newEnv(t, withJournal())
	ctx := context.Background()
	var old, fresh []localFile
	for i := 1; i <= 10; i++ {
		old = append(old, png(fmt.Sprintf("%02d.png", i), i))
		fresh = append(fresh, png(fmt.Sprintf("%02d.png", i), 200+i))
	}
	l := newLocal(t).set(iphone, old...)
	_, results := e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
	wantDone(t, results)

	si, _ := e.sim.ScreenshotSet(demo, "1.1", "en-US", "APP_IPHONE_67")
	if _, err := e.r.c.Screenshots.Delete(ctx, si.Assets[0].ID); err != nil {
		t.Fatal(err)
	}
	f := fresh[4]
	shot, _, err := e.r.c.Screenshots.Reserve(ctx, si.ID, f.name, int64(len(f.data)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.journal.Record(ctx, Reservation{App: demo, Set: iphone, AssetID: shot.ID, FileName: f.name,
		FileSize: int64(len(f.data)), Checksum: sum(f.data), State: Reserved}); err != nil {
		t.Fatal(err)
	}

	l.set(iphone, fresh...)
	_, results = e.applyMeasured(t, l, Scope{MediaLocales: []string{"en-US"}})
	wantDone(t, results)
	calls := apiCalls(e.sim)
	if calls[reserveShot] != 9 || calls[deleteShot] != 9 || calls[commitShot] != 10 {
		t.Errorf("calls = %v, want 9 reserves, 9 deletes, 10 commits", calls)
	}
	for _, en := range e.sim.APICalls() {
		if en.Method == http.MethodPost && en.Status != http.StatusCreated {
			t.Errorf("reservation refused: %d (the set went over 10?)", en.Status)
		}
	}
	wantSet(t, e.sim, l, iphone)
}
