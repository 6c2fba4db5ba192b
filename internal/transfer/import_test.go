package transfer

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestImportTemplate(t *testing.T) {
	shotA, shotB, shotC := pngOf(t, 1290, 2796, 1), pngOf(t, 1290, 2796, 2), pngOf(t, 1290, 2796, 3)
	existing := map[string][]byte{
		"description/en-US.txt":                        []byte("old description"),
		"keyword/en-US.txt":                            []byte("old,keywords"),
		"name/de-DE.txt":                               []byte("Alter Name"),
		"screenshot/en-US/APP_IPHONE_67/01.png":        shotA,
		"screenshot/en-US/APP_IPHONE_67/02.png":        shotB,
		"screenshot/de-DE/APP_IPHONE_67/01.png":        shotA,
		".storesyncer/checksums.json":                  []byte("{}"),
		"screenshot/en-US/APP_IPAD_PRO_3GEN_129/1.png": shotC,
	}
	tests := []struct {
		name      string
		src       map[string][]byte
		srcDirs   []string // extra empty folders in the source (folder sources only)
		opts      ImportOptions
		want      map[string][]byte // changes to existing: nil value deletes
		wantRep   Report
		wantWarns []string // substrings, each must appear in some warning
	}{
		{
			name:    "text replaces per file, the rest stays",
			src:     map[string][]byte{"keyword/en-US.txt": []byte("new,keywords\n"), "README.txt": []byte("help")},
			want:    map[string][]byte{"keyword/en-US.txt": []byte("new,keywords\n")},
			wantRep: Report{Format: FormatTemplate, Texts: 1},
		},
		{
			name: "a display-type folder replaces the whole set",
			src:  map[string][]byte{"screenshot/en-US/APP_IPHONE_67/only.png": shotC},
			want: map[string][]byte{
				"screenshot/en-US/APP_IPHONE_67/01.png":   nil,
				"screenshot/en-US/APP_IPHONE_67/02.png":   nil,
				"screenshot/en-US/APP_IPHONE_67/only.png": shotC,
			},
			wantRep: Report{Format: FormatTemplate, Sets: 1, Images: 1},
		},
		{
			name:      "empty text files are skipped",
			src:       map[string][]byte{"description/en-US.txt": []byte(" \r\n"), "subtitle/en-US.txt": []byte("Sub")},
			want:      map[string][]byte{"subtitle/en-US.txt": []byte("Sub")},
			wantRep:   Report{Format: FormatTemplate, Texts: 1, Skipped: 1},
			wantWarns: []string{"description/en-US.txt: empty"},
		},
		{
			name:    "allow empty imports them",
			src:     map[string][]byte{"description/en-US.txt": []byte("")},
			opts:    ImportOptions{AllowEmpty: true},
			want:    map[string][]byte{"description/en-US.txt": []byte("")},
			wantRep: Report{Format: FormatTemplate, Texts: 1},
		},
		{
			name:    "only text",
			src:     map[string][]byte{"keyword/fr-FR.txt": []byte("mots"), "screenshot/en-US/APP_IPHONE_67/x.png": shotC},
			opts:    ImportOptions{Only: OnlyText},
			want:    map[string][]byte{"keyword/fr-FR.txt": []byte("mots")},
			wantRep: Report{Format: FormatTemplate, Texts: 1},
		},
		{
			name:    "only media",
			src:     map[string][]byte{"keyword/fr-FR.txt": []byte("mots"), "screenshot/fr-FR/APP_IPHONE_67/x.png": shotC},
			opts:    ImportOptions{Only: OnlyMedia},
			want:    map[string][]byte{"screenshot/fr-FR/APP_IPHONE_67/x.png": shotC},
			wantRep: Report{Format: FormatTemplate, Sets: 1, Images: 1},
		},
		{
			name: "litter is ignored",
			src: map[string][]byte{
				".DS_Store": []byte("x"), "__MACOSX/keyword/._en-US.txt": []byte("x"),
				"keyword/._en-US.txt": []byte("x"), "keyword/en-US.txt~": []byte("x"),
				"screenshot/en-US/APP_IPHONE_67/.DS_Store": []byte("x"),
				"screenshot/en-US/APP_IPHONE_67/01.png":    shotC,
			},
			want: map[string][]byte{
				"screenshot/en-US/APP_IPHONE_67/01.png": shotC,
				"screenshot/en-US/APP_IPHONE_67/02.png": nil,
			},
			wantRep: Report{Format: FormatTemplate, Sets: 1, Images: 1},
		},
		{
			name:    "a single wrapping folder is looked through",
			src:     map[string][]byte{"My Template/name/en-US.txt": []byte("Great App"), "My Template/README.txt": []byte("x")},
			want:    map[string][]byte{"name/en-US.txt": []byte("Great App")},
			wantRep: Report{Format: FormatTemplate, Texts: 1},
		},
		{
			name:      "unknown folders and files are skipped with a warning",
			src:       map[string][]byte{"descriptions/en-US.txt": []byte("x"), "notes.md": []byte("x"), "keyword/en-US.md": []byte("x"), "name/en-US.txt": []byte("App")},
			want:      map[string][]byte{"name/en-US.txt": []byte("App")},
			wantRep:   Report{Format: FormatTemplate, Texts: 1},
			wantWarns: []string{"did you mean description/?", "notes.md: not part of the template layout", "keyword/en-US.md: not a <locale>.txt file"},
		},
		{
			name:      "a non-media file in a set is skipped",
			src:       map[string][]byte{"preview/en-US/IPHONE_67/a.mp4": []byte("video"), "preview/en-US/IPHONE_67/a.png": shotA},
			want:      map[string][]byte{"preview/en-US/IPHONE_67/a.mp4": []byte("video")},
			wantRep:   Report{Format: FormatTemplate, Sets: 1, Videos: 1},
			wantWarns: []string{"preview/en-US/IPHONE_67/a.png: not a video"},
		},
	}
	for _, tc := range tests {
		for _, kind := range []string{"folder", "zip"} {
			t.Run(tc.name+"/"+kind, func(t *testing.T) {
				parent := t.TempDir()
				dst := filepath.Join(parent, "main")
				writeTree(t, dst, existing)
				src := filepath.Join(t.TempDir(), "src")
				writeTree(t, src, tc.src)
				if kind == "zip" {
					src = writeFile(t, "src.zip", zipBytes(t, tc.src))
				}
				rep, err := Import(src, dst, tc.opts)
				if err != nil {
					t.Fatalf("Import: %v", err)
				}
				want := asString(existing)
				for k, v := range tc.want {
					if v == nil {
						delete(want, k)
					} else {
						want[k] = string(v)
					}
				}
				if diff := cmp.Diff(want, filesOnly(readTree(t, dst))); diff != "" {
					t.Errorf("collection after import (-want +got):\n%s", diff)
				}
				warns := rep.Warnings
				rep.Warnings = nil
				if diff := cmp.Diff(tc.wantRep, rep, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("report (-want +got):\n%s", diff)
				}
				for _, w := range tc.wantWarns {
					if !containsSubstring(warns, w) {
						t.Errorf("no warning contains %q; warnings: %q", w, warns)
					}
				}
				assertNoLeftovers(t, parent, "main")
			})
		}
	}
}

func containsSubstring(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestImportIntoNewCollection(t *testing.T) {
	parent := t.TempDir()
	dst := filepath.Join(parent, "christmas")
	src := writeFile(t, "t.zip", zipBytes(t, map[string][]byte{"promotionalText/en-US.txt": []byte("Ho ho ho")}))
	if _, err := Import(src, dst, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"promotionalText/": "", "promotionalText/en-US.txt": "Ho ho ho"}
	if diff := cmp.Diff(want, readTree(t, dst)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	assertNoLeftovers(t, parent, "christmas")
}

func TestImportEmptySetSkippedUnlessAllowed(t *testing.T) {
	for _, allow := range []bool{false, true} {
		parent := t.TempDir()
		dst := filepath.Join(parent, "main")
		shot := pngOf(t, 1290, 2796, 9)
		writeTree(t, dst, map[string][]byte{"screenshot/en-US/APP_IPHONE_67/01.png": shot})
		var tpl strings.Builder
		if err := Template(&tpl, TemplateOptions{}); err != nil {
			t.Fatal(err)
		}
		src := writeFile(t, "t.zip", []byte(tpl.String()))
		rep, err := Import(src, dst, ImportOptions{AllowEmpty: allow})
		var nothing *NothingImportedError
		if !allow && !errors.As(err, &nothing) {
			t.Fatalf("untouched template: error %v, want *NothingImportedError", err)
		}
		if allow && err != nil {
			t.Fatal(err)
		}
		got := filesOnly(readTree(t, dst))
		_, kept := got["screenshot/en-US/APP_IPHONE_67/01.png"]
		if kept == allow {
			t.Errorf("allowEmpty=%v: screenshot kept=%v; report %+v", allow, kept, rep)
		}
		if !allow && (rep.Sets != 0 || rep.Skipped != 2) {
			t.Errorf("untouched template: report %+v, want 0 sets and 2 skipped", rep)
		}
	}
}

func TestImportFastlaneFromProjectFolder(t *testing.T) {
	src := filepath.Join(t.TempDir(), "project")
	writeTree(t, src, map[string][]byte{
		"README.md":                        []byte("# app"),
		"Sources/main.swift":               []byte("print()"),
		"fastlane/Fastfile":                []byte("lane"),
		"fastlane/metadata/en-US/name.txt": []byte("App"),
	})
	dst := filepath.Join(t.TempDir(), "main")
	rep, err := Import(src, dst, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"name/en-US.txt": "App"}, filesOnly(readTree(t, dst))); diff != "" || rep.Format != FormatFastlane {
		t.Errorf("format %s, files (-want +got):\n%s", rep.Format, diff)
	}
}
