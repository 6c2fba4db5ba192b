package watcher

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestNewFolders: files that land in a new folder before its watch exists are reported, both
// for a folder moved in whole and for one filled right after mkdir.
func TestNewFolders(t *testing.T) {
	tests := []struct {
		name string
		make func(h *harness) // creates screenshot/de-DE/APP_IPHONE_67/{1,2}.png and keyword/de-DE.txt
	}{
		{"moved in whole (one event for the whole tree)", func(h *harness) {
			staging := filepath.Join(h.t.TempDir(), "screenshot")
			writeFile(h.t, filepath.Join(staging, "de-DE/APP_IPHONE_67/1.png"), "png")
			writeFile(h.t, filepath.Join(staging, "de-DE/APP_IPHONE_67/2.png"), "png")
			must(h.t, os.Rename(staging, h.abs("screenshot")))
			h.write("keyword/de-DE.txt", "k")
		}},
		{"mkdir -p then files at once", func(h *harness) {
			h.write("screenshot/de-DE/APP_IPHONE_67/1.png", "png")
			h.write("screenshot/de-DE/APP_IPHONE_67/2.png", "png")
			h.write("keyword/de-DE.txt", "k")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startWatcher(t, Config{})
			tt.make(h)
			h.sync()
			h.advance(2 * time.Second)
			h.wantBatch(ReasonQuiet,
				changed("keyword/de-DE.txt"),
				changed("screenshot/de-DE/APP_IPHONE_67/1.png"),
				changed("screenshot/de-DE/APP_IPHONE_67/2.png"),
			)
			// The new folders are watched: a later edit inside is seen.
			h.write("screenshot/de-DE/APP_IPHONE_67/3.png", "png")
			h.waitPending("screenshot/de-DE/APP_IPHONE_67/3.png")
			// root, screenshot, screenshot/de-DE, screenshot/de-DE/APP_IPHONE_67, keyword
			if got, want := h.w.WatchedDirs(), 5; got != want {
				t.Errorf("WatchedDirs = %d, want %d", got, want)
			}
		})
	}
}

// TestRemovedFolder: a folder moved out of the tree is one removal of the folder.
func TestRemovedFolder(t *testing.T) {
	h := startWatcher(t, Config{})
	h.write("screenshot/en-US/APP_IPHONE_67/1.png", "png")
	h.sync()
	h.advance(2 * time.Second)
	h.wantBatch(ReasonQuiet, changed("screenshot/en-US/APP_IPHONE_67/1.png"))
	dirsBefore := h.w.WatchedDirs()

	must(t, os.Rename(h.abs("screenshot/en-US"), filepath.Join(t.TempDir(), "gone")))
	h.sync()
	h.advance(DefaultDeleteDelay)
	h.wantBatch(ReasonDeleteDelay, Change{Path: "screenshot/en-US", Op: Removed, Dir: true})
	if got := h.w.WatchedDirs(); got != dirsBefore-2 {
		t.Errorf("WatchedDirs = %d after removing 2 watched folders, want %d", got, dirsBefore-2)
	}
}

// TestBurst: a git checkout touching hundreds of files is one batch; past MaxPending it is one
// rescan, flushed once the burst is over.
func TestBurst(t *testing.T) {
	tests := []struct {
		name  string
		files int
	}{
		{"under the cap", 300},
		{"over the cap", 600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startWatcher(t, Config{})
			for i := range tt.files {
				h.write(fmt.Sprintf("screenshot/l%02d/APP_IPHONE_67/%d.png", i%20, i), "png")
			}
			h.sync()
			h.advance(time.Second)
			h.none()
			h.advance(time.Second)
			b := h.next()
			if tt.files <= DefaultMaxPending {
				if b.Rescan || b.Reason != ReasonQuiet || len(b.Changes) != tt.files {
					t.Fatalf("batch = reason %s, rescan %v, %d changes; want quiet with %d", b.Reason, b.Rescan, len(b.Changes), tt.files)
				}
			} else if !b.Rescan || b.Trigger != TriggerBurst || len(b.Changes) != 0 {
				t.Fatalf("batch = reason %s, rescan %v (%s), %d changes; want one burst rescan", b.Reason, b.Rescan, b.Trigger, len(b.Changes))
			}
			h.advance(time.Minute)
			h.none()
			if n := h.w.PendingPaths(); n != 0 {
				t.Errorf("PendingPaths = %d after the flush", n)
			}
		})
	}
}

// TestWorkspaceAppToml: app.toml files are reported as KindAppConfig, including one in an
// app folder that appears later; other files in the workspace are not reported.
func TestWorkspaceAppToml(t *testing.T) {
	ws := t.TempDir()
	writeFile(t, filepath.Join(ws, "com.example.one/app.toml"), "bundle_id = 'com.example.one'")
	root := filepath.Join(ws, "com.example.one/main")
	must(t, os.MkdirAll(root, 0o755))
	h := startWatcher(t, Config{Workspace: ws, Roots: []string{root}})
	h.root = ws

	writeFile(t, filepath.Join(ws, "com.example.one/app.toml"), "bundle_id = 'com.example.one'\nactive = 'main'")
	writeFile(t, filepath.Join(ws, "com.example.one/christmas/keyword/en-US.txt"), "not active") // not a root
	writeFile(t, filepath.Join(ws, "README.md"), "workspace notes")
	staging := filepath.Join(t.TempDir(), "com.example.two")
	writeFile(t, filepath.Join(staging, "app.toml"), "bundle_id = 'com.example.two'")
	must(t, os.Rename(staging, filepath.Join(ws, "com.example.two")))
	writeFile(t, filepath.Join(root, "keyword/en-US.txt"), "k")
	h.sync()
	h.advance(2 * time.Second)
	h.wantBatch(ReasonQuiet,
		Change{Path: "com.example.one/app.toml", Op: Changed, Kind: KindAppConfig},
		Change{Path: "com.example.one/main/keyword/en-US.txt", Op: Changed},
		Change{Path: "com.example.two/app.toml", Op: Changed, Kind: KindAppConfig},
	)
	h.advance(time.Minute)
	h.none()

	// An app folder moved away takes its app.toml with it.
	must(t, os.Rename(filepath.Join(ws, "com.example.two"), filepath.Join(t.TempDir(), "x")))
	h.sync()
	h.advance(DefaultDeleteDelay)
	h.wantBatch(ReasonDeleteDelay, Change{Path: "com.example.two/app.toml", Op: Removed, Kind: KindAppConfig})
}

// TestRootAppearsLater: a root that does not exist at start is watched once it is created
// in a watched app folder, and its files are reported.
func TestRootAppearsLater(t *testing.T) {
	ws := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(ws, "com.example.one"), 0o755))
	root := filepath.Join(ws, "com.example.one/main")
	h := startWatcher(t, Config{Workspace: ws, Roots: []string{root}})
	staging := filepath.Join(t.TempDir(), "main")
	writeFile(t, filepath.Join(staging, "name/en-US.txt"), "Name")
	must(t, os.Rename(staging, root))
	// No sync: it would touch the root, whose watch may not exist yet. The rename is the
	// only event, and the walk it starts reports the file.
	h.waitFor("the new root's files", func(l *loop) bool { return l.pending[h.abs("name/en-US.txt")] != nil })
	h.advance(2 * time.Second)
	h.wantBatch(ReasonQuiet, changed("name/en-US.txt"))
}

// TestSetRoots: switching roots asks for a rescan; the old root is no longer watched.
func TestSetRoots(t *testing.T) {
	h := startWatcher(t, Config{})
	old := h.root
	next := t.TempDir()
	must(t, h.w.SetRoots([]string{next}))
	b := h.next()
	if !b.Rescan || b.Trigger != TriggerRoots {
		t.Fatalf("batch after SetRoots = %+v, want a roots rescan", b)
	}
	writeFile(t, filepath.Join(old, "keyword/en-US.txt"), "old")
	h.root = next
	h.write("keyword/en-US.txt", "new")
	h.sync()
	h.advance(2 * time.Second)
	h.wantBatch(ReasonQuiet, changed("keyword/en-US.txt"))
	must(t, h.w.SetRoots([]string{next})) // unchanged: no rescan
	h.sync()
	h.none()
}

// TestAddFailureRetried: a folder that cannot be watched (the inotify limit) is retried after
// 1 min, then 2, 4, … with a rescan each time, until it works.
func TestAddFailureRetried(t *testing.T) {
	h := startWatcher(t, Config{RescanInterval: -1})
	h.probe(func(l *loop) {
		fsAdd := l.add
		l.add = func(dir string) error {
			if filepath.Base(dir) == "keyword" && h.m.errorCount() < 3 {
				return fmt.Errorf("inotify_add_watch %s: %w", dir, syscall.ENOSPC)
			}
			return fsAdd(dir)
		}
	})
	must(t, os.Mkdir(h.abs("keyword"), 0o755))
	h.sync()
	h.probe(func(l *loop) {
		if l.dirs[h.abs("keyword")] {
			t.Fatal("keyword is watched although its watch failed")
		}
	})
	for _, pause := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute} {
		h.advance(pause - time.Second)
		h.none()
		h.advance(time.Second)
		if b := h.next(); !b.Rescan || b.Trigger != TriggerWatchError {
			t.Fatalf("batch after %v = %+v, want a watch_error rescan", pause, b)
		}
	}
	// The third retry worked: no more retries, and the folder's changes are seen.
	h.advance(time.Hour)
	h.none()
	h.write("keyword/en-US.txt", "k")
	h.waitPending("keyword/en-US.txt")
	if n := h.m.errorCount(); n != 3 {
		t.Errorf("errors{add} = %d, want 3", n)
	}
}
