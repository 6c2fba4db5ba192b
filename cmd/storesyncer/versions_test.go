package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/internal/command"
)

func TestVersionsListCreateSet(t *testing.T) {
	e := newSyncEnv(t).added()
	out := e.mustRun("versions", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "* 1.1") || !strings.Contains(lines[0], "PREPARE_FOR_SUBMISSION") || !strings.HasPrefix(lines[1], "  1.0") {
		t.Errorf("versions list:\n%s", out)
	}

	// 1.1 is open: create says which and how to go on.
	exit, _, errOut := e.run("versions", "create", "2.1.0")
	if exit != exitFailure || !strings.Contains(errOut, "version 1.1 is open (PREPARE_FOR_SUBMISSION): rename it with `storesyncer versions set 2.1.0`") {
		t.Errorf("versions create: exit %d\n%s", exit, errOut)
	}
	e.mustRun("versions", "set", "2.1.0")
	exit, out, _ = e.run("--json", "versions", "list")
	var list struct {
		Versions []command.VersionRow `json:"versions"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || exit != 0 {
		t.Fatalf("versions list --json: exit %d, %v\n%s", exit, err, out)
	}
	if len(list.Versions) != 2 || list.Versions[0].Version != "2.1.0" || !list.Versions[0].Target {
		t.Errorf("after set: %+v", list.Versions)
	}

	// Once the open version is on sale, a new one can be created; the next push
	// re-baselines onto it and pushes local edits there.
	if err := e.sim.SetVersionState(testBundle, "2.1.0", "READY_FOR_DISTRIBUTION"); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.SetVersionState(testBundle, "1.0", "REPLACED_WITH_NEW_VERSION"); err != nil {
		t.Fatal(err)
	}
	e.mustRun("versions", "create", "2.2")
	e.write("keyword/ja.txt", []byte("新しい,キーワード\n"))
	e.sim.ResetJournal()
	out = e.mustRun("plan")
	if !strings.Contains(out, "rebaselined: target version is now 2.2 (was 2.1.0)") || !strings.Contains(out, "update    ja/keyword") {
		t.Errorf("plan after a new version:\n%s", out)
	}
	e.mustRun("push")
	if attrs, _ := e.sim.VersionLocalization(testBundle, "2.2", "ja"); attrs["keywords"] != "新しい,キーワード" {
		t.Errorf("2.2 ja keywords = %q", attrs["keywords"])
	}
	// The new version has no whatsNew (Apple copies every text but it): the collection's
	// whatsNew goes there too, in the same PATCH as ja's keyword: one per localization.
	if n := e.count("PATCH", routeVersionLoc); n != 3 || len(e.writes()) != 3 {
		t.Errorf("push after re-baseline wrote %v; want 3 localization PATCHes", e.writes())
	}
	out = e.mustRun("apps", "list")
	if !strings.Contains(out, "2.2 (PREPARE_FOR_SUBMISSION)") {
		t.Errorf("apps list after push:\n%s", out)
	}
}
