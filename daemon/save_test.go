package daemon

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestSaveStyles edits de-DE's keywords the ways editors and tools save files; each must end
// in exactly the PATCHes a person expects, carrying the final content (none for a revert or
// for litter). A sentinel edit afterwards proves the change was fully handled.
func TestSaveStyles(t *testing.T) {
	const orig = "planer,aufgaben,todo,erinnerungen"
	const edited = "planer,aufgaben,kalender,erinnerungen"
	tests := []struct {
		name    string
		needs   string // a program the case runs
		save    func(t *testing.T, path string)
		patches int // PATCHes of de-DE before the sentinel's
		want    string
	}{
		{name: "write in place", save: func(t *testing.T, path string) {
			writeFile(t, path, []byte(edited+"\n"))
		}, patches: 1, want: edited},
		{name: "sed -i rename save", needs: "sed", save: func(t *testing.T, path string) {
			run(t, "sed", "-i", "s/todo/kalender/", path)
		}, patches: 1, want: edited},
		{name: "vim backup rename save", needs: "vim", save: func(t *testing.T, path string) {
			run(t, "vim", "-es", "-u", "NONE", "-c", "set backup writebackup backupcopy=no", "-c", "%s/todo/kalender/", "-c", "wq", path)
		}, patches: 1, want: edited},
		{name: "truncate and write burst", save: func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, part := range strings.SplitAfter(edited, ",") {
				if _, err := f.WriteString(part); err != nil {
					t.Fatal(err)
				}
				f.Sync()
				time.Sleep(3 * time.Millisecond)
			}
			f.Close()
		}, patches: 1, want: edited},
		{name: "revert before the quiet period ends", save: func(t *testing.T, path string) {
			writeFile(t, path, []byte("something else entirely\n"))
			writeFile(t, path, []byte(orig+"\n"))
		}, patches: 0, want: orig},
		{name: "editor and Finder litter", save: func(t *testing.T, path string) {
			dir := path[:strings.LastIndex(path, "/")]
			for _, name := range []string{".DS_Store", "._de-DE.txt", ".de-DE.txt.swp", "de-DE.txt~", "#de-DE.txt#", "4913", "Icon\r", ".~lock.de-DE.txt#"} {
				writeFile(t, dir+"/"+name, []byte("litter"))
			}
		}, patches: 0, want: orig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.needs != "" {
				if _, err := exec.LookPath(tt.needs); err != nil {
					t.Skipf("%s is not installed", tt.needs)
				}
			}
			// A quiet period longer than the pauses inside each save, even on a loaded machine.
			e := newEnv(t, envOptions{quiet: 300 * time.Millisecond})
			tt.save(t, e.coll("keyword", "de-DE.txt"))
			if tt.patches > 0 {
				e.waitRemote("de-DE", "keywords", tt.want)
			}
			e.sentinel(1)
			if got := len(e.patches()); got != tt.patches+1 {
				t.Errorf("PATCHes = %d, want %d (+1 sentinel)", got, tt.patches)
			}
			if got := e.remoteText("de-DE", "keywords"); got != tt.want {
				t.Errorf("de-DE keywords on App Store Connect = %q, want %q", got, tt.want)
			}
		})
	}
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
}
