package daemon

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/state"
)

// killSwitch stands between the daemon and the simulator (the daemon's api_base_url points
// at it, and so do the upload URLs the simulator hands out) and SIGKILLs the daemon process
// at one exact request: before the simulator sees it, or after the simulator applied it and
// before the answer leaves.
type killSwitch struct {
	srv *ascapitest.Server

	mu    sync.Mutex
	point *killPoint
	seen  int
	proc  *os.Process
	fired chan struct{}
}

// killPoint names the nth request that match selects.
type killPoint struct {
	match func(r *http.Request) bool
	nth   int
	// applied kills after the simulator applied the request (its answer is lost).
	applied bool
	// term sends SIGTERM instead of SIGKILL: the daemon stops as asked, mid-upload.
	term bool
}

func (k *killSwitch) arm(p *killPoint, proc *os.Process) {
	k.mu.Lock()
	k.point, k.seen, k.proc, k.fired = p, 0, proc, make(chan struct{})
	k.mu.Unlock()
}

func (k *killSwitch) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	p, proc, fired := k.point, k.proc, k.fired
	fire := false
	if p != nil && p.match(r) {
		if k.seen++; k.seen == p.nth {
			fire, k.point = true, nil
		}
	}
	k.mu.Unlock()
	if !fire {
		k.srv.ServeHTTP(w, r)
		return
	}
	if p.applied {
		k.srv.ServeHTTP(httptest.NewRecorder(), r)
	}
	if p.term {
		_ = proc.Signal(syscall.SIGTERM)
	} else {
		_ = proc.Kill()
	}
	close(fired)
	panic(http.ErrAbortHandler) // the connection drops; the daemon is gone anyway
}

func isReserve(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == "/v1/appScreenshots"
}
func isPart(r *http.Request) bool { return r.Method == http.MethodPut }
func isCommit(r *http.Request) bool {
	return r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/v1/appScreenshots/")
}
func isReorder(r *http.Request) bool {
	return r.Method == http.MethodPatch && strings.HasSuffix(r.URL.Path, "/relationships/appScreenshots")
}
func isAssetDelete(r *http.Request) bool {
	return r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/v1/appScreenshots/")
}
func isUploadTraffic(r *http.Request) bool {
	return isReserve(r) || isPart(r) || isCommit(r) || isReorder(r) || isAssetDelete(r) ||
		(r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/appScreenshots"))
}

// crashEnv is a workspace and state dir for daemon child processes, talking to the simulator
// through a killSwitch.
type crashEnv struct {
	*env
	ks *killSwitch
	n  int
	// want, when set, is the set's expected checksums in place of the folder's (files
	// pulled from App Store Connect carry Apple's re-encoded bytes, not the upload's).
	want []string
}

func newCrashEnv(t *testing.T) *crashEnv {
	t.Helper()
	e := newEnv(t, envOptions{configure: func(s *ascapitest.Server) {
		s.PartSize = 16 << 10 // several parts per screenshot, so a kill can land between two
	}})
	e.stop() // from here on the daemon runs in child processes
	ks := &killSwitch{srv: e.srv}
	front := httptest.NewServer(ks)
	t.Cleanup(front.Close)
	b, err := os.ReadFile(e.cfg.Path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(b), strconv.Quote(e.srv.URL()), strconv.Quote(front.URL), 1)
	if cfg == string(b) {
		t.Fatalf("config has no api_base_url %q", e.srv.URL())
	}
	if err := os.WriteFile(e.cfg.Path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return &crashEnv{env: e, ks: ks}
}

// child starts a daemon process.
func (c *crashEnv) child() *exec.Cmd {
	c.n++
	return startChild(c.t.(*testing.T), c.env, fmt.Sprintf("daemon%d.log", c.n))
}

// crashAt starts a daemon, kills it at p and waits for it to be gone.
func (c *crashEnv) crashAt(p *killPoint) {
	t := c.t.(*testing.T)
	t.Helper()
	cmd := c.child()
	c.ks.arm(p, cmd.Process)
	select {
	case <-c.ks.fired:
	case <-time.After(waitLimit):
		t.Fatal("the kill point was never reached")
	}
	_ = cmd.Wait()
}

// folder returns the checksums of the set folder's files in name order (the set's order).
func (c *crashEnv) folder(typ string) []string {
	t := c.t.(*testing.T)
	entries, err := os.ReadDir(c.coll("screenshot", "en-US", typ))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, en := range entries {
		if strings.HasPrefix(en.Name(), ".") {
			continue
		}
		b, err := os.ReadFile(c.coll("screenshot", "en-US", typ, en.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, md5hex(b))
	}
	return out
}

// converged reports whether the remote set holds exactly the folder, in its order, all
// COMPLETE, and the state holds no open job and no unsettled upload.
func (c *crashEnv) converged(typ string) (bool, string) {
	set, _ := c.srv.ScreenshotSet(testApp, testVersion, "en-US", typ)
	want := c.want
	if want == nil {
		want = c.folder(typ)
	}
	if !slices.Equal(set.Checksums(), want) || len(set.Assets) != len(want) {
		return false, "remote " + assetStates(set)
	}
	st, err := state.OpenReadOnly(c.cfg.Daemon.StateDir, state.Options{})
	if err != nil {
		return false, err.Error()
	}
	defer st.Close()
	ctx := context.Background()
	jobs, err := st.Jobs(ctx, state.JobFilter{})
	if err != nil || len(jobs) > 0 {
		return false, fmt.Sprintf("open jobs %+v %v", jobs, err)
	}
	ups, err := st.Uploads(ctx, "", "")
	if err != nil || len(ups) > 0 {
		return false, fmt.Sprintf("unsettled uploads %+v %v", ups, err)
	}
	return true, ""
}

// restartUntilConverged starts a daemon and waits until the set equals the folder with
// nothing left open; it fails on a conflict in the log.
func (c *crashEnv) restartUntilConverged(typ string) {
	t := c.t.(*testing.T)
	t.Helper()
	cmd := c.child()
	deadline := time.Now().Add(waitLimit)
	var why string
	for {
		var ok bool
		if ok, why = c.converged(typ); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no convergence: %s", why)
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
	for i := 1; i <= c.n; i++ {
		b, _ := os.ReadFile(filepath.Join(c.dir, fmt.Sprintf("daemon%d.log", i)))
		for _, bad := range []string{"changed on both sides", "first sync, both sides differ", "changed remotely", "deleted remotely"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("daemon%d.log reports %q", i, bad)
			}
		}
	}
}

// readFolder returns the files of the set folder of typ by name.
func (c *crashEnv) readFolder(typ string) map[string][]byte {
	dir := c.coll("screenshot", "en-US", typ)
	entries, err := os.ReadDir(dir)
	if err != nil {
		c.t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, en := range entries {
		b, err := os.ReadFile(filepath.Join(dir, en.Name()))
		if err != nil {
			c.t.Fatal(err)
		}
		out[en.Name()] = b
	}
	return out
}

// writeFolder makes the set folder of typ hold exactly files.
func (c *crashEnv) writeFolder(typ string, files map[string][]byte) {
	dir := c.coll("screenshot", "en-US", typ)
	if err := os.RemoveAll(dir); err != nil {
		c.t.Fatal(err)
	}
	for name, b := range files {
		writeFile(c.t, filepath.Join(dir, name), b)
	}
}

// replaceSet writes n new screenshots into the folder of typ (replacing what is there) with
// contents from seed.
func (c *crashEnv) replaceSet(typ string, n, seed int) {
	dir := c.coll("screenshot", "en-US", typ)
	if err := os.RemoveAll(dir); err != nil {
		c.t.Fatal(err)
	}
	w, h := 1290, 2796
	if typ == "APP_IPAD_PRO_3GEN_129" {
		w, h = 2048, 2732
	}
	for i := range n {
		writeFile(c.t, filepath.Join(dir, fmt.Sprintf("%02d.png", i+1)), ascapitest.SamplePNG(w, h, seed+i))
	}
}

// TestCrashMatrix kills the daemon process with SIGKILL (and twice with SIGTERM) at each
// step of a set's upload and starts it again: each time the remote set ends equal to the folder, in its order, with no
// duplicate, no conflict, no open job and nothing left in the uploads journal — no person
// needed.
func TestCrashMatrix(t *testing.T) {
	const iphone = "APP_IPHONE_67"
	tests := []struct {
		name  string
		point killPoint
	}{
		{"reservation applied, answer lost", killPoint{match: isReserve, nth: 1, applied: true}},
		{"after reserve", killPoint{match: isPart, nth: 1}},
		{"mid-parts", killPoint{match: isPart, nth: 2, applied: true}},
		{"after the parts", killPoint{match: isCommit, nth: 1}},
		{"after commit", killPoint{match: isCommit, nth: 2, applied: true}},
		{"before reorder", killPoint{match: isReorder, nth: 1}},
		{"reorder applied, answer lost", killPoint{match: isReorder, nth: 1, applied: true}},
		{"after a replaced screenshot was deleted", killPoint{match: isAssetDelete, nth: 1, applied: true}},
		{"SIGTERM mid-parts", killPoint{match: isPart, nth: 2, applied: true, term: true}},
		{"SIGTERM after commit", killPoint{match: isCommit, nth: 2, applied: true, term: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCrashEnv(t)
			// Three replaced screenshots and a new first one: uploads, deletes and a reorder.
			c.replaceSet(iphone, 4, 40)
			c.crashAt(&tt.point)
			c.restartUntilConverged(iphone)
		})
	}
	t.Run("after commit, the folder put back before the restart", func(t *testing.T) {
		c := newCrashEnv(t)
		orig := c.readFolder(iphone)
		before, _ := c.srv.ScreenshotSet(testApp, testVersion, "en-US", iphone)
		c.want = before.Checksums()
		c.replaceSet(iphone, 4, 40)
		c.crashAt(&killPoint{match: isCommit, nth: 2, applied: true})
		c.writeFolder(iphone, orig)
		c.restartUntilConverged(iphone) // the uploads it made for the edit are cleaned up
	})
	t.Run("during a swap in a full set of 10", func(t *testing.T) {
		c := newCrashEnv(t)
		const ipad = "APP_IPAD_PRO_3GEN_129"
		c.replaceSet(ipad, 10, 100)
		c.restartUntilConverged(ipad) // the full set is live
		c.replaceSet(ipad, 10, 200)
		// The second swap's delete: one replacement is live, the next slot was just freed.
		c.crashAt(&killPoint{match: isAssetDelete, nth: 2, applied: true})
		mid, _ := c.srv.ScreenshotSet(testApp, testVersion, "en-US", ipad)
		if len(mid.Assets) < 9 {
			t.Errorf("after the kill the set holds %d screenshots, want at least 9 (one slot at a time)", len(mid.Assets))
		}
		c.restartUntilConverged(ipad)
	})
}

// crashTrials is how many random-kill trials TestCrashRandomKills runs: 3 by default,
// $STORESYNCER_CRASH_TRIALS when set (.ci/run asks for 20).
func crashTrials(t *testing.T) int {
	if s := os.Getenv("STORESYNCER_CRASH_TRIALS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("STORESYNCER_CRASH_TRIALS=%q: want a positive number", s)
		}
		return n
	}
	return 3
}

// TestCrashRandomKills pushes 2 sets × 10 screenshots (one replaced entirely, one new) and
// kills the daemon with SIGKILL at a random request of the upload (seeded, logged), then
// restarts it: every trial converges with no conflict, no duplicate, the remote order equal
// to the folder's.
func TestCrashRandomKills(t *testing.T) {
	seed := time.Now().UnixNano()
	if s := os.Getenv("STORESYNCER_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("seed %d (STORESYNCER_CRASH_SEED reproduces it)", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	for trial := range crashTrials(t) {
		nth, applied := 1+rng.IntN(50), rng.IntN(2) == 0 // a push of the two sets makes about 65
		t.Run(fmt.Sprintf("trial %d: request %d applied=%v", trial+1, nth, applied), func(t *testing.T) {
			c := newCrashEnv(t)
			c.replaceSet("APP_IPHONE_67", 10, 300)
			c.replaceSet("APP_IPAD_PRO_3GEN_129", 10, 400)
			cmd := c.child()
			c.ks.arm(&killPoint{match: isUploadTraffic, nth: nth, applied: applied}, cmd.Process)
			select {
			case <-c.ks.fired:
			case <-time.After(waitLimit):
				t.Fatalf("request %d of the upload never came", nth)
			}
			_ = cmd.Wait()
			c.restartUntilConverged("APP_IPHONE_67")
			if ok, why := c.converged("APP_IPAD_PRO_3GEN_129"); !ok {
				t.Errorf("iPad set: %s", why)
			}
		})
	}
}
