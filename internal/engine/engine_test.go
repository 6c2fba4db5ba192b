package engine

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
)

func TestPlanFetchesOnlyWhatChanged(t *testing.T) {
	e := newTestEnv(t, nil)
	ctx := context.Background()
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		edit       func()
		opts       PlanOptions
		wantScope  remote.Scope
		wantCalls  int
		wantWrites []plan.Key
	}{
		{name: "nothing changed", edit: func() {}, wantScope: remote.Scope{Texts: true}, wantCalls: 3},
		{name: "a keyword", edit: func() { e.write("keyword/ja.txt", []byte("新\n")) },
			wantScope: remote.Scope{Texts: true}, wantCalls: 3, wantWrites: []plan.Key{"ja/keyword"}},
		{name: "a screenshot renamed", edit: func() {
			if err := os.Rename(e.path("screenshot/de-DE/APP_WATCH_SERIES_7/01_1.png"), e.path("screenshot/de-DE/APP_WATCH_SERIES_7/09_1.png")); err != nil {
				t.Fatal(err)
			}
		}, wantScope: remote.Scope{Texts: true, MediaLocales: []string{"de-DE"}}, wantCalls: 4,
			wantWrites: []plan.Key{"de-DE/screenshot/APP_WATCH_SERIES_7", "ja/keyword"}},
		{name: "full", edit: func() {}, opts: PlanOptions{Full: true}, wantScope: remote.Scope{Texts: true, AllMedia: true}, wantCalls: 6,
			wantWrites: []plan.Key{"de-DE/screenshot/APP_WATCH_SERIES_7", "ja/keyword"}},
		{name: "only these keys", edit: func() {}, opts: PlanOptions{Keys: []plan.Key{"ja/keyword"}},
			wantScope: remote.Scope{Texts: true, Locales: []string{"ja"}}, wantCalls: 3, wantWrites: []plan.Key{"ja/keyword"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.edit()
			e.sim.ResetJournal()
			pr, err := e.eng.Plan(ctx, demo, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantScope, pr.Snapshot.Scope); diff != "" {
				t.Errorf("scope (-want +got):\n%s", diff)
			}
			if n := len(e.sim.APICalls()); n != tc.wantCalls {
				t.Errorf("%d API calls; want %d", n, tc.wantCalls)
			}
			// The version's localizations are read for the scope's locales only.
			for _, c := range e.sim.APICalls() {
				if c.Route != "/v1/appStoreVersions/{id}/appStoreVersionLocalizations" {
					continue
				}
				q, _ := url.ParseQuery(c.Query)
				if got, want := q.Get("filter[locale]"), strings.Join(tc.wantScope.Locales, ","); got != want {
					t.Errorf("localizations read with filter[locale]=%q, want %q", got, want)
				}
			}
			var writes []plan.Key
			for _, op := range pr.Plan.Ops {
				if op.Kind.Writes() {
					writes = append(writes, op.Key)
				}
			}
			if diff := cmp.Diff(tc.wantWrites, writes); diff != "" {
				t.Errorf("writes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPushPullAndResolveReportTheirWork(t *testing.T) {
	e := newTestEnv(t, nil)
	ctx := context.Background()
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.AddApp(ctx, demo, "", ""); !errors.Is(err, ErrAppExists) {
		t.Errorf("second AddApp: %v; want ErrAppExists", err)
	}
	e.write("keyword/en-US.txt", []byte("a,b\n"))
	var events []Progress
	res, err := e.eng.Push(ctx, demo, PushOptions{Progress: func(p Progress) { events = append(events, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pushed) != 1 || res.Pushed[0].Key != "en-US/keyword" || len(res.Failed) != 0 {
		t.Errorf("push = %+v", res)
	}
	want := []Progress{{Phase: PhaseStart, Items: 1}, {Phase: PhaseDone, Key: "en-US/keyword", Kind: plan.Update}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	hist, err := e.store.History(ctx, demo, 10, 0)
	if err != nil || len(hist) != 1 || hist[0].Key != "en-US/keyword" || hist[0].Result != "ok" {
		t.Errorf("history = %+v, %v", hist, err)
	}
	if _, err := e.eng.Resolve(ctx, demo, []plan.Key{"en-US/keyword"}, plan.KeepLocal); !errors.Is(err, plan.ErrNotInConflict) {
		t.Errorf("resolve of a key in sync: %v; want ErrNotInConflict", err)
	}
	if _, err := e.eng.Resolve(ctx, demo, nil, "both"); err == nil {
		t.Error("resolve with an unknown side succeeded")
	}
}

func TestPulledNames(t *testing.T) {
	tests := []struct {
		i    int
		kind plan.MediaKind
		in   string
		want string
	}{
		{0, plan.Screenshot, "1.png", "01_1.png"},
		{9, plan.Screenshot, "03_shot.png", "10_shot.png"},
		{1, plan.Screenshot, "../../etc/passwd", "02_passwd.jpg"},
		{2, plan.Screenshot, "photo.jpeg", "03_photo.jpeg"},
		{0, plan.Preview, "clip.mov", "01_clip.mov"},
		{0, plan.Preview, "clip", "01_clip.mp4"},
		{0, plan.Screenshot, ".hidden.png", "01_asset.hidden.png"},
	}
	for _, tc := range tests {
		if got := pulledName(tc.i, tc.kind, tc.in); got != tc.want {
			t.Errorf("pulledName(%d, %s, %q) = %q; want %q", tc.i, tc.kind, tc.in, got, tc.want)
		}
	}
}

func TestBaseEncoding(t *testing.T) {
	tests := []struct {
		key  plan.Key
		v    plan.Value
		want string
		ok   bool
	}{
		{"en-US/keyword", plan.TextValue("a,b"), "a,b", true},
		{"en-US/keyword", plan.Value{}, "", false},
		{"en-US/screenshot/APP_IPHONE_67", plan.ChecksumValue("x", "y"), `["x","y"]`, true},
	}
	for _, tc := range tests {
		got, ok := encodeBase(tc.key, tc.v)
		if got != tc.want || ok != tc.ok {
			t.Errorf("encodeBase(%s) = %q, %v; want %q, %v", tc.key, got, ok, tc.want, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		back, err := decodeBase(tc.key, got)
		if err != nil || !same(back, tc.v) {
			t.Errorf("decodeBase(%s, %q) = %+v, %v", tc.key, got, back, err)
		}
	}
	if _, err := decodeBase("en-US/screenshot/APP_IPHONE_67", "not json"); err == nil {
		t.Error("a broken media base decoded")
	}
}

func TestBrokenChecksumMapNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(dir+"/.storesyncer", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/.storesyncer/checksums.json", []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := readChecksums(dir)
	if err == nil || !strings.Contains(err.Error(), "checksums.json") {
		t.Errorf("readChecksums = %v; want an error naming the file", err)
	}
}

func TestNewTargetVersionRebaselines(t *testing.T) {
	e := newTestEnv(t, nil)
	ctx := context.Background()
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		t.Fatal(err)
	}
	old, _, _ := e.eng.RecordedTarget(ctx, demo)
	if err := e.sim.SetVersionState(demo, "1.1", "READY_FOR_DISTRIBUTION"); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.SetVersionState(demo, "1.0", "REPLACED_WITH_NEW_VERSION"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.CreateVersion(ctx, demo, "2.0"); err != nil {
		t.Fatal(err)
	}
	lastEvent, _ := e.store.LastEventID(ctx)

	pr, err := e.eng.Plan(ctx, demo, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !pr.Rebaselined || pr.PreviousTarget.ID != old.ID || pr.Snapshot.Version.String != "2.0" {
		t.Fatalf("plan: rebaselined %v from %+v to %+v", pr.Rebaselined, pr.PreviousTarget, pr.Snapshot.Version)
	}
	if !pr.Snapshot.Scope.AllMedia {
		t.Error("a re-baseline did not read every set")
	}
	if id, _ := e.store.LastEventID(ctx); id != lastEvent {
		t.Error("plan recorded an event")
	}
	if _, err := e.eng.Push(ctx, demo, PushOptions{}); err != nil {
		t.Fatal(err)
	}
	events, err := e.store.Events(ctx, lastEvent, 10)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range events {
		found = found || (ev.Type == "rebaselined" && strings.Contains(string(ev.Data), "rebaselined: target version is now 2.0"))
	}
	if !found {
		t.Errorf("no rebaselined event in %+v", events)
	}
	now, _, _ := e.eng.RecordedTarget(ctx, demo)
	if now.String != "2.0" {
		t.Errorf("recorded target = %+v", now)
	}
	if bases, _ := e.store.Bases(ctx, demo, old.ID); len(bases) != 0 {
		t.Errorf("%d bases of the old version are left", len(bases))
	}
	if bases, _ := e.store.Bases(ctx, demo, now.ID); len(bases) == 0 || bases["ja/screenshot/APP_WATCH_SERIES_7"] == "" {
		t.Errorf("bases of 2.0 = %v", bases)
	}
}

func TestPruneSparesALocaleWithAnInvalidKey(t *testing.T) {
	e := newTestEnv(t, nil)
	ctx := context.Background()
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		t.Fatal(err)
	}
	// ja holds only an invalid keyword file now: its other keys look unmanaged.
	if err := os.RemoveAll(e.path("screenshot/ja")); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"description", "whatsNew", "promotionalText", "marketingUrl", "supportUrl", "name", "subtitle", "privacyPolicyUrl"} {
		if err := os.Remove(e.path(f + "/ja.txt")); err != nil {
			t.Fatal(err)
		}
	}
	e.write("keyword/ja.txt", []byte(strings.Repeat("長", 101)+"\n"))
	pr, err := e.eng.Plan(ctx, demo, PlanOptions{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range pr.Plan.Ops {
		if op.Key.Locale() == "ja" && op.Kind == plan.Delete {
			t.Errorf("prune deletes %s although ja has an invalid key", op.Key)
		}
	}
	op, ok := pr.Plan.Op("ja/keyword")
	if !ok || op.Kind != plan.Held || !strings.Contains(op.Reason, "keyword/ja.txt") {
		t.Errorf("ja/keyword = %+v; want held naming the file", op)
	}
}
