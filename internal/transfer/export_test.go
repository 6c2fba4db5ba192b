package transfer

import (
	"archive/zip"
	"bytes"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// sampleCollection is a collection with texts in two locales, two screenshot sets (one of
// them ordered 2 before 10), a preview set, an empty text file, litter and StoreSyncer's notes.
func sampleCollection(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "main")
	writeTree(tb, dir, map[string][]byte{
		"name/en-US.txt":                                []byte("Example"),
		"name/de-DE.txt":                                []byte("Beispiel"),
		"description/en-US.txt":                         []byte("An example.\n\nWith paragraphs.\n"),
		"keyword/de-DE.txt":                             []byte("beispiel,app"),
		"whatsNew/en-US.txt":                            []byte("   "),
		"subtitle/.DS_Store":                            []byte("x"),
		"supportUrl/en-US.txt":                          []byte("https://example.com"),
		"screenshot/en-US/APP_IPHONE_67/2.png":          pngOf(tb, 1290, 2796, 2),
		"screenshot/en-US/APP_IPHONE_67/10.png":         pngOf(tb, 1290, 2796, 10),
		"screenshot/en-US/APP_IPAD_PRO_3GEN_129/a.jpeg": []byte("\xff\xd8jpeg bytes\xff\xd9"),
		"screenshot/de-DE/APP_IPHONE_67/.DS_Store":      []byte("x"),
		"preview/en-US/IPHONE_67/1.mp4":                 []byte("mp4 bytes"),
		".storesyncer/checksums.json":                   []byte("{}"),
	})
	return dir
}

func TestExportZipIsDeterministic(t *testing.T) {
	for _, format := range []Format{FormatTemplate, FormatFastlane} {
		t.Run(string(format), func(t *testing.T) {
			dir := sampleCollection(t)
			var first bytes.Buffer
			if _, err := ExportZip(dir, &first, ExportOptions{Format: format}); err != nil {
				t.Fatal(err)
			}
			// Touch every file: new times must not change the bytes.
			later := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
			filepath.Walk(dir, func(p string, _ os.FileInfo, _ error) error { return os.Chtimes(p, later, later) })
			var second bytes.Buffer
			if _, err := ExportZip(dir, &second, ExportOptions{Format: format}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Fatal("two exports of the same collection differ")
			}
			zr, err := zip.NewReader(bytes.NewReader(first.Bytes()), int64(first.Len()))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range zr.File {
				names = append(names, f.Name)
				if !f.Modified.Equal(zipTime) {
					t.Errorf("%s: time %v, want %v", f.Name, f.Modified, zipTime)
				}
				wantMethod := zip.Deflate
				switch {
				case strings.HasSuffix(f.Name, "/"):
					wantMethod = zip.Store
				case storedExts[path.Ext(f.Name)]:
					wantMethod = zip.Store
				}
				if f.Method != wantMethod {
					t.Errorf("%s: method %d, want %d", f.Name, f.Method, wantMethod)
				}
				if strings.Contains(f.Name, ".storesyncer") || strings.Contains(f.Name, "DS_Store") || strings.Contains(f.Name, "whatsNew/en-US") {
					t.Errorf("%s: exported, want it left out", f.Name)
				}
			}
			if !sortedStrings(names) {
				t.Errorf("entries not sorted: %q", names)
			}
		})
	}
}

func sortedStrings(s []string) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] > s[i] {
			return false
		}
	}
	return true
}

func TestExportFastlaneNames(t *testing.T) {
	dir := sampleCollection(t)
	out := filepath.Join(t.TempDir(), "fastlane")
	rep, err := Export(dir, out, ExportOptions{Format: FormatFastlane})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for k := range filesOnly(readTree(t, out)) {
		got = append(got, k)
	}
	want := []string{
		"metadata/de-DE/keywords.txt", "metadata/de-DE/name.txt", "metadata/en-US/description.txt",
		"metadata/en-US/name.txt", "metadata/en-US/support_url.txt",
		"screenshots/en-US/01_APP_IPAD_PRO_3GEN_129_01.jpeg",
		"screenshots/en-US/02_APP_IPHONE_67_01.png", "screenshots/en-US/02_APP_IPHONE_67_02.png",
	}
	if diff := cmp.Diff(want, got, cmpSorted); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if b := readTree(t, out)["screenshots/en-US/02_APP_IPHONE_67_01.png"]; b != string(pngOf(t, 1290, 2796, 2)) {
		t.Error("2.png is not first: natural order lost")
	}
	if !containsSubstring(rep.Warnings, "preview/en-US/IPHONE_67/: fastlane has no place for app previews") {
		t.Errorf("no preview warning in %q", rep.Warnings)
	}
}

func TestExportDirRefusesNonEmptyFolder(t *testing.T) {
	dir := sampleCollection(t)
	out := t.TempDir()
	writeTree(t, out, map[string][]byte{"Fastfile": []byte("keep me")})
	if _, err := Export(dir, out, ExportOptions{}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("error %v, want a refusal", err)
	}
	if got := readTree(t, out); len(got) != 1 {
		t.Errorf("folder changed: %v", got)
	}
}

// managed is what a round trip must keep: normalized texts and each set's image bytes in order.
func managed(tb testing.TB, dir string) map[string]string {
	tb.Helper()
	c, err := readCollection(dir, OnlyAll)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{}
	for _, t := range c.texts {
		txt, err := collection.ReadText(t.abs)
		if err != nil {
			tb.Fatal(err)
		}
		out[t.field.Dir+"/"+t.locale] = txt
	}
	for _, s := range c.sets {
		var parts []string
		for _, p := range s.abs {
			b, err := os.ReadFile(p)
			if err != nil {
				tb.Fatal(err)
			}
			parts = append(parts, string(b))
		}
		out[s.kind+"/"+s.locale+"/"+s.typ] = strings.Join(parts, "\x00|\x00")
	}
	return out
}

func TestExportImportRoundTrip(t *testing.T) {
	for _, format := range []Format{FormatTemplate, FormatFastlane} {
		for _, target := range []string{"out.zip", "out"} {
			t.Run(string(format)+"/"+target, func(t *testing.T) {
				dir := sampleCollection(t)
				out := filepath.Join(t.TempDir(), target)
				if _, err := Export(dir, out, ExportOptions{Format: format}); err != nil {
					t.Fatal(err)
				}
				back := filepath.Join(t.TempDir(), "back")
				rep, err := Import(out, back, ImportOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if rep.Format != format {
					t.Errorf("detected format %q, want %q", rep.Format, format)
				}
				want := managed(t, dir)
				if format == FormatFastlane {
					delete(want, "preview/en-US/IPHONE_67")
				}
				if diff := cmp.Diff(want, managed(t, back)); diff != "" {
					t.Errorf("round trip lost content (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestExportOnly(t *testing.T) {
	dir := sampleCollection(t)
	var buf bytes.Buffer
	rep, err := ExportZip(dir, &buf, ExportOptions{Only: OnlyText})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Texts != 5 || rep.Sets != 0 {
		t.Errorf("only text: report %+v", rep)
	}
	rep, err = ExportZip(dir, &buf, ExportOptions{Only: OnlyMedia})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Texts != 0 || rep.Sets != 3 || rep.Images != 3 || rep.Videos != 1 {
		t.Errorf("only media: report %+v", rep)
	}
}
