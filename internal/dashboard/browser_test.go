package dashboard_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/daemon"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

var update = flag.Bool("update", false, "write the README's screenshots of each page to docs/")

const demoApp = "com.example.demo"

// browserEnv is a real daemon, with its dashboard, syncing the simulator's seeded app.
type browserEnv struct {
	t    *testing.T
	srv  *ascapitest.Server
	d    *daemon.Daemon
	dir  string
	base string
}

func (e *browserEnv) coll(parts ...string) string {
	return filepath.Join(append([]string{e.dir, "workspace", demoApp, "main"}, parts...)...)
}

func startDaemon(t *testing.T) *browserEnv {
	t.Helper()
	srv := &ascapitest.Server{ProcessingDelay: 100 * time.Millisecond}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	listen, err := ascapitest.FreeLoopbackAddr()
	if err != nil {
		t.Fatal(err)
	}
	if err := ascapitest.WriteCredentials(dir, srv.Credentials(), srv.URL(), listen); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "config.toml")
	f, err := os.OpenFile(cfgPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(f, "\n[watch]\nquiet_period = \"200ms\"\nmax_wait = \"2s\"\ndelete_delay = \"400ms\"\n")
	f.Close()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	d, err := daemon.New(daemon.Config{Config: cfg, AssetPollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- d.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("daemon: %v", err)
		}
	})
	select {
	case <-d.Ready():
	case err := <-errc:
		t.Fatalf("daemon: %v", err)
	}
	res, err := d.Backend().Command(context.Background(), "apps.add", []byte(`{"bundle_id":"`+demoApp+`"}`))
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("apps add: %v %+v", err, res)
	}
	eventually(t, "the daemon to know the app's target version", func() bool {
		st := d.Backend().Status(context.Background())
		return len(st.Apps) == 1 && st.Apps[0].TargetVersion != ""
	})
	return &browserEnv{t: t, srv: srv, d: d, dir: dir, base: "http://" + d.APIAddr()}
}

// chromium finds Debian's Chromium (installed by .ci/run).
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const why = "no Chromium on this machine: install Debian's chromium package (.ci/run does)"
	if os.Getenv("CI") != "" { // .ci/run installs it: a browser test that did not run is a failure there
		t.Fatal(why)
	}
	t.Skip(why)
	return ""
}

func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1300, 1000),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// eventually waits up to 20 s for cond, failing with what.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func get[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// shot saves the page as docs/dashboard-NAME.png with -update.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if !*update {
		return
	}
	buf := get(t, ctx, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join("..", "..", "docs", "dashboard-"+name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

func screenshotPNG(t *testing.T, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1290, 2796))
	for y := 0; y < 2796; y++ {
		for x := 0; x < 1290; x++ {
			img.Set(x, y, color.RGBA{R: shade, G: uint8(x), B: uint8(y), A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// webEdit changes a version localization's keywords as App Store Connect's web page would.
func webEdit(t *testing.T, srv *ascapitest.Server, locale, keywords string) {
	t.Helper()
	c := simClient(t, srv)
	r, err := remote.New(remote.Config{Client: c})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	app, err := r.FindApp(ctx, demoApp, "IOS")
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

// simClient is an App Store Connect client of the simulator's key: the web page's stand-in.
func simClient(t *testing.T, srv *ascapitest.Server) *ascapi.Client {
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

func remoteKeywords(srv *ascapitest.Server, locale string) string {
	attrs, _ := srv.VersionLocalization(demoApp, "1.1", locale)
	return attrs["keywords"]
}

func countAPI(srv *ascapitest.Server, method, route string) int {
	n := 0
	for _, c := range srv.APICalls() {
		if c.Method == method && c.Route == route {
			n++
		}
	}
	return n
}

// TestDashboardInABrowser drives the page in a real Chromium against a real daemon and the
// simulator: login through the one-time URL, the app page, a keyword edited in the grid, a
// screenshot uploaded, two reordered by drag, a conflict settled, a foreign POST refused.
func TestDashboardInABrowser(t *testing.T) {
	e := startDaemon(t)
	ctx := newBrowser(t) // cleaned up first: the browser leaves before the daemon stops
	login, err := e.d.DashboardURL()
	if err != nil {
		t.Fatal(err)
	}

	// Login: the code is exchanged for a cookie and leaves the address bar.
	run(t, ctx, chromedp.Navigate(login), chromedp.WaitVisible(chromedp.CSS(`table.apps`)))
	loc := get(t, ctx, chromedp.Location())
	apps := get(t, ctx, chromedp.Text(chromedp.CSS(`table.apps`)))
	if loc != e.base+"/" {
		t.Fatalf("after login the browser is at %s", loc)
	}
	if !strings.Contains(apps, "Planner Demo") || !strings.Contains(apps, "1.1") {
		t.Fatalf("apps page shows %q", apps)
	}
	shot(t, ctx, "apps")

	// The app page: versions with their states, the active collection.
	run(t, ctx, chromedp.Navigate(e.base+"/apps/"+demoApp), chromedp.WaitVisible(chromedp.CSS(`dl.facts`)))
	facts := get(t, ctx, chromedp.Text(chromedp.CSS(`dl.facts`)))
	versions := get(t, ctx, chromedp.Text(chromedp.CSS(`main`)))
	if !strings.Contains(facts, "main") || !strings.Contains(versions, "PREPARE_FOR_SUBMISSION") || !strings.Contains(versions, "READY_FOR_SALE") && !strings.Contains(versions, "READY_FOR_DISTRIBUTION") {
		t.Fatalf("app page: facts %q, page %q", facts, versions)
	}
	shot(t, ctx, "app")

	// A keyword edited in the grid reaches the file and App Store Connect.
	e.srv.ResetJournal()
	collURL := e.base + "/apps/" + demoApp + "/c/main"
	run(t, ctx, chromedp.Navigate(collURL), chromedp.WaitVisible(chromedp.CSS(`#t-keyword-en-US`)),
		chromedp.SetValue(chromedp.CSS(`#t-keyword-en-US`), "dashboard,edit"),
		chromedp.Click(chromedp.CSS(`button[aria-label="Save keyword (en-US)"]`)))
	eventually(t, "the keyword file to change", func() bool {
		b, _ := os.ReadFile(e.coll("keyword", "en-US.txt"))
		return string(b) == "dashboard,edit\n"
	})
	eventually(t, "the PATCH to reach App Store Connect", func() bool { return remoteKeywords(e.srv, "en-US") == "dashboard,edit" })
	if n := countAPI(e.srv, "PATCH", "/v1/appStoreVersionLocalizations/{id}"); n != 1 {
		t.Errorf("%d PATCHes of the version localization for one edit, want 1", n)
	}
	lenText := get(t, ctx, chromedp.Text(chromedp.CSS(`#keyword-en-US .len`)))
	if !strings.HasPrefix(lenText, "14/100") {
		t.Errorf("length shown %q, want 14/100", lenText)
	}

	// A screenshot added by upload lands as the set's fourth, on disk and remotely.
	upload := filepath.Join(t.TempDir(), "my screenshot.png")
	if err := os.WriteFile(upload, screenshotPNG(t, 7), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Navigate(collURL), chromedp.WaitVisible(chromedp.CSS(`#up-en-US-APP_IPHONE_67`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#up-en-US-APP_IPHONE_67`), []string{upload}),
		chromedp.Submit(chromedp.CSS(`#up-en-US-APP_IPHONE_67`)), chromedp.WaitVisible(chromedp.CSS(`p.flash`)))
	if _, err := os.Stat(e.coll("screenshot", "en-US", "APP_IPHONE_67", "04.png")); err != nil {
		t.Fatalf("uploaded screenshot: %v", err)
	}
	eventually(t, "the uploaded screenshot to be COMPLETE on App Store Connect", func() bool {
		s, ok := e.srv.ScreenshotSet(demoApp, "1.1", "en-US", "APP_IPHONE_67")
		return ok && len(s.Assets) == 4 && s.Assets[3].Checksum != ""
	})
	shot(t, ctx, "collection")

	// Two screenshots swapped by drag: one reorder request, the remote order the folder's.
	jaBefore, _ := e.srv.ScreenshotSet(demoApp, "1.1", "ja", "APP_IPHONE_67")
	e.srv.ResetJournal()
	run(t, ctx, chromedp.Navigate(collURL), chromedp.WaitVisible(chromedp.CSS(`ol.thumbs[data-locale="ja"] li`)))
	get(t, ctx, chromedp.Evaluate[bool](`(() => {
			const items = document.querySelectorAll('ol.thumbs[data-locale="ja"] li');
			const dt = new DataTransfer();
			const opts = {bubbles: true, cancelable: true, dataTransfer: dt};
			items[0].dispatchEvent(new DragEvent('dragstart', opts));
			items[1].dispatchEvent(new DragEvent('dragover', opts));
			items[1].dispatchEvent(new DragEvent('drop', opts));
			items[0].dispatchEvent(new DragEvent('dragend', opts));
			return true;
		})()`))
	eventually(t, "the ja set to be reordered on App Store Connect", func() bool {
		s, _ := e.srv.ScreenshotSet(demoApp, "1.1", "ja", "APP_IPHONE_67")
		c, b := s.Checksums(), jaBefore.Checksums()
		return len(c) == 3 && c[0] == b[1] && c[1] == b[0] && c[2] == b[2]
	})
	if n := countAPI(e.srv, "PATCH", "/v1/appScreenshotSets/{id}/relationships/appScreenshots"); n != 1 {
		t.Errorf("%d reorder requests for one drag, want 1", n)
	}
	for _, c := range e.srv.APICalls() {
		if c.Method == "POST" || c.Method == "DELETE" {
			t.Errorf("a drag sent %s %s: a reorder uploads and deletes nothing", c.Method, c.Route)
		}
	}

	// A conflict settled from the sync page, keeping the folder's text.
	if res, err := e.d.Backend().Command(context.Background(), "pause", []byte(`{}`)); err != nil || res.ExitCode != 0 {
		t.Fatalf("pause: %v %+v", err, res)
	}
	if err := os.WriteFile(e.coll("keyword", "de-DE.txt"), []byte("aus,dem,ordner\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	webEdit(t, e.srv, "de-DE", "aus,dem,web")
	time.Sleep(600 * time.Millisecond) // past the quiet period, so the save is planned before resume
	if res, err := e.d.Backend().Command(context.Background(), "resume", []byte(`{}`)); err != nil || res.ExitCode != 0 {
		t.Fatalf("resume: %v %+v", err, res)
	}
	eventually(t, "the conflict on de-DE/keyword", func() bool {
		return slices.ContainsFunc(e.d.Backend().Status(context.Background()).Conflicts, func(c statusapi.Conflict) bool { return c.Key == "de-DE/keyword" })
	})
	run(t, ctx, chromedp.Navigate(e.base+"/sync"), chromedp.WaitVisible(chromedp.CSS(`article.conflict`)))
	side := get(t, ctx, chromedp.Text(chromedp.CSS(`article.conflict .sides`)))
	if !strings.Contains(side, "aus,dem,ordner") || !strings.Contains(side, "aus,dem,web") {
		t.Errorf("the conflict shows %q, want both sides (aus,dem,ordner and aus,dem,web)", side)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS(`button[aria-label="Keep local de-DE/keyword"]`)), chromedp.WaitVisible(chromedp.CSS(`p.flash`)))
	eventually(t, "the folder's keywords on App Store Connect", func() bool { return remoteKeywords(e.srv, "de-DE") == "aus,dem,ordner" })
	eventually(t, "the conflict to be gone", func() bool { return len(e.d.Backend().Status(context.Background()).Conflicts) == 0 })

	// A media conflict shows both sets: a screenshot deleted on the web, one added in the folder.
	de, _ := e.srv.ScreenshotSet(demoApp, "1.1", "de-DE", "APP_IPHONE_67")
	if _, err := simClient(t, e.srv).Screenshots.Delete(context.Background(), de.Assets[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.coll("screenshot", "de-DE", "APP_IPHONE_67", "09.png"), screenshotPNG(t, 9), 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the conflict on de-DE's screenshots", func() bool {
		return slices.ContainsFunc(e.d.Backend().Status(context.Background()).Conflicts, func(c statusapi.Conflict) bool { return c.Key == "de-DE/screenshot/APP_IPHONE_67" })
	})
	run(t, ctx, chromedp.Navigate(e.base+"/sync"), chromedp.WaitVisible(chromedp.CSS(`article.conflict img[alt="App Store Connect screenshot"]`)))
	local := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('article.conflict img[alt="local screenshot"]').length`))
	remoteN := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('article.conflict img[alt="App Store Connect screenshot"]').length`))
	if local != 4 || remoteN != 2 {
		t.Errorf("the media conflict shows %d local and %d remote screenshots, want 4 and 2", local, remoteN)
	}
	shot(t, ctx, "sync")

	// A POST from another site is refused, even with the browser's cookie.
	cookies := get(t, ctx, chromedp.Evaluate[string](`document.cookie`)) // HttpOnly: invisible to scripts
	if cookies != "" {
		t.Errorf("scripts can read the session cookie: %q", cookies)
	}
	req, _ := http.NewRequest(http.MethodPost, e.base+"/sync/pause", strings.NewReader("csrf=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a foreign-origin POST answered %d, want 403", res.StatusCode)
	}
	if e.d.Backend().Status(context.Background()).Paused {
		t.Error("a foreign-origin POST paused the daemon")
	}

	// Logout ends the session: the page asks for a login again.
	run(t, ctx, chromedp.Navigate(e.base+"/"), chromedp.Click(chromedp.CSS(`header form button`)), chromedp.WaitVisible(chromedp.CSS(`#token`)), chromedp.Navigate(e.base+"/sync"), chromedp.WaitVisible(chromedp.CSS(`#token`)))
	loc = get(t, ctx, chromedp.Location())
	if !strings.HasSuffix(loc, "/login") {
		t.Errorf("after logout /sync is at %s", loc)
	}
}

// TestDashboardKeyboard uses the page without a mouse: a screenshot moved with its "Move
// earlier" button, reached and pressed from the keyboard.
func TestDashboardKeyboard(t *testing.T) {
	e := startDaemon(t)
	ctx := newBrowser(t) // cleaned up first: the browser leaves before the daemon stops
	login, err := e.d.DashboardURL()
	if err != nil {
		t.Fatal(err)
	}
	before, _ := e.srv.ScreenshotSet(demoApp, "1.1", "en-US", "APP_IPHONE_67")
	e.srv.ResetJournal()
	run(t, ctx, chromedp.Navigate(login), chromedp.WaitVisible(chromedp.CSS(`table.apps`)),
		chromedp.Navigate(e.base+"/apps/"+demoApp+"/c/main"),
		chromedp.Focus(chromedp.CSS(`ol.thumbs[data-locale="en-US"] li:nth-child(2) button[aria-label$="earlier"]`)),
		chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS(`p.flash`)))
	eventually(t, "the en-US set to be reordered", func() bool {
		s, _ := e.srv.ScreenshotSet(demoApp, "1.1", "en-US", "APP_IPHONE_67")
		c, b := s.Checksums(), before.Checksums()
		return len(c) == 3 && c[0] == b[1] && c[1] == b[0]
	})
	if n := countAPI(e.srv, "PATCH", "/v1/appScreenshotSets/{id}/relationships/appScreenshots"); n != 1 {
		t.Errorf("%d reorder requests, want 1", n)
	}
	// Live: the sync page follows the daemon's events, so a save shows up without a reload.
	run(t, ctx, chromedp.Navigate(e.base+"/sync"), chromedp.WaitVisible(chromedp.CSS(`#live`)))
	get(t, ctx, chromedp.Evaluate[bool](`(document.body.dataset.loadMark = "1", true)`))
	if err := os.WriteFile(e.coll("keyword", "ja.txt"), []byte("ライブ\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the sync page to show the upload without a reload", func() bool {
		h, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#live`)))
		return err == nil && strings.Contains(h, "ja/keyword")
	})
	if mark := get(t, ctx, chromedp.Evaluate[string](`document.body.dataset.loadMark || ""`)); mark != "1" {
		t.Error("the page was reloaded; it should have updated in place")
	}

	// Every control has a label: no input, select, textarea or button without a name.
	unlabeled := get(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea, button'))
		.filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !(el.textContent || '').trim())
		.map(el => el.outerHTML.slice(0, 80))`))
	if len(unlabeled) > 0 {
		t.Errorf("controls without a label: %v", unlabeled)
	}
}
