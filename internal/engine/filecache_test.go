package engine

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/storesyncer/storesyncer/ascapi/ascapitest"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// TestFileCacheInState loads a collection through the state's file-hash cache as a command,
// a restarted daemon and a command beside the daemon would: an unchanged file is read once
// for all of them, a changed one again, and a vanished one leaves the cache.
func TestFileCacheInState(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, nil)
	app := workspace.App{BundleID: demo, Platform: collection.IOS, Active: "main"}
	dir := e.ws.CollectionDir(demo, "main")
	for i, name := range []string{"1.png", "2.png", "3.png"} {
		e.write("screenshot/en-US/APP_WATCH_SERIES_7/"+name, ascapitest.SamplePNG(396, 484, i))
	}
	// load loads dir through a new engine's cache (a new process) on store and says how
	// many files it read and the MD5 of 1.png.
	load := func(t *testing.T, store *state.Store) (int, string) {
		t.Helper()
		eng, err := New(Config{Workspace: e.ws, Store: store, Remote: e.eng.mkRem})
		if err != nil {
			t.Fatal(err)
		}
		l := eng.files.begin(ctx, dir)
		opts := eng.collectionOptions(app)
		opts.Cache = l
		c, problems, err := collection.Load(dir, opts)
		if err != nil || len(problems) > 0 {
			t.Fatalf("Load: %v %v", err, problems)
		}
		return l.commit(ctx, true), c.Sets["en-US/screenshot/APP_WATCH_SERIES_7"].Assets[0].MD5
	}
	rows := func() map[string]state.FileHash {
		t.Helper()
		got, err := e.store.FileHashes(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	if n, _ := load(t, e.store); n != 3 || len(rows()) != 3 {
		t.Fatalf("first load read %d files and cached %d; want 3 and 3", n, len(rows()))
	}
	if n, _ := load(t, e.store); n != 0 {
		t.Errorf("load after a restart read %d files; want 0", n)
	}

	ro, err := state.OpenReadOnly(e.store.Dir(), state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if n, _ := load(t, ro); n != 0 {
		t.Errorf("read-only load read %d files; want 0", n)
	}

	changed := ascapitest.SamplePNG(396, 484, 9)
	e.write("screenshot/en-US/APP_WATCH_SERIES_7/1.png", changed)
	if n, sum := load(t, ro); n != 1 || sum != md5Of(changed) {
		t.Errorf("read-only load after a change read %d files, MD5 %s; want 1, %s", n, sum, md5Of(changed))
	}
	if err := os.Remove(e.path("screenshot/en-US/APP_WATCH_SERIES_7/3.png")); err != nil {
		t.Fatal(err)
	}
	if n, sum := load(t, e.store); n != 1 || sum != md5Of(changed) {
		t.Errorf("load after a change read %d files, MD5 %s; want 1, %s", n, sum, md5Of(changed))
	}
	got := rows()
	if _, ok := got[filepath.Join(dir, "screenshot", "en-US", "APP_WATCH_SERIES_7", "3.png")]; ok || len(got) != 2 {
		t.Errorf("cache holds %d entries after 3.png vanished; want 2, without it", len(got))
	}
	if h := got[filepath.Join(dir, "screenshot", "en-US", "APP_WATCH_SERIES_7", "1.png")]; h.MD5 != md5Of(changed) {
		t.Errorf("cached MD5 of 1.png = %s, want %s", h.MD5, md5Of(changed))
	}
}

func md5Of(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}
