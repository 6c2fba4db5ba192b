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

func TestPullIntoACopyPushesNothing(t *testing.T) {
	e := newSyncEnv(t).added()
	out := e.mustRun("pull", "--into", "copy")
	if !strings.Contains(out, "(new)") {
		t.Errorf("pull --into copy said:\n%s", out)
	}
	// Texts are equal file by file; images map to the same remote checksums.
	err := filepath.WalkDir(e.path("main", ""), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(e.path("main", ""), p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, ".storesyncer/") {
			return nil
		}
		if strings.HasSuffix(rel, ".txt") {
			if got, want := e.read("copy", rel), e.read("main", rel); got != want {
				t.Errorf("%s: copy %q, main %q", rel, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, locale := range []string{"en-US", "de-DE", "ja"} {
		folder := "screenshot/" + locale + "/APP_WATCH_SERIES_7"
		if diff := cmp.Diff(e.localChecksums("main", folder), e.localChecksums("copy", folder)); diff != "" {
			t.Errorf("%s (-main +copy):\n%s", folder, diff)
		}
		set, _ := e.sim.ScreenshotSet(testBundle, demoEditable, locale, "APP_WATCH_SERIES_7")
		if diff := cmp.Diff(set.Checksums(), e.localChecksums("copy", folder)); diff != "" {
			t.Errorf("%s does not map to the remote set (-remote +copy):\n%s", folder, diff)
		}
	}
	// Pulling into a copy leaves main's bases alone; activating the copy changes nothing.
	e.mustRun("collections", "activate", "copy")
	e.sim.ResetJournal()
	exit, out, _ := e.run("--json", "push")
	var res engine.PushReport
	if err := json.Unmarshal([]byte(out), &res); err != nil || exit != 0 {
		t.Fatalf("push: exit %d, %v\n%s", exit, err, out)
	}
	if w := e.writes(); len(w) != 0 || len(res.Pushed) != 0 || len(res.Pulled) != 0 {
		t.Errorf("push of the copy wrote %v (%+v)", w, res)
	}
	// A second pull downloads nothing and rewrites nothing.
	before := e.localChecksums("copy", "screenshot/ja/APP_WATCH_SERIES_7")
	exit, out, _ = e.run("--json", "pull", "--into", "copy")
	var pr struct {
		Texts      []string `json:"texts"`
		Sets       []string `json:"sets"`
		Downloaded int64    `json:"downloaded_bytes"`
	}
	if err := json.Unmarshal([]byte(out), &pr); err != nil || exit != 0 {
		t.Fatalf("second pull: exit %d, %v\n%s", exit, err, out)
	}
	if len(pr.Texts)+len(pr.Sets) != 0 || pr.Downloaded != 0 {
		t.Errorf("second pull wrote %+v", pr)
	}
	if diff := cmp.Diff(before, e.localChecksums("copy", "screenshot/ja/APP_WATCH_SERIES_7")); diff != "" {
		t.Errorf("second pull changed the set (-before +after):\n%s", diff)
	}
}

func TestPullKeepsLocalOnlyTexts(t *testing.T) {
	e := newSyncEnv(t).added()
	// A field App Store Connect does not hold, written locally and not pushed yet.
	e.write("whatsNew/en-US.txt", []byte("Local release notes.\n"))
	e.webEdit(demoEditable, "en-US", ascapiAttrs("whatsNew", ""))
	e.mustRun("pull")
	if got := e.read("main", "whatsNew/en-US.txt"); got != "Local release notes.\n" {
		t.Errorf("pull removed or changed a local-only text: %q", got)
	}
}
