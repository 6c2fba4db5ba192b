package daemon

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
)

// describeCalls lists API calls for a failure message.
func describeCalls(es []ascapitest.Entry) string {
	var b strings.Builder
	for _, c := range es {
		b.WriteString("\n  " + c.Method + " " + c.Path)
	}
	return b.String()
}

// TestSaveCostsWhatAPushCosts saves texts of one localization and counts the journal: the
// flush is planned without an API call, so the save costs what `storesyncer push` of it costs,
// 3 reads and one PATCH, however many of the localization's fields changed. A sentinel save
// afterwards costs 4 as well, so nothing of the first save came late.
func TestSaveCostsWhatAPushCosts(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // path in the collection → new content
	}{
		{name: "one keyword", files: map[string]string{"keyword/de-DE.txt": "planer,kalender"}},
		{name: "two fields of one localization", files: map[string]string{
			"keyword/de-DE.txt": "planer,kalender", "description/de-DE.txt": "Ein neuer Text."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// One quiet period holds both writes of a case, even on a loaded machine.
			e := newEnv(t, envOptions{quiet: 300 * time.Millisecond})
			for path, content := range tt.files {
				writeFile(t, e.coll(strings.Split(path, "/")...), []byte(content+"\n"))
			}
			for path, content := range tt.files {
				attr := map[string]string{"keyword": "keywords", "description": "description"}[strings.Split(path, "/")[0]]
				e.waitRemote("de-DE", attr, content)
			}
			e.waitIdle()
			calls := e.srv.APICalls()
			if len(calls) != 4 || len(e.patches()) != 1 {
				t.Errorf("the save cost %d API calls with %d PATCHes; want 4 with 1:%s", len(calls), len(e.patches()), describeCalls(calls))
			}
			e.sentinel(1)
			if got := e.srv.APICalls(); len(got) != 8 {
				t.Errorf("the save and the sentinel cost %d API calls; want 8:%s", len(got), describeCalls(got))
			}
		})
	}
}

// TestWorkerRecordsConflict edits a keyword on App Store Connect and in the file before any
// poll: the flush plan cannot see the web edit, so the worker's re-plan finds the conflict,
// writes nothing, holds the job and reports the conflict in status.
func TestWorkerRecordsConflict(t *testing.T) {
	e := newEnv(t, envOptions{})
	webEdit(t, e.srv, "de-DE", "planer,vom,web")
	e.srv.ResetJournal()
	writeFile(t, e.coll("keyword", "de-DE.txt"), []byte("planer,lokal\n"))
	e.waitFor("the conflict in status", func() bool {
		return slices.ContainsFunc(e.d.Snapshot().Conflicts, func(c Conflict) bool { return c.Key == "de-DE/keyword" })
	})
	e.waitFor("the held job", func() bool { return e.d.Backend().Status(context.Background()).Queue.Held == 1 })
	if n := len(e.patches()); n != 0 {
		t.Errorf("%d PATCHes for a key in conflict, want 0", n)
	}
	if got := e.remoteText("de-DE", "keywords"); got != "planer,vom,web" {
		t.Errorf("de-DE keywords on App Store Connect = %q, want the web edit", got)
	}
	if b, _ := os.ReadFile(e.coll("keyword", "de-DE.txt")); strings.TrimSpace(string(b)) != "planer,lokal" {
		t.Errorf("de-DE keyword file = %q, want the local edit", b)
	}
}
