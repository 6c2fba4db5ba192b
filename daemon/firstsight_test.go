package daemon

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// TestFreshStateDirPullsAWebEdit starts a daemon on a workspace that is in step with App
// Store Connect but on a state dir that has never seen it (a new machine, a lease taken over):
// its first plan records the base of every key in sync, so a later web edit is pulled into the
// file, not reported as "first sync, both sides differ".
func TestFreshStateDirPullsAWebEdit(t *testing.T) {
	e := newEnv(t, envOptions{noApp: true, before: func(e *env) {
		ws, _ := goldenApp(t)
		copyTree(t, ws, e.cfg.Workspace)
	}})
	e.waitFor("the app is watched", func() bool {
		_, ok := e.d.holds(testApp)
		return ok && e.d.Snapshot().Watcher.WatchedDirs > 3
	})
	e.waitIdle()
	e.waitFor("the bases recorded", func() bool {
		for _, v := range e.srv.Versions(testApp) {
			if bases, _ := e.d.store.Bases(t.Context(), testApp, v.ID); len(bases) > 0 {
				return true
			}
		}
		return false
	})
	webEdit(t, e.srv, "de-DE", "planer,vom,web")
	poke(e.d.pollc)
	e.waitFor("the web edit in the file", func() bool {
		b, _ := os.ReadFile(e.coll("keyword", "de-DE.txt"))
		return strings.TrimSpace(string(b)) == "planer,vom,web"
	})
	if c := e.d.Snapshot().Conflicts; len(c) != 0 {
		t.Errorf("conflicts after the web edit: %+v", c)
	}
}

// TestRemotePollKeepsALocalEdit edits a keyword while uploads are paused (its job waits) and
// the same keyword on the web: the remote poll must not write the web value over the edit; the
// key is a conflict.
func TestRemotePollKeepsALocalEdit(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := t.Context()
	if err := e.d.Backend().Pause(ctx); err != nil {
		t.Fatal(err)
	}
	writeFile(t, e.coll("keyword", "de-DE.txt"), []byte("planer,lokal\n"))
	e.waitFor("the edit queued", func() bool { return e.d.Backend().Status(ctx).Queue.Pending == 1 })
	webEdit(t, e.srv, "de-DE", "planer,vom,web")
	poke(e.d.pollc)
	e.waitFor("the conflict in status", func() bool {
		for _, c := range e.d.Snapshot().Conflicts {
			if c.Key == "de-DE/keyword" {
				return true
			}
		}
		return false
	})
	if b, _ := os.ReadFile(e.coll("keyword", "de-DE.txt")); string(b) != "planer,lokal\n" {
		t.Errorf("the remote poll replaced the local edit: %q", b)
	}
	if got := e.remoteText("de-DE", "keywords"); got != "planer,vom,web" {
		t.Errorf("remote keywords = %q; the web edit was overwritten", got)
	}
}

// TestPullsGoThroughTheQueue: the remote poll's pull of a web edit is a job the workers run,
// like every write, and it waits neither for approval (auto sync off) nor for resume.
func TestPullsGoThroughTheQueue(t *testing.T) {
	e := newEnv(t, envOptions{extra: "\n[sync]\nauto = false\nremote_poll_interval = \"1h\"\n"})
	ctx := t.Context()
	if err := e.d.Backend().Pause(ctx); err != nil {
		t.Fatal(err)
	}
	webEdit(t, e.srv, "de-DE", "planer,vom,web")
	events, cancel := e.d.Subscribe(ctx)
	defer cancel()
	poke(e.d.pollc)
	e.waitFor("the web edit in the file", func() bool {
		b, _ := os.ReadFile(e.coll("keyword", "de-DE.txt"))
		return strings.TrimSpace(string(b)) == "planer,vom,web"
	})
	var seen []string
	for len(seen) < 3 {
		var ev statusapi.Event
		select {
		case ev = <-events:
		case <-time.After(10 * time.Second): // a guard against a hang, not a timing
			t.Fatalf("events so far = %v, want a queued job, a pull and a completed job", seen)
		}
		switch ev.Type {
		case EventJobQueued, EventPulled, EventJobCompleted:
			seen = append(seen, ev.Type)
		}
	}
	if want := []string{EventJobQueued, EventPulled, EventJobCompleted}; !slices.Equal(seen, want) {
		t.Errorf("events = %v, want %v", seen, want)
	}
}
