package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/internal/engine"
)

func TestCollectionsLifecycle(t *testing.T) {
	e := newSyncEnv(t).added()

	e.mustRun("collections", "create", "christmas", "--from", "collection", "main")
	if got, want := e.read("christmas", "keyword/de-DE.txt"), e.read("main", "keyword/de-DE.txt"); got != want {
		t.Errorf("copied keyword = %q; want %q", got, want)
	}
	e.mustRun("collections", "create", "snap", "--from", "live")
	if diff := cmp.Diff(e.localChecksums("main", "screenshot/ja/APP_WATCH_SERIES_7"), e.localChecksums("snap", "screenshot/ja/APP_WATCH_SERIES_7")); diff != "" {
		t.Errorf("live collection's screenshots (-main +snap):\n%s", diff)
	}
	if exit, _, _ := e.run("collections", "create", "snap", "--from", "live"); exit != exitFailure {
		t.Errorf("creating an existing collection: exit %d; want %d", exit, exitFailure)
	}
	e.mustRun("collections", "delete", "snap")
	e.mustRun("collections", "create", "draft", "--from", "template")
	for _, dir := range []string{"keyword", "name", "screenshot/de-DE/APP_IPHONE_67", "screenshot/ja/APP_IPAD_PRO_3GEN_129"} {
		if fi, err := os.Stat(e.path("draft", dir)); err != nil || !fi.IsDir() {
			t.Errorf("template collection lacks %s/: %v", dir, err)
		}
	}
	// export and import take collection names of the current app.
	zip := filepath.Join(t.TempDir(), "christmas.zip")
	e.mustRun("export", "--collection", "christmas", "--only", "text", "-o", zip)
	e.mustRun("collections", "create", "fromzip", "--from", "zip", zip)
	if got := e.read("fromzip", "keyword/ja.txt"); got != e.read("main", "keyword/ja.txt") {
		t.Errorf("zip collection keyword = %q", got)
	}
	e.write("../christmas/keyword/en-US.txt", []byte("christmas,gifts\n"))
	out := e.mustRun("--json", "collections", "list")
	var list struct {
		Collections []engine.CollectionInfo `json:"collections"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range list.Collections {
		names = append(names, c.Name)
		if c.Name == "main" && (!c.Active || c.Files != 27+9) {
			t.Errorf("main = %+v; want active with 27 texts and 9 screenshots", c)
		}
		if c.Name == "fromzip" && c.Files != 27 {
			t.Errorf("fromzip holds %d files; want the 27 texts", c.Files)
		}
	}
	if diff := cmp.Diff([]string{"christmas", "draft", "fromzip", "main"}, names); diff != "" {
		t.Errorf("collections (-want +got):\n%s", diff)
	}

	// Activating christmas makes App Store Connect match it; activating main restores it.
	e.mustRun("collections", "activate", "christmas")
	e.sim.ResetJournal()
	e.mustRun("push")
	if attrs, _ := e.sim.VersionLocalization(testBundle, demoEditable, "en-US"); attrs["keywords"] != "christmas,gifts" {
		t.Errorf("after christmas: keywords %q", attrs["keywords"])
	}
	if w := e.writes(); len(w) != 1 {
		t.Errorf("activating christmas wrote %v; want one PATCH", w)
	}
	if exit, _, _ := e.run("collections", "delete", "christmas"); exit != exitFailure {
		t.Errorf("deleting the active collection: exit %d; want %d", exit, exitFailure)
	}
	e.mustRun("collections", "activate", "main")
	e.mustRun("push")
	if attrs, _ := e.sim.VersionLocalization(testBundle, demoEditable, "en-US"); attrs["keywords"] != "planner,tasks,todo,reminders,lists" {
		t.Errorf("after restoring main: keywords %q", attrs["keywords"])
	}
	e.mustRun("collections", "delete", "christmas")
	if _, err := os.Stat(e.path("christmas", "")); !os.IsNotExist(err) {
		t.Errorf("christmas still there: %v", err)
	}

	for _, args := range [][]string{
		{"collections", "create", "x"},
		{"collections", "create", "x", "--from", "zip"},
		{"collections", "create", "x", "--from", "nowhere"},
		{"collections", "create", "Bad Name", "--from", "template"},
	} {
		if exit, _, _ := e.run(args...); exit != exitUsage && exit != exitFailure {
			t.Errorf("%s: exit %d; want a usage error", strings.Join(args, " "), exit)
		}
	}
}
