//go:build unix

package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
)

// TestSymlinkSwappedBeforeUploadIsNotRead plans a new screenshot, then swaps the file for a
// link to a file outside the collection before the push runs, as the daemon's worker does
// (Push with Reuse plans from the engine's last read, so the swap is not seen before the
// upload): the upload's snapshot must refuse it, and nothing is uploaded. The outside file holds the planned bytes, so the
// checksum check alone would let it through: only the safe open stops it.
func TestSymlinkSwappedBeforeUploadIsNotRead(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, nil)
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		t.Fatal(err)
	}
	rel := "screenshot/de-DE/APP_WATCH_SERIES_7/09_new.png"
	planned := ascapitest.SamplePNG(396, 484, 5)
	e.write(rel, planned)
	if _, err := e.eng.Plan(ctx, demo, PlanOptions{}); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "outside.png")
	if err := os.WriteFile(outside, planned, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(e.path(rel)); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, e.path(rel)); err != nil {
		t.Fatal(err)
	}
	e.sim.ResetJournal()
	res, err := e.eng.Push(ctx, demo, PushOptions{Reuse: true})
	if err == nil && (res == nil || len(res.Failed) == 0) {
		t.Fatalf("push of a swapped-in link succeeded: %+v", res)
	}
	for _, c := range e.sim.Journal() {
		if c.Kind == ascapitest.KindUpload {
			t.Errorf("an upload was sent: %s %s", c.Method, c.Path)
		}
	}
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	for _, f := range res.Failed {
		msg += " " + f.Err.Error()
	}
	if !strings.Contains(msg, "09_new.png") || !strings.Contains(msg, "outside") {
		t.Errorf("the failure does not name the file and the refused link: %q", msg)
	}
}

// TestPullNeverWritesThroughALinkOut replaces a locale folder of pulled screenshots, a text
// field folder and the .storesyncer notes folder by links to folders outside the collection:
// a forced pull must neither write nor delete a file there.
func TestPullNeverWritesThroughALinkOut(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, nil)
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	for _, d := range []string{"shots/APP_WATCH_SERIES_7", "texts", "meta"} {
		if err := os.MkdirAll(filepath.Join(outside, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	keep := filepath.Join(outside, "shots/APP_WATCH_SERIES_7/keep.png")
	if err := os.WriteFile(keep, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	for rel, target := range map[string]string{"screenshot/de-DE": filepath.Join(outside, "shots"), "keyword": filepath.Join(outside, "texts"), ".storesyncer": filepath.Join(outside, "meta")} {
		if err := os.RemoveAll(e.path(rel)); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, e.path(rel)); err != nil {
			t.Fatal(err)
		}
	}
	_, _ = e.eng.Pull(ctx, demo, PullOptions{Force: true})
	var got []string
	filepath.WalkDir(outside, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(outside, p)
			got = append(got, rel)
		}
		return nil
	})
	if len(got) != 1 || got[0] != filepath.Join("shots", "APP_WATCH_SERIES_7", "keep.png") {
		t.Errorf("pull wrote or deleted outside the collection: %v", got)
	}
}
