package transfer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// symlink makes the link name (slash path under root) point at target, as written.
func symlink(tb testing.TB, root, name, target string) {
	tb.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		tb.Fatal(err)
	}
}

// TestImportFastlaneTreeShapes imports fastlane folders shaped as real projects keep them and
// checks exactly what lands in the collection, what is rejected and what is warned about.
func TestImportFastlaneTreeShapes(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string][]byte
		links    map[string]string // link → target, inside the tree's folder
		outside  map[string][]byte // files beside the tree, for links that leave it
		platform string
		want     map[string]string
		rejected map[string]string
		warns    []string
	}{
		{
			name: "release notes symlinked to one shared file inside the tree are followed",
			files: map[string][]byte{
				"metadata/en-US/name.txt":  []byte("App"),
				"metadata/de-DE/name.txt":  []byte("App DE"),
				"shared/release_notes.txt": []byte("Bug fixes."),
			},
			links: map[string]string{
				"metadata/en-US/release_notes.txt": "../../shared/release_notes.txt",
				"metadata/de-DE/release_notes.txt": "../../shared/release_notes.txt",
				"metadata/ja":                      "en-US", // a locale folder that is a link
			},
			want: map[string]string{
				"name/en-US.txt": "App", "whatsNew/en-US.txt": "Bug fixes.",
				"name/de-DE.txt": "App DE", "whatsNew/de-DE.txt": "Bug fixes.",
				"name/ja.txt": "App", "whatsNew/ja.txt": "Bug fixes.",
			},
			warns: []string{"shared/: not part of fastlane's metadata/ or screenshots/"},
		},
		{
			name:    "a symlink that leaves the tree, one that dangles and one that loops are refused by path",
			files:   map[string][]byte{"metadata/en-US/name.txt": []byte("App")},
			outside: map[string][]byte{"secret.txt": []byte("do not read")},
			links: map[string]string{
				"metadata/en-US/description.txt":   "../../../secret.txt",
				"metadata/en-US/release_notes.txt": "missing.txt",
				"metadata/en-US/loop":              "..",
			},
			want: map[string]string{"name/en-US.txt": "App"},
			rejected: map[string]string{
				"metadata/en-US/description.txt":   "symbolic link to ../../../secret.txt, outside",
				"metadata/en-US/release_notes.txt": "symbolic link to missing.txt, which does not exist",
				"metadata/en-US/loop":              "a loop",
			},
		},
		{
			name: "locale folders in another case are written in Apple's case, with a warning",
			files: map[string][]byte{
				"metadata/de-de/name.txt":    []byte("Beispiel"),
				"metadata/EN-us/name.txt":    []byte("Example"),
				"metadata/ja-jp/name.txt":    []byte("例"),
				"screenshots/de-de/shot.png": pngOf(t, 1290, 2796, 1),
			},
			want: map[string]string{
				"name/de-DE.txt": "Beispiel", "name/en-US.txt": "Example", "name/ja.txt": "例",
				"screenshot/de-DE/APP_IPHONE_67/shot.png": string(pngOf(t, 1290, 2796, 1)),
			},
			warns: []string{"metadata/de-de/: imported as de-DE", "metadata/EN-us/: imported as en-US", "metadata/ja-jp/: imported as ja", "screenshots/de-de/: imported as de-DE"},
		},
		{
			name: "_ for - is suggested, not guessed; an unknown locale is refused with the likely one",
			files: map[string][]byte{
				"metadata/de_DE/name.txt": []byte("Beispiel"),
				"metadata/en-UK/name.txt": []byte("Example"),
				"metadata/fr-FR/name.txt": []byte("Exemple"),
			},
			want: map[string]string{"name/fr-FR.txt": "Exemple"},
			rejected: map[string]string{
				"metadata/de_DE/": "rename it to metadata/de-DE/",
				"metadata/en-UK/": "if it is en-GB, rename it to metadata/en-GB/",
			},
		},
		{
			name: "platform subfolders: the only App Store one is taken, android/ is never a locale",
			files: map[string][]byte{
				"metadata/ios/en-US/name.txt":             []byte("App"),
				"metadata/ios/default/keywords.txt":       []byte("a,b"),
				"metadata/android/en-US/title.txt":        []byte("App for Android"),
				"screenshots/ios/en-US/shot.png":          pngOf(t, 1290, 2796, 1),
				"screenshots/android/en-US/phone/one.png": pngOf(t, 1080, 1920, 1),
			},
			want: map[string]string{
				"name/en-US.txt": "App", "keyword/en-US.txt": "a,b",
				"screenshot/en-US/APP_IPHONE_67/shot.png": string(pngOf(t, 1290, 2796, 1)),
			},
			warns: []string{"metadata/android/: not an App Store platform", "metadata/ios/: the only App Store platform folder; imported as IOS", "screenshots/android/: not an App Store platform"},
		},
		{
			name: "platform subfolders: the app's platform chooses",
			files: map[string][]byte{
				"metadata/ios/en-US/name.txt":       []byte("App"),
				"metadata/macos/en-US/name.txt":     []byte("App for Mac"),
				"metadata/appletvos/en-US/name.txt": []byte("App for TV"),
			},
			platform: "MAC_OS",
			want:     map[string]string{"name/en-US.txt": "App for Mac"},
			warns:    []string{"metadata/ios/: for IOS, not MAC_OS; skipped", "metadata/appletvos/: for TV_OS, not MAC_OS; skipped"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			src := filepath.Join(base, "fastlane")
			writeTree(t, src, tc.files)
			writeTree(t, base, tc.outside)
			for link, target := range tc.links {
				symlink(t, src, link, target)
			}
			dst := filepath.Join(t.TempDir(), "main")
			rep, err := Import(src, dst, ImportOptions{Platform: tc.platform})
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if diff := cmp.Diff(tc.want, filesOnly(readTree(t, dst))); diff != "" {
				t.Errorf("collection (-want +got):\n%s", diff)
			}
			assertRejected(t, rep, tc.rejected)
			for _, w := range tc.warns {
				if !containsSubstring(rep.Warnings, w) {
					t.Errorf("no warning contains %q; warnings:\n%s", w, strings.Join(rep.Warnings, "\n"))
				}
			}
			for _, w := range rep.Warnings {
				if strings.Contains(w, "do not read") {
					t.Errorf("a warning shows the outside file's content: %s", w)
				}
			}
		})
	}
}

// TestImportFastlaneRefusals covers the imports that write nothing: a platform that cannot be
// chosen, a --format that does not match the layout, and a source with nothing to import.
func TestImportFastlaneRefusals(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string][]byte
		opts     ImportOptions
		check    func(error) bool
		wantText string
	}{
		{
			name:     "two App Store platforms and no platform: asked for",
			files:    map[string][]byte{"metadata/ios/en-US/name.txt": []byte("A"), "metadata/macos/en-US/name.txt": []byte("B")},
			check:    func(err error) bool { var pe *PlatformError; return errors.As(err, &pe) },
			wantText: "metadata/ has platform folders metadata/ios/, metadata/macos/; choose one with --platform IOS or --platform MAC_OS",
		},
		{
			name:     "the platform asked for is absent",
			files:    map[string][]byte{"metadata/ios/en-US/name.txt": []byte("A")},
			opts:     ImportOptions{Platform: "TV_OS"},
			check:    func(err error) bool { var pe *PlatformError; return errors.As(err, &pe) },
			wantText: "none for TV_OS; import with --platform IOS, or add metadata/appletvos/",
		},
		{
			name:     "--format fastlane on a template",
			files:    map[string][]byte{"README.txt": []byte("x"), "description/en-US.txt": []byte("A"), "keyword/en-US.txt": []byte("a")},
			opts:     ImportOptions{Format: FormatFastlane},
			check:    func(err error) bool { var fe *FormatError; return errors.As(err, &fe) },
			wantText: "--format fastlane, but the source is in the template layout (it has description/, keyword/); leave out --format or use --format template",
		},
		{
			name:     "--format template on a fastlane tree",
			files:    map[string][]byte{"metadata/en-US/name.txt": []byte("A")},
			opts:     ImportOptions{Format: FormatTemplate},
			check:    func(err error) bool { var fe *FormatError; return errors.As(err, &fe) },
			wantText: "in the fastlane layout (it has metadata/)",
		},
		{
			name:     "only Android metadata",
			files:    map[string][]byte{"metadata/android/en-US/title.txt": []byte("A")},
			check:    func(err error) bool { var ne *NothingImportedError; return errors.As(err, &ne) },
			wantText: "nothing to import: looked for fastlane texts (metadata/<locale>/name.txt",
		},
		{
			name:     "neither layout",
			files:    map[string][]byte{"notes/a.txt": []byte("A"), "b.md": []byte("B")},
			check:    func(err error) bool { var ne *NothingImportedError; return errors.As(err, &ne) },
			wantText: "looked for text files in the template layout (description/<locale>.txt, keyword/<locale>.txt, …) and screenshot/<locale>/<display type>/ and preview/<locale>/<preview type>/ folders with media, or fastlane texts",
		},
		{
			name:  "only an ambiguous screenshot",
			files: map[string][]byte{"screenshots/en-US/ipad.png": pngOf(t, 2048, 2732, 1)},
			check: func(err error) bool {
				var ne *NothingImportedError
				return errors.As(err, &ne) && len(ne.Rejected) == 1
			},
			wantText: "1 file(s) not imported",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := writeFile(t, "src.zip", zipBytes(t, tc.files))
			parent := t.TempDir()
			dst := filepath.Join(parent, "main")
			_, err := Import(src, dst, tc.opts)
			if err == nil || !tc.check(err) || !strings.Contains(err.Error(), tc.wantText) {
				t.Fatalf("error %v (%T); want the typed error containing %q", err, err, tc.wantText)
			}
			assertNoLeftovers(t, parent)
		})
	}
}

// TestFastlaneRoundTripKeepsNames exports a collection as a fastlane tree and imports it back:
// every screenshot keeps the name export gave it (01_APP_IPHONE_55_01.png), and every text
// and image comes back as it was.
func TestFastlaneRoundTripKeepsNames(t *testing.T) {
	col := filepath.Join(t.TempDir(), "main")
	writeTree(t, col, map[string][]byte{
		"name/en-US.txt":                          []byte("App"),
		"keyword/de-DE.txt":                       []byte("eins,zwei"),
		"screenshot/en-US/APP_IPHONE_55/a.png":    pngOf(t, 1242, 2208, 1),
		"screenshot/en-US/APP_IPHONE_55/b.png":    pngOf(t, 1242, 2208, 2),
		"screenshot/en-US/APP_IPAD_PRO_129/x.png": pngOf(t, 2048, 2732, 3),
	})
	out := filepath.Join(t.TempDir(), "fastlane")
	if _, err := Export(col, out, ExportOptions{Format: FormatFastlane}); err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(t.TempDir(), "first")
	if rep, err := Import(out, first, ImportOptions{}); err != nil || len(rep.Rejected) > 0 {
		t.Fatalf("import of the export: %v, rejected %v", err, rep.Rejected)
	}
	want := map[string]string{
		"name/en-US.txt":    "App",
		"keyword/de-DE.txt": "eins,zwei",
		"screenshot/en-US/APP_IPHONE_55/02_APP_IPHONE_55_01.png":       string(pngOf(t, 1242, 2208, 1)),
		"screenshot/en-US/APP_IPHONE_55/02_APP_IPHONE_55_02.png":       string(pngOf(t, 1242, 2208, 2)),
		"screenshot/en-US/APP_IPAD_PRO_129/01_APP_IPAD_PRO_129_01.png": string(pngOf(t, 2048, 2732, 3)),
	}
	if diff := cmp.Diff(want, filesOnly(readTree(t, first))); diff != "" {
		t.Errorf("after one round trip (-want +got):\n%s", diff)
	}
	// A second round trip changes nothing.
	out2 := filepath.Join(t.TempDir(), "fastlane")
	if _, err := Export(first, out2, ExportOptions{Format: FormatFastlane}); err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(t.TempDir(), "second")
	if _, err := Import(out2, second, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, filesOnly(readTree(t, second))); diff != "" {
		t.Errorf("after two round trips (-want +got):\n%s", diff)
	}
}
