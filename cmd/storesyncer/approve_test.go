package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storesyncer/storesyncer/internal/state"
)

// Without a daemon, approve releases the held jobs of the keys it names in the state, where
// the daemon finds them when it starts.
func TestApproveWithoutADaemon(t *testing.T) {
	e := newSyncEnv(t).added()
	dir := filepath.Join(filepath.Dir(e.cfg), "state")
	st, err := state.Open(dir, state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, k := range []string{"de-DE/keyword", "ja/keyword"} {
		locale, _, _ := strings.Cut(k, "/")
		if _, err := st.Upsert(ctx, state.JobIntent{App: testBundle, Resource: locale + "/appStoreVersionLocalizations", Keys: []string{k}, IntentHash: k, HoldReason: "auto sync is off"}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	if exit, _, _ := e.run("approve"); exit != exitUsage {
		t.Errorf("approve without keys or --all: exit %d; want %d", exit, exitUsage)
	}
	if out := e.mustRun("approve", "ja/keyword"); !strings.Contains(out, "approved 1 job(s)") {
		t.Errorf("approve ja/keyword said %q", out)
	}
	st, err = state.Open(dir, state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	held, err := st.Jobs(ctx, state.JobFilter{States: []state.JobState{state.JobHeld}})
	st.Close()
	if err != nil || len(held) != 1 || held[0].Keys[0] != "de-DE/keyword" {
		t.Errorf("held after approve ja/keyword: %+v, %v; want de-DE/keyword only", held, err)
	}
	if out := e.mustRun("approve", "--all"); !strings.Contains(out, "approved 1 job(s)") {
		t.Errorf("approve --all said %q", out)
	}
}
