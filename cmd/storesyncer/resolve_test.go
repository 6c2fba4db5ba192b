package main

import (
	"context"
	"os"
	"strings"
	"testing"
)

func TestResolveASetDeletedOnTheWeb(t *testing.T) {
	tests := []struct {
		keep string
		// wantLocal is how many images the folder holds after resolve; wantRemote the set's
		// size after the next push.
		wantLocal, wantRemote int
	}{
		{keep: "remote", wantLocal: 0, wantRemote: 0},
		{keep: "local", wantLocal: 3, wantRemote: 3},
	}
	for _, tc := range tests {
		t.Run(tc.keep, func(t *testing.T) {
			e := newSyncEnv(t).added()
			set, _ := e.sim.ScreenshotSet(testBundle, demoEditable, "ja", "APP_WATCH_SERIES_7")
			if _, err := e.client().ScreenshotSets.Delete(context.Background(), set.ID); err != nil {
				t.Fatal(err)
			}
			e.sim.ResetJournal()
			const key = "ja/screenshot/APP_WATCH_SERIES_7"
			// push reads only the sets whose folder changed; plan reads everything.
			exit, out, _ := e.run("plan")
			if exit != exitConflict || !strings.Contains(out, "conflict  "+key) || !strings.Contains(out, "deleted remotely") {
				t.Fatalf("plan: exit %d\n%s", exit, out)
			}
			e.mustRun("resolve", "--all", "--keep", tc.keep)
			entries, _ := os.ReadDir(e.path("main", "screenshot/ja/APP_WATCH_SERIES_7"))
			if len(entries) != tc.wantLocal {
				t.Errorf("folder holds %d files; want %d", len(entries), tc.wantLocal)
			}
			e.mustRun("push")
			got, _ := e.sim.ScreenshotSet(testBundle, demoEditable, "ja", "APP_WATCH_SERIES_7")
			if len(got.Assets) != tc.wantRemote {
				t.Errorf("remote set holds %d; want %d", len(got.Assets), tc.wantRemote)
			}
			// Settled: nothing left to do.
			e.sim.ResetJournal()
			out = e.mustRun("push")
			if w := e.writes(); len(w) != 0 || !strings.Contains(out, "nothing to push") {
				t.Errorf("after resolve and push: wrote %v\n%s", w, out)
			}
		})
	}
}

func TestResolveUsage(t *testing.T) {
	e := newSyncEnv(t).added()
	for _, args := range [][]string{
		{"resolve", "en-US/keyword"},
		{"resolve", "--keep", "both", "en-US/keyword"},
		{"resolve", "--keep", "local"},
		{"resolve", "--all", "--keep", "local", "en-US/keyword"},
		{"resolve", "--keep", "local", "en-US/keywords"},
	} {
		if exit, _, _ := e.run(args...); exit != exitUsage {
			t.Errorf("%s: exit %d; want %d", strings.Join(args, " "), exit, exitUsage)
		}
	}
	out := e.mustRun("resolve", "--all", "--keep", "local")
	if !strings.Contains(out, "no key is in conflict") {
		t.Errorf("resolve --all without conflicts: %q", out)
	}
}
