package remote

import (
	"context"
	"testing"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/plan"
)

const (
	postSet     = "POST /v1/appScreenshotSets"
	deleteSet   = "DELETE /v1/appScreenshotSets/{id}"
	reserveShot = "POST /v1/appScreenshots"
	commitShot  = "PATCH /v1/appScreenshots/{id}"
	getShot     = "GET /v1/appScreenshots/{id}"
	deleteShot  = "DELETE /v1/appScreenshots/{id}"
	listShots   = "GET /v1/appScreenshotSets/{id}/appScreenshots"
	reorderSet  = "PATCH /v1/appScreenshotSets/{id}/relationships/appScreenshots"
	listSets    = "GET /v1/appStoreVersionLocalizations/{id}/appScreenshotSets"

	iphone = plan.Key("en-US/screenshot/APP_IPHONE_67")
)

// seeded is the seed's en-US APP_IPHONE_67 set: 1.png, 2.png, 3.png.
func seeded(n int) localFile { return png(string(rune('0'+n))+".png", n) }

func ipad(name string, n int) localFile {
	return localFile{name: name, data: ascapitest.SamplePNG(2048, 2732, n)}
}

// applyMeasured fetches scope, plans l over bases equal to the fetched state, resets the
// journal and applies every group.
func (e *env) applyMeasured(t *testing.T, l *local, scope Scope) (plan.Plan, []Result) {
	t.Helper()
	snap, err := e.r.Fetch(context.Background(), e.app, scope)
	if err != nil {
		t.Fatal(err)
	}
	p := planFor(snap, l, baseOf(snap))
	e.sim.ResetJournal()
	var out []Result
	for _, g := range p.Resources() {
		var events []ProgressEvent
		res, err := e.r.Apply(context.Background(), e.app, snap, g, ApplyOptions{Source: l.source(), Progress: func(ev ProgressEvent) { events = append(events, ev) }})
		if err != nil {
			t.Fatalf("apply %s: %v", g.Resource, err)
		}
		checkProgress(t, g, res, events)
		out = append(out, res)
	}
	return p, out
}

// checkProgress checks that progress reported each upload and how each key ended.
func checkProgress(t *testing.T, g plan.Group, res Result, events []ProgressEvent) {
	t.Helper()
	var uploaded int64
	ended := map[plan.Key]Phase{}
	for _, ev := range events {
		if ev.Resource != g.Resource {
			t.Errorf("event of %s in group %s", ev.Resource, g.Resource)
		}
		switch ev.Phase {
		case PhaseUploaded:
			uploaded += ev.Bytes
		case PhaseDone, PhaseFailed:
			ended[ev.Key] = ev.Phase
		}
	}
	if uploaded != res.Uploaded {
		t.Errorf("progress reported %d bytes uploaded, result %d", uploaded, res.Uploaded)
	}
	for _, k := range res.Done {
		if ended[k] != PhaseDone {
			t.Errorf("%s done without a done event", k)
		}
	}
	for k := range res.Failed {
		if ended[k] != PhaseFailed {
			t.Errorf("%s failed without a failed event", k)
		}
	}
}

// TestMediaBudgets asserts the exact API calls of each kind of set change, and that the remote
// set ends equal to the folder.
func TestMediaBudgets(t *testing.T) {
	tests := []struct {
		name  string
		local func(t *testing.T) *local
		key   plan.Key
		kind  plan.Kind
		want  map[string]int
	}{
		{"new set of 3: 1 create + 3 reserves + 3 commits + 1 poll", func(t *testing.T) *local {
			return newLocal(t).set("en-US/screenshot/APP_IPAD_PRO_3GEN_129", ipad("1.png", 1), ipad("2.png", 2), ipad("3.png", 3))
		}, "en-US/screenshot/APP_IPAD_PRO_3GEN_129", plan.Create,
			map[string]int{postSet: 1, reserveShot: 3, commitShot: 3, listShots: 1}},
		{"one replaced: 1 delete + 1 reserve + 1 commit + 1 poll + 1 reorder", func(t *testing.T) *local {
			return newLocal(t).set(iphone, seeded(1), png("2.png", 9), seeded(3))
		}, iphone, plan.Update,
			map[string]int{deleteShot: 1, reserveShot: 1, commitShot: 1, listShots: 1, reorderSet: 1}},
		{"last one replaced needs no reorder", func(t *testing.T) *local {
			return newLocal(t).set(iphone, seeded(1), seeded(2), png("3.png", 9))
		}, iphone, plan.Update,
			map[string]int{deleteShot: 1, reserveShot: 1, commitShot: 1, listShots: 1}},
		{"renamed files: one reorder, no upload", func(t *testing.T) *local {
			return newLocal(t).set(iphone, localFile{"a.png", seeded(3).data}, localFile{"b.png", seeded(1).data}, localFile{"c.png", seeded(2).data})
		}, iphone, plan.Reorder,
			map[string]int{reorderSet: 1}},
		{"one removed: one delete", func(t *testing.T) *local {
			return newLocal(t).set(iphone, seeded(1), seeded(3))
		}, iphone, plan.Update,
			map[string]int{deleteShot: 1}},
		{"new locale: localization + set + 2 uploads", func(t *testing.T) *local {
			return newLocal(t).set("fr-FR/screenshot/APP_IPHONE_67", png("1.png", 5), png("2.png", 6))
		}, "fr-FR/screenshot/APP_IPHONE_67", plan.Create,
			map[string]int{postVLoc: 1, postSet: 1, reserveShot: 2, commitShot: 2, listShots: 1}},
		{"new preview set", func(t *testing.T) *local {
			return newLocal(t).set("en-US/preview/IPHONE_67", localFile{"intro.mp4", make([]byte, 70<<10)})
		}, "en-US/preview/IPHONE_67", plan.Create,
			map[string]int{"POST /v1/appPreviewSets": 1, "POST /v1/appPreviews": 1, "PATCH /v1/appPreviews/{id}": 1, "GET /v1/appPreviewSets/{id}/appPreviews": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			l := tt.local(t)
			p, results := e.applyMeasured(t, l, Scope{MediaLocales: []string{tt.key.Locale()}})
			if op, _ := p.Op(tt.key); op.Kind != tt.kind {
				t.Fatalf("planned %s (%s), want %s", op.Kind, op.Reason, tt.kind)
			}
			wantDone(t, results)
			wantCalls(t, e.sim, tt.want)
			if len(results) != 1 || results[0].Calls != totalCalls(tt.want) {
				t.Errorf("Result.Calls = %d, want %d", results[0].Calls, totalCalls(tt.want))
			}
			if got := results[0].NewBases[tt.key].Checksums(); len(got) != len(l.checksums(tt.key)) {
				t.Errorf("new base = %v", got)
			}
			wantSet(t, e.sim, l, tt.key)
			var bytes int64
			for _, st := range p.Ops[0].Set.Steps {
				if st.Action == plan.Upload {
					bytes += st.Asset.Size
				}
			}
			if results[0].Uploaded != bytes {
				t.Errorf("Uploaded = %d, want %d", results[0].Uploaded, bytes)
			}
		})
	}
}

func TestMediaPruneSet(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	snap, err := e.r.Fetch(ctx, e.app, Scope{MediaLocales: []string{"de-DE"}})
	if err != nil {
		t.Fatal(err)
	}
	// de-DE keeps a text, so only its set is pruned.
	in := plan.Input{Local: map[plan.Key]plan.Value{"de-DE/description": plan.TextValue("x")}, Remote: snap.Remote,
		Version: snap.Version, Resources: snap.Resources, Options: plan.Options{Prune: true, Only: plan.OnlyMedia, PrimaryLocale: "en-US"}}
	p := plan.Compute(in)
	e.sim.ResetJournal()
	results := e.applyAll(t, snap, p, newLocal(t))
	wantDone(t, results)
	wantCalls(t, e.sim, map[string]int{deleteSet: 1})
	if _, ok := e.sim.ScreenshotSet(demo, "1.1", "de-DE", "APP_IPHONE_67"); ok {
		t.Error("the set is still there")
	}
}
