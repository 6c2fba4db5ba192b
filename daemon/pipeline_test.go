package daemon

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

func postsTo(e *env, prefix string) int {
	return countWhere(e.srv.APICalls(), func(c ascapitest.Entry) bool {
		return c.Method == "POST" && strings.HasPrefix(c.Path, prefix)
	})
}

func md5hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

// TestCheckoutOfManyFiles rewrites every file of the collection ten times (hundreds of
// events, as a git checkout does) and changes three descriptions on the way: exactly one PATCH
// per changed localization, and no image is uploaded again.
func TestCheckoutOfManyFiles(t *testing.T) {
	e := newEnv(t, envOptions{})
	var files []string
	err := filepath.WalkDir(e.coll(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".storesyncer" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("collection has %d files; the test wants a full one", len(files))
	}
	events := 0
	for round := range 10 {
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if round == 5 && strings.Contains(p, string(filepath.Separator)+"description"+string(filepath.Separator)) {
				b = []byte("Checked out " + filepath.Base(p) + "\n")
			}
			writeFile(t, p, b)
			events++
		}
	}
	for _, loc := range []string{"en-US", "de-DE", "ja"} {
		e.waitRemote(loc, "description", "Checked out "+loc+".txt")
	}
	e.sentinel(1)
	if got := len(e.patches()); got != 4 {
		t.Errorf("after %d file writes: %d PATCHes, want 3 (+1 sentinel)", events, got)
	}
	if got := postsTo(e, "/v1/appScreenshots"); got != 0 {
		t.Errorf("%d screenshots uploaded again, want 0", got)
	}
}

// TestSlowCopyUploadsOnce copies a screenshot in chunks slower than the quiet period: the
// half-copied file is held as invalid, and the complete one is uploaded exactly once.
func TestSlowCopyUploadsOnce(t *testing.T) {
	e := newEnv(t, envOptions{})
	img := ascapitest.SamplePNG(1290, 2796, 7)
	path := e.coll("screenshot", "en-US", "APP_IPHONE_67", "09_new.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := len(img)/6 + 1
	for off := 0; off < len(img); off += chunk {
		if _, err := f.Write(img[off:min(off+chunk, len(img))]); err != nil {
			t.Fatal(err)
		}
		f.Sync()
		time.Sleep(80 * time.Millisecond) // longer than the quiet period: the half file is flushed
	}
	f.Close()
	e.waitFor("the new screenshot on App Store Connect", func() bool {
		set, _ := e.srv.ScreenshotSet(testApp, testVersion, "en-US", "APP_IPHONE_67")
		return slices.Contains(set.Checksums(), md5hex(img)) && set.Assets[len(set.Assets)-1].State == "COMPLETE"
	})
	e.waitIdle()
	if got := postsTo(e, "/v1/appScreenshots"); got != 1 {
		t.Errorf("%d screenshot reservations, want 1", got)
	}
	set, _ := e.srv.ScreenshotSet(testApp, testVersion, "en-US", "APP_IPHONE_67")
	if len(set.Assets) != 4 {
		t.Errorf("remote set holds %d screenshots (%v), want 4", len(set.Assets), set.FileNames())
	}
}

// TestNewFolderCreatedBeforeWatch makes a new set folder with its files at once, before the
// watcher can add a watch on it: its contents count as created and the set is uploaded.
func TestNewFolderCreatedBeforeWatch(t *testing.T) {
	e := newEnv(t, envOptions{})
	dir := e.coll("screenshot", "en-US", "APP_IPAD_PRO_3GEN_129")
	a, b := ascapitest.SamplePNG(2048, 2732, 1), ascapitest.SamplePNG(2048, 2732, 2)
	writeFile(t, filepath.Join(dir, "1.png"), a)
	writeFile(t, filepath.Join(dir, "2.png"), b)
	e.waitFor("the new set on App Store Connect", func() bool {
		set, ok := e.srv.ScreenshotSet(testApp, testVersion, "en-US", "APP_IPAD_PRO_3GEN_129")
		return ok && slices.Equal(set.Checksums(), []string{md5hex(a), md5hex(b)})
	})
	e.waitIdle()
	if got := postsTo(e, "/v1/appScreenshotSets"); got != 1 {
		t.Errorf("%d set creations, want 1", got)
	}
	if got := postsTo(e, "/v1/appScreenshots"); got != 2 {
		t.Errorf("%d screenshot reservations, want 2", got)
	}
}

// TestApproval holds jobs until approved: with auto = false every change waits, and a change
// over approve_over waits even with auto on, until `storesyncer push`.
func TestApproval(t *testing.T) {
	t.Run("auto off", func(t *testing.T) {
		e := newEnv(t, envOptions{extra: "\n[sync]\nauto = false\nremote_poll_interval = \"1h\"\n"})
		writeFile(t, e.coll("keyword", "ja.txt"), []byte("プランナー,承認\n"))
		e.waitFor("a held job", func() bool { return e.d.Backend().Status(context.Background()).Queue.Held == 1 })
		st := e.d.Backend().Status(context.Background())
		if st.Apps[0].AwaitingApproval != 1 || len(e.patches()) != 0 {
			t.Fatalf("awaiting approval %d, PATCHes %d; want 1 and 0", st.Apps[0].AwaitingApproval, len(e.patches()))
		}
		n, err := e.d.Backend().Approve(context.Background(), statusapi.ApproveRequest{})
		if err != nil || n != 1 {
			t.Fatalf("approve = %d, %v; want 1", n, err)
		}
		e.waitRemote("ja", "keywords", "プランナー,承認")
	})
	t.Run("over approve_over", func(t *testing.T) {
		e := newEnv(t, envOptions{extra: "\n[sync]\napprove_over = 1\nremote_poll_interval = \"1h\"\n"})
		// Activating another collection re-plans everything at once: two writes > 1.
		alt := filepath.Join(e.cfg.Workspace, testApp, "alt")
		run(t, "cp", "-r", e.coll(), alt)
		writeFile(t, filepath.Join(alt, "keyword", "ja.txt"), []byte("プランナー,一\n"))
		writeFile(t, filepath.Join(alt, "keyword", "de-DE.txt"), []byte("planer,zwei\n"))
		if res := e.d.Command(context.Background(), &command.CollectionsActivate{Collection: "alt"}); res.ExitCode != 0 {
			t.Fatalf("activate: %+v", res)
		}
		e.waitFor("two held jobs", func() bool { return e.d.Backend().Status(context.Background()).Queue.Held == 2 })
		if len(e.patches()) != 0 {
			t.Fatalf("%d PATCHes before approval", len(e.patches()))
		}
		res := e.d.Command(context.Background(), &command.Push{})
		if res.ExitCode != 0 {
			t.Fatalf("push: %+v", res)
		}
		e.waitRemote("ja", "keywords", "プランナー,一")
		e.waitRemote("de-DE", "keywords", "planer,zwei")
		e.waitIdle()
		if got := len(e.patches()); got != 2 {
			t.Errorf("%d PATCHes, want 2", got)
		}
	})
	t.Run("a checkout over approve_over", func(t *testing.T) {
		// A quiet period of 500 ms, so the three writes are one change even when a loaded
		// machine delays one of them by more than the default 50 ms.
		e := newEnv(t, envOptions{quiet: 500 * time.Millisecond, extra: "\n[sync]\napprove_over = 2\nremote_poll_interval = \"1h\"\n"})
		// Three localizations changed a few milliseconds apart, as a git checkout writes them:
		// one change of three writes, held as a whole.
		for _, f := range []struct{ locale, text string }{{"en-US", "planner,checkout"}, {"de-DE", "planer,checkout"}, {"ja", "プランナー,チェックアウト"}} {
			writeFile(t, e.coll("keyword", f.locale+".txt"), []byte(f.text+"\n"))
			time.Sleep(2 * time.Millisecond) // files of a checkout land apart, not at once
		}
		e.waitFor("three held jobs", func() bool { return e.d.Backend().Status(context.Background()).Queue.Held == 3 })
		if len(e.patches()) != 0 {
			t.Fatalf("%d PATCHes before approval", len(e.patches()))
		}
		if n, err := e.d.Backend().Approve(context.Background(), statusapi.ApproveRequest{}); err != nil || n != 3 {
			t.Fatalf("approve = %d, %v; want 3", n, err)
		}
		e.waitRemote("ja", "keywords", "プランナー,チェックアウト")
		e.waitIdle()
		if got := len(e.patches()); got != 3 {
			t.Errorf("%d PATCHes, want 3", got)
		}
	})
}

// TestInvalidKeyIsHeld makes a keyword too long: nothing is sent, status shows the problem,
// and fixing it sends the fix.
func TestInvalidKeyIsHeld(t *testing.T) {
	e := newEnv(t, envOptions{})
	writeFile(t, e.coll("keyword", "de-DE.txt"), []byte(strings.Repeat("zu,lang,", 20)+"\n"))
	e.waitFor("the problem in status", func() bool {
		for _, p := range e.d.Snapshot().Problems {
			if p.Path == "keyword/de-DE.txt" && p.Severity == "error" {
				return true
			}
		}
		return false
	})
	e.sentinel(1)
	if got := len(e.patches()); got != 1 {
		t.Errorf("%d PATCHes, want only the sentinel's", got)
	}
	writeFile(t, e.coll("keyword", "de-DE.txt"), []byte("planer,gut\n"))
	e.waitRemote("de-DE", "keywords", "planer,gut")
	e.waitFor("the problem to clear", func() bool {
		return !slices.ContainsFunc(e.d.Snapshot().Problems, func(p Problem) bool { return p.Path == "keyword/de-DE.txt" })
	})
}

// TestRemoteEditReachesFile edits a text on App Store Connect (the web UI): the remote poll
// writes it into the file, and the daemon's own write uploads nothing back.
func TestRemoteEditReachesFile(t *testing.T) {
	e := newEnv(t, envOptions{})
	webEdit(t, e.srv, "de-DE", "planer,vom,web")
	poke(e.d.pollc)
	e.waitFor("the web edit in the file", func() bool {
		b, _ := os.ReadFile(e.coll("keyword", "de-DE.txt"))
		return strings.TrimSpace(string(b)) == "planer,vom,web"
	})
	e.sentinel(1)
	if got := len(e.patches()); got != 2 {
		t.Errorf("%d PATCHes, want the web edit and the sentinel only", got)
	}
}

// TestRemoteMediaChangeIsConflict deletes a screenshot on App Store Connect: the remote poll
// reports the set as a conflict in status and touches neither the folder nor the remote set.
func TestRemoteMediaChangeIsConflict(t *testing.T) {
	e := newEnv(t, envOptions{})
	set, _ := e.srv.ScreenshotSet(testApp, testVersion, "ja", "APP_IPHONE_67")
	c := simClient(t, e.srv)
	if _, err := c.Screenshots.Delete(context.Background(), set.Assets[0].ID); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadDir(e.coll("screenshot", "ja", "APP_IPHONE_67"))
	e.srv.ResetJournal()
	poke(e.d.pollc)
	e.waitFor("the conflict in status", func() bool {
		return slices.ContainsFunc(e.d.Snapshot().Conflicts, func(c Conflict) bool { return c.Key == "ja/screenshot/APP_IPHONE_67" })
	})
	e.waitIdle()
	after, _ := os.ReadDir(e.coll("screenshot", "ja", "APP_IPHONE_67"))
	if len(after) != len(before) {
		t.Errorf("the folder changed: %d files, then %d", len(before), len(after))
	}
	if n := countWhere(e.srv.APICalls(), func(c ascapitest.Entry) bool { return c.Method != "GET" }); n != 0 {
		t.Errorf("%d writes to App Store Connect after a remote media change, want 0", n)
	}
}

// simClient is an ascapi client for the simulator's main key.
func simClient(t testing.TB, srv *ascapitest.Server) *ascapi.Client {
	t.Helper()
	creds := srv.Credentials()
	key, err := ascapi.ParseKey(creds.PrivateKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ascapi.NewClient(ascapi.Credentials{IssuerID: creds.IssuerID, KeyID: creds.KeyID, PrivateKey: key}, ascapi.WithBaseURL(srv.URL()+"/"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// webEdit changes locale's keywords on the simulator as App Store Connect's web UI would.
func webEdit(t testing.TB, srv *ascapitest.Server, locale, keywords string) {
	t.Helper()
	c := simClient(t, srv)
	r, err := remote.New(remote.Config{Client: c})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	app, err := r.FindApp(ctx, testApp, "IOS")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := r.Fetch(ctx, app, remote.Scope{Texts: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.VersionLocalizations.Update(ctx, snap.Resources.VersionLocalizations[locale], ascapi.VersionLocalizationAttributes{Keywords: &keywords}); err != nil {
		t.Fatal(err)
	}
}

// TestRevertDeletesPendingJob edits a keyword while uploads are paused, so its job waits, then
// puts the old text back: the job is deleted and nothing is sent after Resume.
func TestRevertDeletesPendingJob(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	if err := e.d.Backend().Pause(ctx); err != nil {
		t.Fatal(err)
	}
	path := e.coll("keyword", "ja.txt")
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, []byte("プランナー,一時\n"))
	e.waitFor("a pending job", func() bool { return e.d.Backend().Status(ctx).Queue.Pending == 1 })
	writeFile(t, path, orig)
	e.waitFor("the job to go", func() bool { return e.d.Backend().Status(ctx).Queue.Pending == 0 })
	if err := e.d.Backend().Resume(ctx); err != nil {
		t.Fatal(err)
	}
	e.sentinel(1)
	if got := len(e.patches()); got != 1 {
		t.Errorf("%d PATCHes, want only the sentinel's", got)
	}
	hist, err := e.d.Backend().History(ctx, testApp, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hist {
		if len(h.Keys) == 1 && h.Keys[0] == "ja/keyword" {
			t.Errorf("history has a ja/keyword entry after a revert: %+v", h)
		}
	}
}

// TestProblemOfAPathWithoutKeyStays adds a file that names no key (NOTES.md at the top of the
// collection): its warning shows in status and is still there after a later save, whose read
// of the collection starts from a listing that has the file; deleting it clears the warning.
func TestProblemOfAPathWithoutKeyStays(t *testing.T) {
	e := newEnv(t, envOptions{})
	hasNote := func() bool {
		return slices.ContainsFunc(e.d.Snapshot().Problems, func(p Problem) bool {
			return p.Path == "NOTES.md" && p.Code == collection.CodeLayoutUnknownFile
		})
	}
	writeFile(t, e.coll("NOTES.md"), []byte("notes for the team\n"))
	e.waitFor("the note's warning in status", hasNote)
	writeFile(t, e.coll("keyword", "de-DE.txt"), []byte("planer,readme\n"))
	e.waitRemote("de-DE", "keywords", "planer,readme")
	e.waitIdle()
	if !hasNote() {
		t.Errorf("the note's warning is gone after a save; problems %+v", e.d.Snapshot().Problems)
	}
	if err := os.Remove(e.coll("NOTES.md")); err != nil {
		t.Fatal(err)
	}
	e.waitFor("the note's warning to clear", func() bool { return !hasNote() })
}
