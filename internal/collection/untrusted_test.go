//go:build unix

package collection

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const outsideMarker = "-----BEGIN PRIVATE KEY----- OUTSIDE-MARKER"

// TestLoadHostile loads collections a hostile teammate could commit: every case is refused
// with its code and path, the key is held, and no byte of a file outside the collection is in
// the Collection.
func TestLoadHostile(t *testing.T) {
	shot := "screenshot/en-US/APP_IPHONE_67/"
	tests := []struct {
		name string
		// make changes the clean collection at dir; outside is a file beside it holding
		// outsideMarker.
		make func(tb testing.TB, dir, outside string)
		want []found
		held []Key
	}{
		{"text linked to a key outside", func(tb testing.TB, dir, outside string) {
			symlink(tb, outside, dir, "description/de-DE.txt")
		}, []found{{"description/de-DE.txt", CodeLinkOutside, SeverityError}}, []Key{"de-DE/description"}},
		{"text linked relatively out", func(tb testing.TB, dir, outside string) {
			symlink(tb, "../../../outside.p8", dir, "keyword/de-DE.txt")
		}, []found{{"keyword/de-DE.txt", CodeLinkOutside, SeverityError}}, []Key{"de-DE/keyword"}},
		{"screenshot linked outside", func(tb testing.TB, dir, outside string) {
			symlink(tb, outside, dir, shot+"2.png")
		}, []found{{shot + "2.png", CodeLinkOutside, SeverityError}}, []Key{"en-US/screenshot/APP_IPHONE_67"}},
		{"field folder linked outside", func(tb testing.TB, dir, outside string) {
			os.MkdirAll(filepath.Join(filepath.Dir(outside), "elsewhere"), 0o755)
			symlink(tb, filepath.Join(filepath.Dir(outside), "elsewhere"), dir, "whatsNew")
		}, []found{{"whatsNew", CodeLinkOutside, SeverityError}}, nil},
		{"locale folder linked to a parent", func(tb testing.TB, dir, outside string) {
			symlink(tb, "..", dir, "screenshot/de-DE")
		}, []found{{"screenshot/de-DE", CodeLinkParent, SeverityError}}, nil},
		{"type folder linked to the collection", func(tb testing.TB, dir, outside string) {
			symlink(tb, dir, dir, "screenshot/en-US/APP_IPAD_PRO_3GEN_129")
		}, []found{{"screenshot/en-US/APP_IPAD_PRO_3GEN_129", CodeLinkParent, SeverityError}}, nil},
		{"symlink loop", func(tb testing.TB, dir, outside string) {
			symlink(tb, "fr-FR.txt", dir, "name/de-DE.txt")
			symlink(tb, "de-DE.txt", dir, "name/fr-FR.txt")
		}, []found{{"name/de-DE.txt", CodeLinkLoop, SeverityError}, {"name/fr-FR.txt", CodeLinkLoop, SeverityError}}, []Key{"de-DE/name", "fr-FR/name"}},
		{"FIFO text", func(tb testing.TB, dir, outside string) {
			mkfifo(tb, filepath.Join(dir, "description/de-DE.txt"))
		}, []found{{"description/de-DE.txt", CodeFileSpecial, SeverityError}}, []Key{"de-DE/description"}},
		{"FIFO screenshot", func(tb testing.TB, dir, outside string) {
			mkfifo(tb, filepath.Join(dir, shot+"2.png"))
		}, []found{{shot + "2.png", CodeFileSpecial, SeverityError}}, []Key{"en-US/screenshot/APP_IPHONE_67"}},
		{"NUL in a text", func(tb testing.TB, dir, outside string) {
			writeFiles(tb, dir, map[string][]byte{"description/de-DE.txt": []byte("Eins\nzw\x00ei\n")})
		}, []found{{"description/de-DE.txt", CodeTextControlChar, SeverityError}}, []Key{"de-DE/description"}},
		{"escape in a text", func(tb testing.TB, dir, outside string) {
			writeFiles(tb, dir, map[string][]byte{"promotionalText/de-DE.txt": []byte("\x1b[31mrot")})
		}, []found{{"promotionalText/de-DE.txt", CodeTextControlChar, SeverityError}}, []Key{"de-DE/promotionalText"}},
		{"newline in a screenshot name", func(tb testing.TB, dir, outside string) {
			writeFiles(tb, dir, map[string][]byte{shot + "04\nx.png": rgbPNG(tb, 1290, 2796)})
		}, []found{{shot + `04\nx.png`, CodeNameInvalid, SeverityError}}, []Key{"en-US/screenshot/APP_IPHONE_67"}},
		{"invalid UTF-8 in a name", func(tb testing.TB, dir, outside string) {
			writeFiles(tb, dir, map[string][]byte{"description/d\xffe.txt": []byte("x")})
		}, []found{{`description/d\xffe.txt`, CodeNameInvalid, SeverityError}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "app", "main")
			writeFiles(t, dir, baseCollection(t))
			outside := filepath.Join(root, "outside.p8")
			if err := os.WriteFile(outside, []byte(outsideMarker), 0o600); err != nil {
				t.Fatal(err)
			}
			tt.make(t, dir, outside)
			c, problems := loadWithin(t, dir)
			var errs []found
			for _, p := range project(problems) {
				if p.Sev == SeverityError {
					errs = append(errs, p)
				}
			}
			if diff := cmp.Diff(tt.want, errs); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%v", diff, problems)
			}
			if diff := cmp.Diff(tt.held, c.HeldKeys()); diff != "" {
				t.Errorf("held keys (-want +got):\n%s", diff)
			}
			for _, txt := range c.Texts {
				if strings.Contains(txt.Value, "OUTSIDE-MARKER") {
					t.Errorf("%s holds the outside file", txt.Path)
				}
			}
			for _, p := range problems {
				if strings.ContainsAny(p.Path, "\n\r\x00") || strings.Contains(p.Message, "OUTSIDE-MARKER") {
					t.Errorf("problem %+v is not one clean line", p)
				}
			}
		})
	}
}

// TestLoadLinksInside reads links whose targets stay inside the collection as those files:
// a text, a screenshot, and a whole locale folder shared with another locale.
func TestLoadLinksInside(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, baseCollection(t))
	symlink(t, "en-US.txt", dir, "description/de-DE.txt")
	symlink(t, "1.png", dir, "screenshot/en-US/APP_IPHONE_67/2.png")
	symlink(t, "en-US", dir, "preview/de-DE")
	c, problems := loadWithin(t, dir)
	if HasErrors(problems) {
		t.Fatalf("problems: %v", problems)
	}
	if got := c.Texts["de-DE/description"].Value; got != "A fine app." {
		t.Errorf("de-DE/description = %q", got)
	}
	set := c.Sets["en-US/screenshot/APP_IPHONE_67"]
	if len(set.Assets) != 2 || set.Assets[0].MD5 != set.Assets[1].MD5 || set.Assets[1].MD5 == "" {
		t.Errorf("linked screenshot: %+v", set.Assets)
	}
	if _, ok := c.Sets["de-DE/preview/IPHONE_67"]; !ok {
		t.Errorf("linked locale folder not read: %v", c.SetKeys())
	}
}

func TestCheckControlChars(t *testing.T) {
	tests := []struct {
		in         string
		line, col  int
		wantsError bool
	}{
		{"plain\ttext\r\nnext line\n", 0, 0, false},
		{"a\x00b", 1, 2, true},
		{"one\ntwo\nthr\x7fee", 3, 4, true},
		{"äöü\u0085", 1, 4, true},
		{"emoji 🎉 ok", 0, 0, false},
	}
	for _, tt := range tests {
		err := CheckControlChars(tt.in)
		if !tt.wantsError {
			if err != nil {
				t.Errorf("CheckControlChars(%q) = %v", tt.in, err)
			}
			continue
		}
		ce, ok := err.(*ControlCharError)
		if !ok || ce.Line != tt.line || ce.Column != tt.col {
			t.Errorf("CheckControlChars(%q) = %v; want line %d column %d", tt.in, err, tt.line, tt.col)
		}
	}
}

// loadWithin loads dir, failing instead of hanging when a read blocks.
func loadWithin(tb testing.TB, dir string) (*Collection, []Problem) {
	tb.Helper()
	type result struct {
		c  *Collection
		ps []Problem
		e  error
	}
	ch := make(chan result, 1)
	go func() {
		c, ps, err := Load(dir, Options{})
		ch <- result{c, ps, err}
	}()
	select {
	case r := <-ch:
		if r.e != nil {
			tb.Fatal(r.e)
		}
		return r.c, r.ps
	case <-time.After(20 * time.Second):
		tb.Fatal("Load blocked")
		return nil, nil
	}
}

func symlink(tb testing.TB, target, dir, rel string) {
	tb.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		tb.Fatal(err)
	}
}

func mkfifo(tb testing.TB, p string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		tb.Fatal(err)
	}
}
