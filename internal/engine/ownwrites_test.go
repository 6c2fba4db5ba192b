package engine

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/internal/plan"
)

// A keyword PATCH is sent and the network is cut before its answer comes back, so its
// re-read fails too: the outcome is unknown, as when the process is killed mid-PATCH. A new
// engine on the same state (a restart) then pushes the next local edit. When App Store
// Connect holds what StoreSyncer wrote, that is its own write, not a "changed on both sides"
// conflict; when the web changed the field since, it is a conflict.
func TestOwnWriteWithUnknownOutcome(t *testing.T) {
	tests := []struct {
		name         string
		applied      bool   // App Store Connect applied the PATCH
		web          string // a web edit after the cut, "" for none
		wantConflict bool
	}{
		{name: "applied, then killed", applied: true},
		{name: "not applied, then a web edit", web: "web,fassung", wantConflict: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, nil)
			ctx := context.Background()
			if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
				t.Fatal(err)
			}
			const key = plan.Key("de-DE/keyword")
			e.write("keyword/de-DE.txt", []byte("erste,fassung\n"))
			if !tc.applied {
				e.sim.FailNext("PATCH", "/v1/appStoreVersionLocalizations/{id}", 500, false)
			}
			e.cutAfterPatch()
			res, err := e.eng.Push(ctx, demo, PushOptions{Keys: []plan.Key{key}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Failed) != 1 {
				t.Fatalf("push with the outcome unknown: %+v; want the key failed", res)
			}
			if got := e.remoteKeyword("de-DE"); (got == "erste,fassung") != tc.applied {
				t.Fatalf("remote keywords after the cut = %q (applied %v)", got, tc.applied)
			}
			e.net.restore()
			if tc.web != "" {
				webEdit(t, e, "de-DE", tc.web)
			}

			restarted, err := New(Config{Workspace: e.ws, Store: e.store, Remote: e.eng.mkRem, Sync: e.eng.sync})
			if err != nil {
				t.Fatal(err)
			}
			e.write("keyword/de-DE.txt", []byte("zweite,fassung\n"))
			res, err = restarted.Push(ctx, demo, PushOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantConflict {
				if len(res.Conflicts) != 1 || res.Conflicts[0].Key != key {
					t.Errorf("pushed %v, conflicts %v; want %s in conflict", res.Pushed, res.Conflicts, key)
				}
				return
			}
			if len(res.Conflicts) != 0 || len(res.Pushed) != 1 || res.Pushed[0].Key != key {
				t.Errorf("next push: pushed %v, conflicts %v; want %s pushed", res.Pushed, res.Conflicts, key)
			}
			if got := e.remoteKeyword("de-DE"); got != "zweite,fassung" {
				t.Errorf("remote keywords = %q", got)
			}
			if _, ok, _ := e.store.Setting(ctx, writingKey(demo, key)); ok {
				t.Error("the write record outlived the write")
			}
		})
	}
}

// cutAfterPatch cuts the network once a localization PATCH was sent, before its answer is
// read: the outcome is unknown and the re-read fails, as when the process is killed.
func (e *testEnv) cutAfterPatch() {
	e.net.mu.Lock()
	defer e.net.mu.Unlock()
	e.net.cutAfter = func(r *http.Request) bool {
		return r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/v1/appStoreVersionLocalizations/")
	}
}
