//go:build unix

package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// outsideMarker is in every file outside the collection that a hostile workspace points at;
// no request to App Store Connect may ever carry it.
const outsideMarker = "OUTSIDE-SECRET-7f3a9c"

const hostileShots = "screenshot/en-US/APP_WATCH_SERIES_7/"

// hostileCase is one way a teammate's commit could attack the demo app's collection.
type hostileCase struct {
	name string
	// make changes the collection dir; outside is a folder beside the workspace holding
	// secret.txt, image.png (a valid screenshot) and the config's key.
	make func(tb testing.TB, e *syncEnv, dir, outside string)
	// code and path are the problem validate and push report; code "" means an app check,
	// which validate (a folder check) does not make.
	code, path string
	// pushExit is push's exit code.
	pushExit int
}

// hostileCases are the cases of issue 9's "Why", plus links to parent folders and loops.
func hostileCases() []hostileCase {
	return []hostileCase{
		{"text linked to the API key", func(tb testing.TB, e *syncEnv, dir, outside string) {
			keys, _ := filepath.Glob(filepath.Join(filepath.Dir(e.cfg), "AuthKey_*.p8"))
			relink(tb, keys[0], filepath.Join(dir, "description/de-DE.txt"))
		}, "link.outside", "description/de-DE.txt", 3},
		{"text linked relatively out of the workspace", func(tb testing.TB, e *syncEnv, dir, outside string) {
			rel, _ := filepath.Rel(filepath.Join(dir, "promotionalText"), filepath.Join(outside, "secret.txt"))
			relink(tb, rel, filepath.Join(dir, "promotionalText/en-US.txt"))
		}, "link.outside", "promotionalText/en-US.txt", 3},
		{"screenshot linked outside", func(tb testing.TB, e *syncEnv, dir, outside string) {
			relink(tb, filepath.Join(outside, "image.png"), filepath.Join(dir, hostileShots+"09_x.png"))
		}, "link.outside", hostileShots + "09_x.png", 3},
		{"locale folder linked to a parent", func(tb testing.TB, e *syncEnv, dir, outside string) {
			relink(tb, "..", filepath.Join(dir, "screenshot/fr-FR"))
		}, "link.parent", "screenshot/fr-FR", 3},
		{"symlink loop", func(tb testing.TB, e *syncEnv, dir, outside string) {
			relink(tb, "it.txt", filepath.Join(dir, "keyword/fr-FR.txt"))
			relink(tb, "fr-FR.txt", filepath.Join(dir, "keyword/it.txt"))
		}, "link.loop", "keyword/fr-FR.txt", 3},
		{"dangling link", func(tb testing.TB, e *syncEnv, dir, outside string) {
			relink(tb, filepath.Join(outside, "gone.txt"), filepath.Join(dir, "whatsNew/en-US.txt"))
		}, "link.dangling", "whatsNew/en-US.txt", 3},
		{"FIFO as a text", func(tb testing.TB, e *syncEnv, dir, outside string) {
			os.Remove(filepath.Join(dir, "description/en-US.txt"))
			if err := syscall.Mkfifo(filepath.Join(dir, "description/en-US.txt"), 0o644); err != nil {
				tb.Fatal(err)
			}
		}, "file.special", "description/en-US.txt", 3},
		{"NUL inside a text", func(tb testing.TB, e *syncEnv, dir, outside string) {
			write(tb, filepath.Join(dir, "promotionalText/en-US.txt"), []byte("Plan your day\x00"+outsideMarker))
		}, "text.control_char", "promotionalText/en-US.txt", 3},
		{"newline in a screenshot name", func(tb testing.TB, e *syncEnv, dir, outside string) {
			write(tb, filepath.Join(dir, hostileShots+"04\nx.png"), markedPNG(tb))
		}, "name.invalid", hostileShots + `04\nx.png`, 3},
		{"invalid UTF-8 in a file name", func(tb testing.TB, e *syncEnv, dir, outside string) {
			write(tb, filepath.Join(dir, hostileShots+"05\xff.png"), markedPNG(tb))
		}, "name.invalid", hostileShots + `05\xff.png`, 3},
		{"app_id of another app", func(tb testing.TB, e *syncEnv, dir, outside string) {
			setAppID(tb, e, "com.example.demo.pro")
			write(tb, filepath.Join(dir, "promotionalText/en-US.txt"), []byte(outsideMarker))
		}, "", "app.toml", 2},
	}
}

// TestHostileWorkspaceCLI runs each hostile case through validate and push: the problem's code
// and path are reported, the exit code is the documented one, and no byte of a file outside
// the collection reaches App Store Connect.
func TestHostileWorkspaceCLI(t *testing.T) {
	for _, tt := range hostileCases() {
		t.Run(tt.name, func(t *testing.T) {
			e := newHostileEnv(t)
			dir := e.path("main", "")
			outside := hostileOutside(t, e)
			tt.make(t, e.syncEnv, dir, outside)
			e.sim.ResetJournal()
			if tt.code != "" {
				exit, out, errOut := e.runWithin("--json", "validate", dir)
				if exit != 3 || !hasProblem(t, out, tt.code, tt.path) {
					t.Errorf("validate: exit %d, want 3 with %s at %q\n%s%s", exit, tt.code, tt.path, out, errOut)
				}
			}
			if tt.code == "" { // an app check: plan stops too, with exit 2
				if exit, out, errOut := e.runWithin("plan"); exit != 2 || !strings.Contains(errOut, "com.example.demo.pro") {
					t.Errorf("plan: exit %d, want 2 naming the other app\n%s%s", exit, out, errOut)
				}
			}
			exit, out, errOut := e.runWithin("push", "--yes")
			if exit != tt.pushExit {
				t.Errorf("push: exit %d, want %d\n%s%s", exit, tt.pushExit, out, errOut)
			}
			if want := tt.code; want != "" && (!strings.Contains(out+errOut, want) || !strings.Contains(out+errOut, strings.TrimSuffix(tt.path, ".txt"))) {
				t.Errorf("push does not name %s at %s:\n%s%s", want, tt.path, out, errOut)
			}
			if tt.code == "" && !strings.Contains(errOut, "app.mismatch") && !strings.Contains(errOut, "com.example.demo.pro") {
				t.Errorf("push does not say app_id is another app's:\n%s", errOut)
			}
			e.noMarkerSent()
			if got, _ := e.sim.VersionLocalization("com.example.demo.pro", "2.0", "en-US"); strings.Contains(got["promotionalText"], outsideMarker) {
				t.Errorf("the other app's promotional text was changed: %q", got["promotionalText"])
			}
		})
	}
}

// hostileEnv is a syncEnv whose simulator keeps request bodies, with the demo app added.
type hostileEnv struct{ *syncEnv }

func newHostileEnv(tb testing.TB) *hostileEnv {
	tb.Helper()
	e := newSyncEnvWith(tb, func(s *ascapitest.Server) { s.JournalBodies = true })
	e.mustRun("apps", "add", "--bundle-id", testBundle)
	return &hostileEnv{e}
}

// runWithin runs a command with a deadline: a read that blocks fails the test, not the run.
func (e *hostileEnv) runWithin(args ...string) (int, string, string) {
	e.tb.Helper()
	type result struct {
		exit     int
		out, err string
	}
	ch := make(chan result, 1)
	go func() {
		exit, out, errOut := e.run(args...)
		ch <- result{exit, out, errOut}
	}()
	select {
	case r := <-ch:
		return r.exit, r.out, r.err
	case <-time.After(60 * time.Second):
		e.tb.Fatalf("storesyncer %s blocked", strings.Join(args, " "))
		return 0, "", ""
	}
}

// noMarkerSent fails when a request carried the marker or a line of the API key.
func (e *syncEnv) noMarkerSent() {
	e.tb.Helper()
	for _, m := range secretMarkers(e.tb, e) {
		if got := e.sim.Containing([]byte(m)); len(got) > 0 {
			e.tb.Errorf("%d request(s) carried %q, e.g. %s %s", len(got), m, got[0].Method, got[0].Path)
		}
	}
}

// secretMarkers are the outside marker and the base64 lines of the API key.
func secretMarkers(tb testing.TB, e *syncEnv) []string {
	tb.Helper()
	keys, _ := filepath.Glob(filepath.Join(filepath.Dir(e.cfg), "AuthKey_*.p8"))
	if len(keys) != 1 {
		tb.Fatalf("key files: %v", keys)
	}
	pem, err := os.ReadFile(keys[0])
	if err != nil {
		tb.Fatal(err)
	}
	out := []string{outsideMarker}
	for _, l := range strings.Split(string(pem), "\n") {
		if len(l) > 16 && !strings.HasPrefix(l, "-----") {
			out = append(out, l)
		}
	}
	return out
}

// hostileOutside makes the folder beside the workspace that hostile links point into.
func hostileOutside(tb testing.TB, e *hostileEnv) string {
	tb.Helper()
	outside := filepath.Join(filepath.Dir(e.cfg), "outside")
	if err := os.MkdirAll(outside, 0o700); err != nil {
		tb.Fatal(err)
	}
	write(tb, filepath.Join(outside, "secret.txt"), []byte(outsideMarker))
	write(tb, filepath.Join(outside, "image.png"), markedPNG(tb))
	return outside
}

// markedPNG is a valid APP_WATCH_SERIES_7 screenshot that carries outsideMarker in a tEXt
// chunk, so an upload of it would show in the journal.
func markedPNG(tb testing.TB) []byte {
	tb.Helper()
	img := ascapitest.SamplePNG(shotW, shotH, 77)
	data := append([]byte("Comment\x00"), outsideMarker...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	chunk = append(chunk, "tEXt"...)
	chunk = append(chunk, data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(append([]byte("tEXt"), data...)))
	const afterIHDR = 8 + 25
	return append(append(append([]byte{}, img[:afterIHDR]...), chunk...), img[afterIHDR:]...)
}

// hasProblem reports whether validate's JSON lists code at path.
func hasProblem(tb testing.TB, out, code, path string) bool {
	tb.Helper()
	var doc struct {
		Problems []struct{ Path, Code string } `json:"problems"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		tb.Fatalf("validate --json: %v\n%s", err, out)
	}
	for _, p := range doc.Problems {
		if p.Code == code && p.Path == path {
			return true
		}
	}
	return false
}

// setAppID points the demo app's app.toml at the app ID of bundleID.
func setAppID(tb testing.TB, e *syncEnv, bundleID string) {
	tb.Helper()
	id, ok := e.sim.AppID(bundleID)
	if !ok {
		tb.Fatalf("no app %s", bundleID)
	}
	ws, err := workspace.Open(e.ws)
	if err != nil {
		tb.Fatal(err)
	}
	a, err := ws.App(testBundle)
	if err != nil {
		tb.Fatal(err)
	}
	a.AppID = id
	if err := ws.WriteApp(a); err != nil {
		tb.Fatal(err)
	}
}

// relink replaces p (if any) by a symbolic link to target.
func relink(tb testing.TB, target, p string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	os.Remove(p)
	if err := os.Symlink(target, p); err != nil {
		tb.Fatal(err)
	}
}

func write(tb testing.TB, p string, data []byte) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// TestHostileWorkspaceDaemon runs the real binary's daemon on a workspace whose demo app
// holds every hostile file at once, beside a clean app: the clean app keeps syncing, status
// names each problem's code and path, a wrong app_id stops the demo app with app.mismatch,
// nothing outside the collection reaches App Store Connect or the state, and SIGTERM stops
// the daemon within seconds although a FIFO sits in the watched collection.
func TestHostileWorkspaceDaemon(t *testing.T) {
	bin := storesyncerBinary(t)
	e := newHostileEnv(t)
	e.mustRun("apps", "add", "--bundle-id", "com.example.demo.pro")
	dir := e.path("main", "")
	outside := hostileOutside(t, e)
	want := map[string]string{} // path → code
	for _, c := range hostileCases() {
		if c.code == "" || want[c.path] != "" || strings.HasPrefix(c.path, "promotionalText/") && len(want) > 0 && c.code == "text.control_char" {
			continue
		}
		c.make(t, e.syncEnv, dir, outside)
		want[c.path] = c.code
	}
	e.sim.ResetJournal()

	cmd := exec.Command(bin, "--config", e.cfg, "run")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() { _ = cmd.Process.Kill() }()
	api := daemonAPI(t, e)
	waitFor(t, exited, &stderr, "the status API", func() bool { _, err := api.status(); return err == nil })

	// The clean app is served.
	write(t, filepath.Join(e.ws, "com.example.demo.pro", "main", "promotionalText", "en-US.txt"), []byte("Pro keeps syncing\n"))
	waitFor(t, exited, &stderr, "the clean app's upload", func() bool {
		got, _ := e.sim.VersionLocalization("com.example.demo.pro", "2.0", "en-US")
		return got["promotionalText"] == "Pro keeps syncing"
	})
	// Every hostile file is a problem in status, with its code and path.
	waitFor(t, exited, &stderr, "every problem in status", func() bool {
		st, err := api.status()
		if err != nil {
			return false
		}
		for path, code := range want {
			if !st.has(testBundle, code, path) {
				return false
			}
		}
		return true
	})
	// A wrong app_id stops the demo app, shown as app.mismatch.
	setAppID(t, e.syncEnv, "com.example.demo.pro")
	waitFor(t, exited, &stderr, "app.mismatch in status", func() bool {
		st, err := api.status()
		return err == nil && st.has(testBundle, "app.mismatch", "")
	})
	if got, _ := e.sim.VersionLocalization("com.example.demo.pro", "2.0", "en-US"); got["promotionalText"] != "Pro keeps syncing" {
		t.Errorf("the other app's promotional text = %q", got["promotionalText"])
	}

	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("storesyncer run after SIGTERM: %v\n%s", err, stderr.String())
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("SIGTERM took %s", d)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("storesyncer run did not stop on SIGTERM within 15 s\n%s", stderr.String())
	}
	e.noMarkerSent()
	// Nothing secret at rest: neither the database nor its WAL holds the key or the marker.
	stateDir := filepath.Join(filepath.Dir(e.cfg), "state")
	for _, name := range []string{"state.db", "state.db-wal"} {
		b, err := os.ReadFile(filepath.Join(stateDir, name))
		if err != nil {
			continue // the WAL is checkpointed away on a clean stop
		}
		for _, m := range secretMarkers(t, e.syncEnv) {
			if bytes.Contains(b, []byte(m)) {
				t.Errorf("%s holds %q", name, m)
			}
		}
	}
	for _, m := range secretMarkers(t, e.syncEnv) {
		if strings.Contains(stderr.String(), m) {
			t.Errorf("the daemon's log holds %q", m)
		}
	}
}

// statusDoc is the part of /api/v1/status these tests read.
type statusDoc struct {
	Problems []struct{ App, Path, Code string } `json:"problems"`
	Apps     []struct {
		BundleID string `json:"bundle_id"`
		Error    string `json:"error"`
	} `json:"apps"`
}

// has reports whether app has a problem with code at path ("" matches any path).
func (s statusDoc) has(app, code, path string) bool {
	for _, p := range s.Problems {
		if p.App == app && p.Code == code && (path == "" || p.Path == path) {
			return true
		}
	}
	return false
}

type daemonClient struct {
	base, token string
}

// daemonAPI reads the env's [api] listen address and token file.
func daemonAPI(tb testing.TB, e *hostileEnv) *daemonClient {
	tb.Helper()
	cfg, err := os.ReadFile(e.cfg)
	if err != nil {
		tb.Fatal(err)
	}
	listen := ""
	for _, l := range strings.Split(string(cfg), "\n") {
		if v, ok := strings.CutPrefix(l, "listen = "); ok {
			listen = strings.Trim(v, `"`)
		}
	}
	return &daemonClient{base: "http://" + listen, token: filepath.Join(filepath.Dir(e.cfg), "state", "api-token")}
}

func (c *daemonClient) status() (statusDoc, error) {
	tok, err := os.ReadFile(c.token)
	if err != nil {
		return statusDoc{}, err
	}
	req, _ := http.NewRequest("GET", c.base+"/api/v1/status", nil)
	req.Header.Set("Authorization", "bearer "+strings.TrimSpace(string(tok))) // the scheme is case-insensitive
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return statusDoc{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		return statusDoc{}, fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	var st statusDoc
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// waitFor polls cond until it holds, failing after 40 s or when the daemon exits.
func waitFor(tb testing.TB, exited <-chan error, stderr *bytes.Buffer, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(40 * time.Second)
	for !cond() {
		select {
		case err := <-exited:
			tb.Fatalf("storesyncer run exited (%v) before %s:\n%s", err, what, stderr.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			tb.Fatalf("no %s after 40 s; log:\n%s", what, stderr.String())
		}
	}
}

// TestStopGraceEndsAStuckCommand runs the real binary on a config that is a FIFO nobody
// writes, so reading it blocks in the kernel where no context reaches: SIGTERM still ends the
// process, within the stop grace.
func TestStopGraceEndsAStuckCommand(t *testing.T) {
	bin := storesyncerBinary(t)
	fifo := filepath.Join(t.TempDir(), "config.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config", fifo, "doctor")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() { _ = cmd.Process.Kill() }()
	select {
	case err := <-exited:
		t.Fatalf("doctor did not block on the FIFO: %v\n%s", err, stderr.String())
	case <-time.After(500 * time.Millisecond):
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitFailure || !strings.Contains(stderr.String(), "still stopping") {
			t.Errorf("exit = %v; want %d with a note\n%s", err, exitFailure, stderr.String())
		}
	case <-time.After(stopGrace + 10*time.Second):
		t.Fatalf("storesyncer did not stop %s after SIGTERM", stopGrace+10*time.Second)
	}
}
