package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/internal/state"
)

// snapshotTree returns every file under dir with its content.
func snapshotTree(tb testing.TB, dir string) map[string]string {
	tb.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// stateView is what the state dir holds for the demo app, as the commands see it.
type stateView struct {
	Bases    map[string]string
	History  int
	LastEvt  int64
	Settings map[string]string
}

func (e *syncEnv) state() stateView {
	e.tb.Helper()
	st, err := state.Open(filepath.Join(filepath.Dir(e.cfg), "state"), state.Options{})
	if err != nil {
		e.tb.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var v stateView
	v.Settings = map[string]string{}
	for _, id := range e.sim.Versions(testBundle) {
		bases, err := st.Bases(ctx, testBundle, id.ID)
		if err != nil {
			e.tb.Fatal(err)
		}
		if len(bases) > 0 {
			v.Bases = bases
		}
	}
	hist, err := st.History(ctx, "", 1000, 0)
	if err != nil {
		e.tb.Fatal(err)
	}
	v.History = len(hist)
	if v.LastEvt, err = st.LastEventID(ctx); err != nil {
		e.tb.Fatal(err)
	}
	for _, k := range []string{"target/" + testBundle, state.KeyLastSync(testBundle)} {
		s, _, err := st.Setting(ctx, k)
		if err != nil {
			e.tb.Fatal(err)
		}
		v.Settings[k] = s
	}
	return v
}

func TestPlanWritesNothing(t *testing.T) {
	e := newSyncEnv(t).added()
	e.write("keyword/de-DE.txt", []byte("neu,lokal\n"))
	e.write("keyword/en-US.txt", []byte("local,side\n"))
	e.webEdit(demoEditable, "en-US", ascapiAttrs("keywords", "web,side"))
	e.webEdit(demoEditable, "ja", ascapiAttrs("description", "ウェブ"))
	e.write("screenshot/de-DE/APP_WATCH_SERIES_7/02_2.png", nil) // empty file: an invalid image, held
	treeBefore, stateBefore := snapshotTree(t, e.ws), e.state()

	exit, out, errOut := e.run("plan")
	if exit != exitConflict {
		t.Errorf("plan: exit %d; want %d (a conflict outranks a validation error)", exit, exitConflict)
	}
	for _, want := range []string{
		"update    de-DE/keyword",
		"conflict  en-US/keyword                                changed on both sides",
		"pull      ja/description                               changed remotely",
		"held      de-DE/screenshot/APP_WATCH_SERIES_7",
		"[1 patch]",
		"total: 1 update, 1 pull, 1 conflict, 1 held, ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "in_sync") {
		t.Errorf("plan lists keys in sync without --all:\n%s", out)
	}
	if _, all, _ := e.run("plan", "--all"); !strings.Contains(all, "in_sync   de-DE/description") {
		t.Errorf("plan --all does not list keys in sync:\n%s", all)
	}
	if !strings.Contains(errOut, "screenshot/de-DE/APP_WATCH_SERIES_7/02_2.png: error:") {
		t.Errorf("plan did not print the validation problem:\n%s", errOut)
	}
	exit, out, _ = e.run("--json", "plan", "--only", "text")
	var p planOutput
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("plan --json: %v\n%s", err, out)
	}
	kinds := map[string]string{}
	for _, op := range p.Ops {
		kinds[string(op.Key)] = string(op.Kind)
		if strings.Contains(string(op.Key), "/screenshot/") {
			t.Errorf("--only text planned %s", op.Key)
		}
	}
	if kinds["de-DE/keyword"] != "update" || kinds["en-US/keyword"] != "conflict" || kinds["ja/description"] != "pull" || exit != exitConflict {
		t.Errorf("plan --json: exit %d, kinds %v", exit, kinds)
	}
	if p.Calls.Patch != 1 {
		t.Errorf("plan --json calls = %+v; want 1 patch", p.Calls)
	}

	if w := e.writes(); len(w) != 0 {
		t.Errorf("plan wrote to App Store Connect: %v", w)
	}
	if diff := cmp.Diff(treeBefore, snapshotTree(t, e.ws)); diff != "" {
		t.Errorf("plan changed the workspace (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(stateBefore, e.state()); diff != "" {
		t.Errorf("plan changed the state (-before +after):\n%s", diff)
	}
}

func TestPlanHoldsInvalidKeysAndWarnsAboutNewLocales(t *testing.T) {
	e := newSyncEnv(t).added()
	e.write("keyword/fr-FR.txt", []byte("planificateur,tâches\n"))
	e.write("subtitle/de-DE.txt", []byte("Ein Untertitel, der viel zu lang für Apple ist\n"))
	exit, out, errOut := e.run("plan")
	if exit != exitValidation {
		t.Errorf("plan: exit %d; want %d\n%s", exit, exitValidation, out)
	}
	if !strings.Contains(errOut, "warning: locale fr-FR is new on App Store Connect but name/fr-FR.txt is missing") {
		t.Errorf("no new-locale warning:\n%s", errOut)
	}
	if !strings.Contains(out, "held      de-DE/subtitle") || !strings.Contains(out, "create    fr-FR/keyword") {
		t.Errorf("plan:\n%s", out)
	}
	// push sends the valid key and never the held one.
	exit, _, _ = e.run("push")
	if exit != exitValidation {
		t.Errorf("push: exit %d; want %d", exit, exitValidation)
	}
	if info, _ := e.sim.InfoLocalization(testBundle, demoEditable, "de-DE"); strings.Contains(info["subtitle"], "viel zu lang") {
		t.Error("the invalid subtitle was pushed")
	}
	if attrs, ok := e.sim.VersionLocalization(testBundle, demoEditable, "fr-FR"); !ok || attrs["keywords"] != "planificateur,tâches" {
		t.Errorf("fr-FR keywords not created: %v", attrs)
	}
}
