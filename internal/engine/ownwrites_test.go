package engine

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/internal/plan"
)

// A PATCH that App Store Connect applied but whose answer never came back (and whose re-read
// failed too: as when the process is killed mid-PATCH) is recognised at the next push as
// StoreSyncer's own write: the next local edit is pushed, not a "changed on both sides"
// conflict.
func TestOwnWriteWithUnknownOutcomeIsNotAConflict(t *testing.T) {
	e := newTestEnv(t, nil)
	ctx := context.Background()
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		t.Fatal(err)
	}
	const key = plan.Key("de-DE/keyword")
	e.write("keyword/de-DE.txt", []byte("erste,fassung\n"))
	e.cutAfterPatch()
	res, err := e.eng.Push(ctx, demo, PushOptions{Keys: []plan.Key{key}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed) != 1 {
		t.Fatalf("push with the outcome unknown: %+v; want the key failed", res)
	}
	if attrs, _ := e.sim.VersionLocalization(demo, "1.1", "de-DE"); attrs["keywords"] != "erste,fassung" {
		t.Fatalf("the PATCH was not applied: %q", attrs["keywords"])
	}

	e.net.restore()
	e.write("keyword/de-DE.txt", []byte("zweite,fassung\n"))
	e.sim.ResetJournal()
	res, err = e.eng.Push(ctx, demo, PushOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Conflicts) != 0 || len(res.Pushed) != 1 || res.Pushed[0].Key != key {
		t.Errorf("next push: pushed %v, conflicts %v; want %s pushed", res.Pushed, res.Conflicts, key)
	}
	if attrs, _ := e.sim.VersionLocalization(demo, "1.1", "de-DE"); attrs["keywords"] != "zweite,fassung" {
		t.Errorf("remote keywords = %q", attrs["keywords"])
	}
	if _, ok, _ := e.store.Setting(ctx, writingKey(demo, key)); ok {
		t.Error("the write record outlived the write")
	}
}

// A web edit that is not StoreSyncer's write is still a conflict when the file changed too.
func TestWebEditAfterUnknownOutcomeIsAConflict(t *testing.T) {
	e := newTestEnv(t, nil)
	ctx := context.Background()
	if _, err := e.eng.AddApp(ctx, demo, "", ""); err != nil {
		t.Fatal(err)
	}
	const key = plan.Key("de-DE/keyword")
	e.write("keyword/de-DE.txt", []byte("erste,fassung\n"))
	e.sim.FailNext("PATCH", "/v1/appStoreVersionLocalizations/{id}", 500, false) // not applied
	e.cutAfterPatch()
	if _, err := e.eng.Push(ctx, demo, PushOptions{Keys: []plan.Key{key}}); err != nil {
		t.Fatal(err)
	}
	e.net.restore()
	webEdit(t, e, "de-DE", "web,fassung")
	e.write("keyword/de-DE.txt", []byte("zweite,fassung\n"))
	res, err := e.eng.Push(ctx, demo, PushOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Conflicts) != 1 || res.Conflicts[0].Key != key {
		t.Errorf("pushed %v, conflicts %v; want %s in conflict", res.Pushed, res.Conflicts, key)
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
