package watcher

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRenameSaves checks that the save patterns of common tools, which replace the file by a
// rename, end as one change of the file and nothing else, and never as a removal.
func TestRenameSaves(t *testing.T) {
	tests := []struct {
		name string
		tool string
		// save edits path with the tool.
		save func(t testing.TB, path string)
	}{
		{"sed -i", "sed", func(t testing.TB, path string) {
			run(t, "sed", "-i", "s/a/b/", path)
		}},
		// backupskip= because vim skips backups under /tmp, where t.TempDir is.
		{"vim with backup and writebackup", "vim", func(t testing.TB, path string) {
			run(t, "vim", "-es", "-u", "NONE", "-i", "NONE", "-c", "set backupcopy=no writebackup backup backupskip=", "-c", "s/a/b/", "-c", "wq", path)
		}},
		{"vim backupcopy=auto (4913 probe, backup removed)", "vim", func(t testing.TB, path string) {
			run(t, "vim", "-es", "-u", "NONE", "-i", "NONE", "-c", "set backupcopy=auto writebackup nobackup backupskip=", "-c", "s/a/b/", "-c", "wq", path)
		}},
		{"JetBrains safe write", "", func(t testing.TB, path string) {
			tmp, old := path+"___jb_tmp___", path+"___jb_old___"
			writeFile(t, tmp, "b")
			must(t, os.Rename(path, old))
			must(t, os.Rename(tmp, path))
			must(t, os.Remove(old))
		}},
		{"TextEdit safe save", "", func(t testing.TB, path string) {
			moved := path + ".sb-5a2c1f3e-Qh2Y8t"
			must(t, os.Rename(path, moved))
			writeFile(t, path, "b")
			must(t, os.Remove(moved))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.tool != "" {
				if _, err := exec.LookPath(tt.tool); err != nil {
					t.Skipf("%s is not installed", tt.tool)
				}
			}
			h := startWatcher(t, Config{})
			h.write("keyword/en-US.txt", "a")
			h.waitPending("keyword/en-US.txt")
			h.advance(2 * time.Second)
			h.wantBatch(ReasonQuiet, changed("keyword/en-US.txt"))

			before := stat(t, h.abs("keyword/en-US.txt"))
			tt.save(t, h.abs("keyword/en-US.txt"))
			if os.SameFile(before, stat(t, h.abs("keyword/en-US.txt"))) {
				t.Fatal("the tool saved in place; this case is about saves that replace the file")
			}
			if got, _ := os.ReadFile(h.abs("keyword/en-US.txt")); strings.TrimSpace(string(got)) != "b" {
				t.Fatalf("the save did not happen: file holds %q", got)
			}
			h.sync()
			h.advance(2 * time.Second)
			h.wantBatch(ReasonQuiet, changed("keyword/en-US.txt"))
			// Temp files created and removed inside the window are not reported, ever.
			h.advance(DefaultDeleteDelay)
			h.none()
			if p := h.pending(); len(p) > 0 {
				t.Errorf("still pending after the delete delay: %v", p)
			}
		})
	}
}

// TestInPlaceWrites covers editors that truncate and rewrite in place (VS Code, Sublime): a
// burst of writes is one change, flushed once, after which the file holds the last content.
func TestInPlaceWrites(t *testing.T) {
	h := startWatcher(t, Config{})
	path := h.abs("description/de-DE.txt")
	for i := range 5 {
		f, err := os.OpenFile(path+"", os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
		if err != nil {
			if os.MkdirAll(filepath.Dir(path), 0o755) == nil {
				f, err = os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
			}
			must(t, err)
		}
		for _, part := range []string{"Beschreibung ", "Version ", string(rune('1' + i))} {
			_, err := f.WriteString(part)
			must(t, err)
		}
		must(t, f.Close())
		h.sync()
		h.advance(500 * time.Millisecond)
		h.none()
	}
	h.advance(2 * time.Second)
	h.wantBatch(ReasonQuiet, changed("description/de-DE.txt"))
	if got, _ := os.ReadFile(path); string(got) != "Beschreibung Version 5" {
		t.Errorf("file holds %q after the flush, want the last write", got)
	}
	h.advance(time.Minute)
	h.none()
}

// TestRevertInsideQuietPeriod: an edit undone before the quiet period ends is still flushed
// once; the daemon drops it when the content equals the base.
func TestRevertInsideQuietPeriod(t *testing.T) {
	h := startWatcher(t, Config{})
	h.write("name/en-US.txt", "Old")
	h.waitPending("name/en-US.txt")
	h.advance(2 * time.Second)
	h.wantBatch(ReasonQuiet, changed("name/en-US.txt"))

	h.write("name/en-US.txt", "New")
	h.waitPending("name/en-US.txt")
	h.advance(time.Second)
	h.write("name/en-US.txt", "Old")
	h.sync()
	h.advance(time.Second)
	h.none()
	h.advance(time.Second)
	h.wantBatch(ReasonQuiet, changed("name/en-US.txt"))
	h.advance(time.Minute)
	h.none()
}

// TestSlowCopyIsRearmed: a large file written in chunks is flushed once, when it stopped
// growing — including when the last writes produced no event the watcher saw in time.
func TestSlowCopyIsRearmed(t *testing.T) {
	h := startWatcher(t, Config{})
	rel := "preview/en-US/IPHONE_67/1.mp4"
	must(t, os.MkdirAll(filepath.Dir(h.abs(rel)), 0o755))
	h.waitFor("the new folders' watches", func(l *loop) bool { return l.dirs[filepath.Dir(h.abs(rel))] })
	f, err := os.Create(h.abs(rel))
	must(t, err)
	defer f.Close()
	chunk := strings.Repeat("x", 64<<10)
	for range 10 {
		_, err := f.WriteString(chunk)
		must(t, err)
		h.sync()
		h.advance(1500 * time.Millisecond) // slower than the events, faster than the quiet period
		h.none()
	}
	// The copier keeps writing through a second link outside the watched tree: the file
	// grows with no event, as when a writer's events lag behind its writes.
	outside := filepath.Join(t.TempDir(), "copy.mp4")
	must(t, os.Link(h.abs(rel), outside))
	g, err := os.OpenFile(outside, os.O_WRONLY|os.O_APPEND, 0)
	must(t, err)
	_, err = g.WriteString(chunk)
	must(t, err)
	must(t, g.Close())

	h.advance(2 * time.Second) // due, but its size changed since the last event: re-armed
	h.none()
	if p := h.pending(); len(p) != 1 {
		t.Fatalf("pending after re-arm = %v, want the file", p)
	}
	h.advance(2 * time.Second)
	h.wantBatch(ReasonQuiet, changed(rel))
}

// TestMaxWait: a file written more often than the quiet period is flushed MaxWait after its
// first event anyway.
func TestMaxWait(t *testing.T) {
	h := startWatcher(t, Config{})
	for i := range 31 {
		h.write("promotionalText/en-US.txt", strings.Repeat("p", i+1))
		h.sync()
		if i < 30 {
			h.none()
			h.advance(time.Second)
		}
	}
	h.wantBatch(ReasonMaxWait, changed("promotionalText/en-US.txt"))
}

// TestLitterIsIgnored: files editors and Finder leave around never reach the daemon.
func TestLitterIsIgnored(t *testing.T) {
	h := startWatcher(t, Config{})
	for _, dir := range []string{"keyword", "screenshot", ".storesyncer", ".git"} {
		must(t, os.Mkdir(h.abs(dir), 0o755))
	}
	h.sync() // the folders are watched (or, for dot folders, not) before the litter lands
	litter := []string{
		".DS_Store", "keyword/.DS_Store", "keyword/._en-US.txt", "screenshot/Icon\r",
		"keyword/.en-US.txt.swp", "keyword/4913", "keyword/5036", "keyword/en-US.txt~",
		"keyword/en-US.txt___jb_tmp___", "keyword/en-US.txt.sb-8f1c2a-aB3dE", "#en-US.txt#",
	}
	before := h.m.ignoredCount("ignore_rule")
	for _, rel := range litter {
		h.write(rel, "litter")
	}
	h.write(".storesyncer/checksums.json", "{}") // in ignored folders: not even watched
	h.write(".git/index", "git")
	must(t, os.Chmod(h.abs("keyword/.DS_Store"), 0o600))
	h.write("keyword/en-US.txt", "a,b") // the sentinel: events arrive in order
	h.waitPending("keyword/en-US.txt")
	if p := h.pending(); len(p) != 1 {
		t.Fatalf("pending = %q, want only keyword/en-US.txt", p)
	}
	h.advance(time.Minute)
	h.wantBatch(ReasonQuiet, changed("keyword/en-US.txt"))
	h.none()
	if n := h.m.ignoredCount("ignore_rule") - before; n < len(litter) {
		t.Errorf("ignored{ignore_rule} grew by %d, want at least one per litter file (%d)", n, len(litter))
	}
}

// TestChmodOnly: attribute changes (Spotlight, backup tools) are not changes.
func TestChmodOnly(t *testing.T) {
	h := startWatcher(t, Config{})
	h.write("subtitle/en-US.txt", "s")
	h.waitPending("subtitle/en-US.txt")
	h.advance(2 * time.Second)
	h.wantBatch(ReasonQuiet, changed("subtitle/en-US.txt"))

	must(t, os.Chmod(h.abs("subtitle/en-US.txt"), 0o600))
	h.waitFor("the chmod event", func(*loop) bool { return h.m.ignoredCount("chmod_only") > 0 })
	if p := h.pending(); len(p) > 0 {
		t.Errorf("pending after chmod = %v, want nothing", p)
	}
}

// TestDeleteWaitsDeleteDelay: a removal is reported only after DeleteDelay; a file that comes
// back within it is a change.
func TestDeleteWaitsDeleteDelay(t *testing.T) {
	h := startWatcher(t, Config{})
	h.write("keyword/en-US.txt", "k")
	h.write("keyword/fr-FR.txt", "k")
	h.sync()
	h.advance(2 * time.Second)
	h.wantBatch(ReasonQuiet, changed("keyword/en-US.txt"), changed("keyword/fr-FR.txt"))

	must(t, os.Remove(h.abs("keyword/en-US.txt")))
	must(t, os.Remove(h.abs("keyword/fr-FR.txt")))
	h.sync()
	h.advance(5 * time.Second)
	h.none()
	h.write("keyword/fr-FR.txt", "k2") // back, as a slow rename-save would be
	h.sync()
	h.advance(5 * time.Second)
	b := h.next()
	b2 := h.next()
	got := map[Reason][]Change{b.Reason: b.Changes, b2.Reason: b2.Changes}
	for _, cs := range got {
		for i := range cs {
			cs[i].Path = h.rel(cs[i].Path)
		}
	}
	want := map[Reason][]Change{
		ReasonQuiet:       {changed("keyword/fr-FR.txt")},
		ReasonDeleteDelay: {{Path: "keyword/en-US.txt", Op: Removed}},
	}
	if d := diffOf(want, got); d != "" {
		t.Errorf("batches (-want +got):\n%s", d)
	}
}

func run(t testing.TB, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func stat(t testing.TB, path string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(path)
	must(t, err)
	return fi
}

// TestSpreadChangeIsOneBatch: files of one change written a little apart (a git checkout, a
// slow copy of a folder) reach the reader as one batch, so the daemon plans — and asks
// approval for — the change as a whole; a file written much later waits for its own quiet
// period.
func TestSpreadChangeIsOneBatch(t *testing.T) {
	h := startWatcher(t, Config{})
	h.write("description/de-DE.txt", "Beschreibung")
	h.sync()
	h.advance(200 * time.Millisecond)
	h.write("keyword/de-DE.txt", "neu,lokal")
	h.sync()
	h.advance(250 * time.Millisecond)
	h.write("subtitle/de-DE.txt", "Untertitel")
	h.sync()
	h.advance(time.Second)
	h.write("name/de-DE.txt", "Planer") // 1.45 s after the first: more than a quarter late
	h.sync()
	h.advance(550 * time.Millisecond) // the first file is quiet for 2 s now
	h.wantBatch(ReasonQuiet, changed("description/de-DE.txt"), changed("keyword/de-DE.txt"), changed("subtitle/de-DE.txt"))
	h.none()
	h.advance(1500 * time.Millisecond)
	h.wantBatch(ReasonQuiet, changed("name/de-DE.txt"))
}
