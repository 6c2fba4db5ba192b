package main

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// Routes of the simulator the budgets are counted on.
const (
	routeVersionLoc = "/v1/appStoreVersionLocalizations/{id}"
	routeSets       = "/v1/appScreenshotSets"
	routeShots      = "/v1/appScreenshots"
	routeShot       = "/v1/appScreenshots/{id}"
	routeSetLinkage = "/v1/appScreenshotSets/{id}/relationships/appScreenshots"
	shotW, shotH    = 396, 484 // APP_WATCH_SERIES_7: small, so the simulator re-encodes fast
	demoEditable    = "1.1"
)

func TestPushOneKeywordIsOnePatch(t *testing.T) {
	e := newSyncEnv(t).added()
	e.write("keyword/de-DE.txt", []byte("planer,aufgaben,kalender\n"))
	exit, out, progress := e.run("push")
	if exit != 0 || !strings.Contains(out, "updated   de-DE/keyword") {
		t.Errorf("push: exit %d\n%s", exit, out)
	}
	// Not on a terminal: progress is plain lines on stderr, no bar.
	if progress != "updated de-DE/keyword\n" {
		t.Errorf("progress on stderr = %q", progress)
	}
	if diff := cmp.Diff([]string{"PATCH " + routeVersionLoc}, e.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	// versions, localizations (with how many sets each has), app infos, the PATCH, and the
	// screenshot sets of each of the 3 locales with managed screenshots (they have no preview
	// sets: none is listed), so that push looked at every key it reports on.
	if n := len(e.sim.APICalls()); n != 4+3 {
		t.Errorf("push made %d API calls; want %d: %v", n, 4+3, e.sim.APICalls())
	}
	attrs, _ := e.sim.VersionLocalization(testBundle, demoEditable, "de-DE")
	if attrs["keywords"] != "planer,aufgaben,kalender" {
		t.Errorf("remote keywords = %q", attrs["keywords"])
	}

	// Pushing again changes nothing.
	e.sim.ResetJournal()
	out = e.mustRun("push")
	if len(e.writes()) != 0 || !strings.Contains(out, "nothing to push") {
		t.Errorf("second push wrote %v:\n%s", e.writes(), out)
	}
}

func TestPushUnchangedWritesNothing(t *testing.T) {
	e := newSyncEnv(t).added()
	exit, out, _ := e.run("--json", "push")
	if exit != 0 {
		t.Fatalf("push: exit %d\n%s", exit, out)
	}
	var res engine.PushReport
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Pushed)+len(res.Pulled)+len(res.Failed) != 0 || len(e.writes()) != 0 {
		t.Errorf("unchanged push did %+v, writes %v", res, e.writes())
	}
}

func TestPushScreenshotBudgets(t *testing.T) {
	e := newSyncEnv(t).added()
	const folderShots = "screenshot/de-DE/APP_WATCH_SERIES_7/"
	tests := []struct {
		name   string
		edit   func()
		counts map[string]int // "METHOD route" → exact count
		// maxReorder is the most reorders allowed (completion order decides where uploads land).
		maxReorder int
		want       func() []string // the remote checksums of the set afterwards
		set        string
	}{
		{
			name: "new set of 4",
			edit: func() {
				for i := 1; i <= 4; i++ {
					e.write(fmt.Sprintf("screenshot/de-DE/APP_WATCH_SERIES_4/%d.png", i), ascapitest.SamplePNG(368, 448, 10+i))
				}
			},
			counts:     map[string]int{"POST " + routeSets: 1, "POST " + routeShots: 4, "PATCH " + routeShot: 4, "DELETE " + routeShot: 0},
			maxReorder: 1,
			set:        "APP_WATCH_SERIES_4",
			want: func() []string {
				var out []string
				for i := 1; i <= 4; i++ {
					out = append(out, md5hex(ascapitest.SamplePNG(368, 448, 10+i)))
				}
				return out
			},
		},
		{
			name: "one screenshot replaced",
			edit: func() { e.write(folderShots+"02_2.png", ascapitest.SamplePNG(shotW, shotH, 42)) },
			counts: map[string]int{"POST " + routeSets: 0, "POST " + routeShots: 1, "PATCH " + routeShot: 1,
				"DELETE " + routeShot: 1},
			maxReorder: 1,
			set:        "APP_WATCH_SERIES_7",
		},
		{
			name: "renamed for a new order",
			edit: func() {
				if err := os.Rename(e.path("main", folderShots+"01_1.png"), e.path("main", folderShots+"04_1.png")); err != nil {
					t.Fatal(err)
				}
			},
			counts: map[string]int{"POST " + routeSets: 0, "POST " + routeShots: 0, "PATCH " + routeShot: 0,
				"DELETE " + routeShot: 0, "PATCH " + routeSetLinkage: 1},
			maxReorder: 1,
			set:        "APP_WATCH_SERIES_7",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.edit()
			localBefore := e.localChecksums("main", "screenshot/de-DE/"+tc.set)
			e.sim.ResetJournal()
			e.mustRun("push")
			for call, want := range tc.counts {
				method, route, _ := strings.Cut(call, " ")
				if got := e.count(method, route); got != want {
					t.Errorf("%s: %d; want %d", call, got, want)
				}
			}
			if got := e.count("PATCH", routeSetLinkage); got > tc.maxReorder {
				t.Errorf("%d reorders; want ≤ %d", got, tc.maxReorder)
			}
			set, ok := e.sim.ScreenshotSet(testBundle, demoEditable, "de-DE", tc.set)
			if !ok {
				t.Fatalf("no remote set %s", tc.set)
			}
			want := localBefore
			if tc.want != nil {
				want = tc.want()
			}
			if diff := cmp.Diff(want, set.Checksums()); diff != "" {
				t.Errorf("remote set (-want +got):\n%s", diff)
			}
			// And the next push has nothing left to do.
			e.sim.ResetJournal()
			e.mustRun("push")
			if w := e.writes(); len(w) != 0 {
				t.Errorf("push after push wrote %v", w)
			}
		})
	}
}

// localChecksums returns the checksums the plan compares for a set folder, in order: the
// remote checksum of a pulled file, else the file's MD5.
func (e *syncEnv) localChecksums(collectionName, folder string) []string {
	e.tb.Helper()
	entries, err := os.ReadDir(e.path(collectionName, folder))
	if err != nil {
		e.tb.Fatal(err)
	}
	var sums struct {
		Checksums map[string]string `json:"checksums"`
	}
	if b, err := os.ReadFile(e.path(collectionName, ".storesyncer/checksums.json")); err == nil {
		_ = json.Unmarshal(b, &sums)
	}
	var out []string
	for _, en := range entries {
		b, err := os.ReadFile(e.path(collectionName, folder+"/"+en.Name()))
		if err != nil {
			e.tb.Fatal(err)
		}
		sum := md5hex(b)
		if r, ok := sums.Checksums[sum]; ok {
			sum = r
		}
		out = append(out, sum)
	}
	return out
}

func md5hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

func TestPushPullsAWebEdit(t *testing.T) {
	e := newSyncEnv(t).added()
	e.webEdit(demoEditable, "ja", ascapi.VersionLocalizationAttributes{PromotionalText: ptr("ウェブで編集")})
	out := e.mustRun("push")
	if !strings.Contains(out, "pulled    ja/promotionalText") {
		t.Errorf("push said:\n%s", out)
	}
	if got := e.read("main", "promotionalText/ja.txt"); got != "ウェブで編集\n" {
		t.Errorf("promotionalText/ja.txt = %q", got)
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("a pull wrote to App Store Connect: %v", w)
	}
	// The pulled value is the base: nothing more to do, on either side.
	e.sim.ResetJournal()
	exit, out, _ := e.run("--json", "plan")
	var p planOutput
	if err := json.Unmarshal([]byte(out), &p); err != nil || exit != 0 {
		t.Fatalf("plan: exit %d, %v\n%s", exit, err, out)
	}
	for _, op := range p.Ops {
		if op.Kind != "in_sync" {
			t.Errorf("after the pull, %s is %s (%s)", op.Key, op.Kind, op.Reason)
		}
	}

	// pull does the same without pushing.
	e.webEdit(demoEditable, "de-DE", ascapi.VersionLocalizationAttributes{Description: ptr("Im Web geändert.")})
	e.mustRun("pull")
	if got := e.read("main", "description/de-DE.txt"); got != "Im Web geändert.\n" {
		t.Errorf("description/de-DE.txt = %q", got)
	}
}

func TestConflictWaitsForResolve(t *testing.T) {
	for _, keep := range []string{"local", "remote"} {
		t.Run(keep, func(t *testing.T) {
			e := newSyncEnv(t).added()
			e.write("keyword/en-US.txt", []byte("local,words\n"))
			e.webEdit(demoEditable, "en-US", ascapi.VersionLocalizationAttributes{Keywords: ptr("web,words")})

			exit, out, _ := e.run("push")
			if exit != exitConflict || !strings.Contains(out, "conflict  en-US/keyword (changed on both sides)") {
				t.Fatalf("push: exit %d; want %d\n%s", exit, exitConflict, out)
			}
			if w := e.writes(); len(w) != 0 {
				t.Errorf("a conflict was pushed: %v", w)
			}
			if got := e.read("main", "keyword/en-US.txt"); got != "local,words\n" {
				t.Errorf("the local file changed: %q", got)
			}
			if exit, _, _ := e.run("resolve", "en-US/description", "--keep", keep); exit != exitUsage {
				t.Errorf("resolve of a key not in conflict: exit %d; want %d", exit, exitUsage)
			}

			e.mustRun("resolve", "en-US/keyword", "--keep", keep)
			e.sim.ResetJournal()
			e.mustRun("push")
			attrs, _ := e.sim.VersionLocalization(testBundle, demoEditable, "en-US")
			want := "local,words"
			if keep == "remote" {
				want = "web,words"
				if w := e.writes(); len(w) != 0 {
					t.Errorf("keep remote pushed %v", w)
				}
			} else if diff := cmp.Diff([]string{"PATCH " + routeVersionLoc}, e.writes()); diff != "" {
				t.Errorf("keep local: writes (-want +got):\n%s", diff)
			}
			if got := strings.TrimSpace(e.read("main", "keyword/en-US.txt")); got != want || attrs["keywords"] != want {
				t.Errorf("file %q, remote %q; want both %q", got, attrs["keywords"], want)
			}
		})
	}
}

func TestPrunePreservesThePrimaryLocale(t *testing.T) {
	e := newSyncEnv(t).added()
	// The collection keeps only de-DE: en-US (primary) and ja are unmanaged.
	for _, dir := range []string{"description", "keyword", "whatsNew", "promotionalText", "marketingUrl", "supportUrl", "name", "subtitle", "privacyPolicyUrl"} {
		for _, locale := range []string{"en-US", "ja"} {
			if err := os.Remove(e.path("main", dir+"/"+locale+".txt")); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, locale := range []string{"en-US", "ja"} {
		if err := os.RemoveAll(e.path("main", "screenshot/"+locale)); err != nil {
			t.Fatal(err)
		}
	}
	// Without --prune nothing is deleted.
	e.mustRun("push")
	if w := e.writes(); len(w) != 0 {
		t.Errorf("push without --prune wrote %v", w)
	}
	// --prune asks; "n" declines.
	exit, _, errOut := e.runIn("n\n", "push", "--prune")
	if exit != exitFailure || !strings.Contains(errOut, "ja/keyword") || strings.Contains(errOut, "en-US/") {
		t.Errorf("declined prune: exit %d\n%s", exit, errOut)
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("declined prune wrote %v", w)
	}
	e.mustRun("push", "--prune", "--yes")
	if _, ok := e.sim.VersionLocalization(testBundle, demoEditable, "ja"); ok {
		t.Error("ja was not pruned")
	}
	if _, ok := e.sim.VersionLocalization(testBundle, demoEditable, "en-US"); !ok {
		t.Error("the primary locale en-US was pruned")
	}
	if _, ok := e.sim.InfoLocalization(testBundle, demoEditable, "en-US"); !ok {
		t.Error("the primary locale's app info localization was pruned")
	}
	if _, ok := e.sim.VersionLocalization(testBundle, demoEditable, "de-DE"); !ok {
		t.Error("de-DE was pruned")
	}
}

func TestPushProgressBarOnATerminal(t *testing.T) {
	tests := []struct {
		name  string
		bytes int64
		want  string
	}{
		{"uploads count bytes", 2048, "50%"},
		{"texts count items", 0, "pushing 1/2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf strings.Builder
			p := &pushProgress{g: &globals{stderr: &buf}, tty: true}
			p.report(engine.Progress{Phase: engine.PhaseStart, Items: 2, Bytes: tc.bytes})
			if tc.bytes > 0 {
				p.report(engine.Progress{Phase: engine.PhaseUploaded, Bytes: 1024, FileName: "1.png"})
			}
			p.report(engine.Progress{Phase: engine.PhaseDone, Key: "en-US/keyword", Kind: plan.Update})
			if !strings.Contains(buf.String(), tc.want) {
				t.Errorf("bar = %q; want %q in it", buf.String(), tc.want)
			}
			p.finish()
			if strings.Contains(buf.String(), "updated en-US/keyword\n") {
				t.Errorf("a terminal got plain lines: %q", buf.String())
			}
		})
	}
}

func TestPushSeesAWebSideMediaChange(t *testing.T) {
	tests := []struct {
		name string
		web  func(e *syncEnv, set ascapitest.SetInfo)
	}{
		{"screenshot deleted", func(e *syncEnv, set ascapitest.SetInfo) {
			if _, err := e.client().Screenshots.Delete(context.Background(), set.Assets[0].ID); err != nil {
				e.tb.Fatal(err)
			}
		}},
		{"set reordered", func(e *syncEnv, set ascapitest.SetInfo) {
			ids := []string{set.Assets[1].ID, set.Assets[0].ID}
			for _, a := range set.Assets[2:] {
				ids = append(ids, a.ID)
			}
			if _, err := e.client().ScreenshotSets.Reorder(context.Background(), set.ID, ids); err != nil {
				e.tb.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newSyncEnv(t).added()
			set, ok := e.sim.ScreenshotSet(testBundle, demoEditable, "ja", "APP_WATCH_SERIES_7")
			if !ok || len(set.Assets) < 2 {
				t.Fatalf("seed has no ja set of 2 or more: %+v", set)
			}
			tc.web(e, set)
			e.sim.ResetJournal()
			const key = "ja/screenshot/APP_WATCH_SERIES_7"
			exit, out, _ := e.run("push")
			if exit != exitConflict || !strings.Contains(out, "conflict  "+key+" (changed remotely)") || strings.Contains(out, "matches main\n") {
				t.Errorf("push: exit %d; want %d naming %s\n%s", exit, exitConflict, key, out)
			}
			if w := e.writes(); len(w) != 0 {
				t.Errorf("push wrote %v", w)
			}
			// plan agrees.
			if exit, out, _ := e.run("plan"); exit != exitConflict || !strings.Contains(out, key) {
				t.Errorf("plan: exit %d; want %d naming %s\n%s", exit, exitConflict, key, out)
			}
		})
	}
}
