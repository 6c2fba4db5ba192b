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

func TestPullNeverWritesOverALocalEdit(t *testing.T) {
	tests := []struct {
		name  string
		key   string // the key edited locally
		file  string
		web   string // a web edit of the key's version localization attribute first, "" for none
		attr  string
		want  string // the reason pull gives
		after string // what plan says of the key after the pull
	}{
		{"local edit only", "en-US/subtitle", "subtitle/en-US.txt", "", "", "changed locally, not pushed", "update"},
		{"both sides changed", "en-US/keyword", "keyword/en-US.txt", "web,words", "keywords", "changed on both sides", "conflict"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newSyncEnv(t).added()
			before := e.read("main", tc.file)
			e.write(tc.file, []byte("My unpushed edit\n"))
			if tc.web != "" {
				e.webEdit(demoEditable, "en-US", ascapiAttrs(tc.attr, tc.web))
			}
			exit, out, errOut := e.run("pull")
			if exit != exitConflict || !strings.Contains(out, "conflict  "+tc.key+" ("+tc.want) {
				t.Errorf("pull: exit %d; want %d\n%s%s", exit, exitConflict, out, errOut)
			}
			if got := e.read("main", tc.file); got != "My unpushed edit\n" {
				t.Errorf("pull replaced the local edit: %q", got)
			}
			if w := e.writes(); len(w) != 0 {
				t.Errorf("pull wrote to App Store Connect: %v", w)
			}
			// The base did not move: plan still sees the local edit (and the web edit).
			exit, out, _ = e.run("--json", "plan")
			var p planOutput
			if err := json.Unmarshal([]byte(out), &p); err != nil {
				t.Fatalf("plan: exit %d, %v\n%s", exit, err, out)
			}
			found := false
			for _, op := range p.Ops {
				if string(op.Key) == tc.key {
					found = true
					if string(op.Kind) != tc.after {
						t.Errorf("after the pull, plan says %s is %s (%s); want %s", op.Key, op.Kind, op.Reason, tc.after)
					}
				}
			}
			if !found {
				t.Errorf("after the pull, plan does not list %s:\n%s", tc.key, out)
			}
			// --force takes App Store Connect's value, and the key is in sync.
			e.mustRun("pull", "--force")
			want := before
			if tc.web != "" {
				want = tc.web + "\n"
			}
			if got := e.read("main", tc.file); got != want {
				t.Errorf("pull --force: %q; want %q", got, want)
			}
			e.sim.ResetJournal()
			e.mustRun("push")
			if w := e.writes(); len(w) != 0 {
				t.Errorf("push after pull --force wrote %v", w)
			}
		})
	}
}

func TestPullIntoAnotherCollectionKeepsItsEdits(t *testing.T) {
	e := newSyncEnv(t).added()
	e.mustRun("pull", "--into", "copy")
	p := e.path("copy", "keyword/de-DE.txt")
	if err := os.WriteFile(p, []byte("eigene,wörter\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	exit, out, _ := e.run("pull", "--into", "copy")
	if exit != exitConflict || !strings.Contains(out, "conflict  de-DE/keyword") {
		t.Errorf("pull --into copy: exit %d; want %d\n%s", exit, exitConflict, out)
	}
	if got := e.read("copy", "keyword/de-DE.txt"); got != "eigene,wörter\n" {
		t.Errorf("the copy's edit was replaced: %q", got)
	}
}

// A fresh state dir (a new machine, a teammate's clone) records the base of every key it
// finds in sync, whichever command looks first: a later web edit is a pull, not a "first
// sync" conflict.
func TestFreshStateRecordsBasesOfKeysInSync(t *testing.T) {
	for _, first := range []string{"plan", "push"} {
		t.Run(first, func(t *testing.T) {
			e := newSyncEnv(t).added()
			if err := os.RemoveAll(filepath.Join(filepath.Dir(e.cfg), "state")); err != nil {
				t.Fatal(err)
			}
			if exit, out, errOut := e.run(first); exit != 0 {
				t.Fatalf("%s on a fresh state dir: exit %d\n%s%s", first, exit, out, errOut)
			}
			if n := len(e.state().Bases); n == 0 {
				t.Fatalf("%s recorded no base", first)
			}
			e.webEdit(demoEditable, "en-US", ascapiAttrs("keywords", "web,words"))
			exit, out, _ := e.run("push")
			if exit != 0 || !strings.Contains(out, "pulled    en-US/keyword") {
				t.Errorf("push after a web edit: exit %d\n%s", exit, out)
			}
			if got := e.read("main", "keyword/en-US.txt"); got != "web,words\n" {
				t.Errorf("keyword/en-US.txt = %q", got)
			}
		})
	}
}

// apps add into a main folder that already exists (a teammate's clone on a new machine)
// leaves a file that differs from App Store Connect alone, says so with exit 4, and records
// the bases of the keys in step.
func TestAppsAddKeepsAnExistingFolder(t *testing.T) {
	e := newSyncEnv(t)
	e.write("keyword/en-US.txt", []byte("unsere,wörter\n"))
	exit, out, errOut := e.run("apps", "add", "--bundle-id", testBundle)
	if exit != exitConflict || !strings.Contains(out, "conflict  en-US/keyword (first sync, both sides differ") {
		t.Errorf("apps add over an existing folder: exit %d; want %d\n%s%s", exit, exitConflict, out, errOut)
	}
	if got := e.read("main", "keyword/en-US.txt"); got != "unsere,wörter\n" {
		t.Errorf("apps add replaced the existing file: %q", got)
	}
	if _, ok := e.state().Bases["de-DE/keyword"]; !ok {
		t.Error("apps add recorded no base for the keys in step")
	}
}
