package transfer

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fastlaneTree is a fastlane folder as teams really keep it: metadata/default/, app-level
// files, review information, two locales, snapshot's device-named screenshots and
// download_screenshots' type-named ones.
func fastlaneTree(tb testing.TB) map[string][]byte {
	tb.Helper()
	return map[string][]byte{
		"Fastfile":                              []byte("lane :release do\nend\n"),
		"metadata/copyright.txt":                []byte("2026 Example GmbH"),
		"metadata/primary_category.txt":         []byte("PRODUCTIVITY"),
		"metadata/review_information/notes.txt": []byte("demo account: x"),
		"metadata/trade_representative_contact_information/city.txt": []byte("Berlin"),
		"metadata/default/subtitle.txt":                              []byte("Default subtitle"),
		"metadata/default/support_url.txt":                           []byte("https://example.com/support"),
		"metadata/en-US/name.txt":                                    []byte("Example\n"),
		"metadata/en-US/description.txt":                             []byte("An example app.\r\n"),
		"metadata/en-US/keywords.txt":                                []byte("example,app"),
		"metadata/en-US/release_notes.txt":                           []byte("Bug fixes."),
		"metadata/en-US/subtitle.txt":                                []byte("English subtitle"),
		"metadata/en-US/apple_tv_privacy_policy.txt":                 []byte("https://example.com/tv"),
		"metadata/de-DE/name.txt":                                    []byte("Beispiel"),
		"metadata/de-DE/privacy_url.txt":                             []byte("https://example.com/datenschutz"),
		"metadata/de-DE/promotional_text.txt":                        []byte(""),
		"screenshots/en-US/iPhone 15 Pro Max-10_settings.png":        pngOf(tb, 1290, 2796, 3),
		"screenshots/en-US/iPhone 15 Pro Max-01_home.png":            pngOf(tb, 1290, 2796, 1),
		"screenshots/en-US/iPhone 15 Pro Max-02_list.png":            pngOf(tb, 1290, 2796, 2),
		"screenshots/en-US/iMessage/sticker.png":                     pngOf(tb, 1290, 2796, 4),
		"screenshots/de-DE/0_APP_IPHONE_65_0.png":                    pngOf(tb, 1242, 2688, 5),
		"screenshots/de-DE/0_APP_IPHONE_65_1.png":                    pngOf(tb, 1242, 2688, 6),
		"screenshots/de-DE/1_APP_IPAD_PRO_3GEN_129_0.png":            pngOf(tb, 2048, 2732, 7),
		"screenshots/screenshots.html":                               []byte("<html></html>"),
		"screenshots/.DS_Store":                                      []byte("x"),
	}
}

func TestImportFastlane(t *testing.T) {
	tree := fastlaneTree(t)
	for _, kind := range []string{"folder", "zip", "zip in a project folder"} {
		t.Run(kind, func(t *testing.T) {
			var src string
			switch kind {
			case "folder":
				src = filepath.Join(t.TempDir(), "fastlane")
				writeTree(t, src, tree)
			case "zip":
				src = writeFile(t, "fl.zip", zipBytes(t, tree))
			default:
				wrapped := map[string][]byte{}
				for k, v := range tree {
					wrapped["fastlane/"+k] = v
				}
				src = writeFile(t, "fl.zip", zipBytes(t, wrapped))
			}
			parent := t.TempDir()
			dst := filepath.Join(parent, "main")
			writeTree(t, dst, map[string][]byte{"keyword/ja.txt": []byte("stays")})
			rep, err := Import(src, dst, ImportOptions{})
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			want := map[string]string{
				"keyword/ja.txt":             "stays",
				"name/en-US.txt":             "Example\n",
				"description/en-US.txt":      "An example app.\r\n",
				"keyword/en-US.txt":          "example,app",
				"whatsNew/en-US.txt":         "Bug fixes.",
				"subtitle/en-US.txt":         "English subtitle",
				"supportUrl/en-US.txt":       "https://example.com/support",
				"name/de-DE.txt":             "Beispiel",
				"privacyPolicyUrl/de-DE.txt": "https://example.com/datenschutz",
				"subtitle/de-DE.txt":         "Default subtitle",
				"supportUrl/de-DE.txt":       "https://example.com/support",
				"screenshot/en-US/APP_IPHONE_67/iPhone 15 Pro Max-01_home.png":         string(pngOf(t, 1290, 2796, 1)),
				"screenshot/en-US/APP_IPHONE_67/iPhone 15 Pro Max-02_list.png":         string(pngOf(t, 1290, 2796, 2)),
				"screenshot/en-US/APP_IPHONE_67/iPhone 15 Pro Max-10_settings.png":     string(pngOf(t, 1290, 2796, 3)),
				"screenshot/de-DE/APP_IPHONE_65/0_APP_IPHONE_65_0.png":                 string(pngOf(t, 1242, 2688, 5)),
				"screenshot/de-DE/APP_IPHONE_65/0_APP_IPHONE_65_1.png":                 string(pngOf(t, 1242, 2688, 6)),
				"screenshot/de-DE/APP_IPAD_PRO_3GEN_129/1_APP_IPAD_PRO_3GEN_129_0.png": string(pngOf(t, 2048, 2732, 7)),
			}
			if diff := cmp.Diff(want, filesOnly(readTree(t, dst))); diff != "" {
				t.Errorf("collection (-want +got):\n%s", diff)
			}
			if rep.Format != FormatFastlane || rep.Texts != 10 || rep.Sets != 3 || rep.Images != 6 || rep.Skipped != 1 {
				t.Errorf("report %+v", rep)
			}
			for _, w := range []string{
				"metadata/copyright.txt: not localized",
				"metadata/primary_category.txt: not localized",
				"metadata/review_information/: not localized",
				"metadata/trade_representative_contact_information/: not localized",
				"metadata/en-US/apple_tv_privacy_policy.txt: StoreSyncer does not manage",
				"screenshots/en-US/iMessage/",
				"screenshots/screenshots.html",
				"metadata/de-DE/promotional_text.txt: empty",
			} {
				if !containsSubstring(rep.Warnings, w) {
					t.Errorf("no warning contains %q; warnings:\n%s", w, strings.Join(rep.Warnings, "\n"))
				}
			}
			assertNoLeftovers(t, parent, "main")
		})
	}
}

func TestImportFastlaneScreenshotTypes(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string][]byte
		platform string
		want     []string          // files written, relative to the collection
		rejected map[string]string // path → substring of the reason
		ambig    bool              // a rejection must carry an *AmbiguousSizeError
	}{
		{
			name:     "2048x2732 without a hint is rejected with the renames that decide it; the rest is imported",
			files:    map[string][]byte{"screenshots/en-US/ipad-1.png": pngOf(t, 2048, 2732, 1), "screenshots/en-US/ok.png": pngOf(t, 1290, 2796, 1)},
			want:     []string{"screenshot/en-US/APP_IPHONE_67/ok.png"},
			rejected: map[string]string{"screenshots/en-US/ipad-1.png": `rename it to "ipad-1_APP_IPAD_PRO_3GEN_129.png" for APP_IPAD_PRO_3GEN_129, or "ipad-1_APP_IPAD_PRO_129.png" for APP_IPAD_PRO_129`},
			ambig:    true,
		},
		{
			name: "an ambiguous image holds the sets it may belong to, not the others",
			files: map[string][]byte{
				"screenshots/en-US/1_APP_IPAD_PRO_3GEN_129_1.png": pngOf(t, 2048, 2732, 1),
				"screenshots/en-US/2.png":                         pngOf(t, 2048, 2732, 2),
				"screenshots/en-US/iphone.png":                    pngOf(t, 1290, 2796, 3),
			},
			want: []string{"screenshot/en-US/APP_IPHONE_67/iphone.png"},
			rejected: map[string]string{
				"screenshots/en-US/2.png": `rename it to "2_APP_IPAD_PRO_3GEN_129.png"`,
				"screenshots/en-US/":      "the APP_IPAD_PRO_3GEN_129 screenshots of en-US (1) were not imported: 2.png may belong to them",
			},
			ambig: true,
		},
		{
			name:  "landscape 2732x2048 with a hint in the name",
			files: map[string][]byte{"screenshots/en-US/ipad-1_APP_IPAD_PRO_129.png": pngOf(t, 2732, 2048, 1), "metadata/en-US/name.txt": []byte("App")},
			want:  []string{"name/en-US.txt", "screenshot/en-US/APP_IPAD_PRO_129/ipad-1_APP_IPAD_PRO_129.png"},
		},
		{
			name:     "3840x2160 is ambiguous without a platform",
			files:    map[string][]byte{"screenshots/en-US/tv.png": pngOf(t, 3840, 2160, 1), "metadata/en-US/name.txt": []byte("App")},
			want:     []string{"name/en-US.txt"},
			rejected: map[string]string{"screenshots/en-US/tv.png": "APP_APPLE_TV and APP_APPLE_VISION_PRO"},
			ambig:    true,
		},
		{
			name:     "3840x2160 on TV_OS is Apple TV",
			files:    map[string][]byte{"screenshots/en-US/tv.png": pngOf(t, 3840, 2160, 1)},
			platform: "TV_OS",
			want:     []string{"screenshot/en-US/APP_APPLE_TV/tv.png"},
		},
		{
			name:     "an unknown size is rejected",
			files:    map[string][]byte{"screenshots/en-US/odd.png": pngOf(t, 100, 100, 1), "metadata/en-US/name.txt": []byte("App")},
			want:     []string{"name/en-US.txt"},
			rejected: map[string]string{"screenshots/en-US/odd.png": "100×100 is not a screenshot size"},
		},
		{
			name:     "a broken image is rejected",
			files:    map[string][]byte{"screenshots/en-US/broken.png": []byte("not a png"), "metadata/en-US/name.txt": []byte("App")},
			want:     []string{"name/en-US.txt"},
			rejected: map[string]string{"screenshots/en-US/broken.png": "screenshots/en-US/broken.png: not a readable PNG or JPEG"},
		},
		{
			name:  "iMessage type in the name wins over the shorter APP_ type",
			files: map[string][]byte{"screenshots/en-US/0_IMESSAGE_APP_IPHONE_65_0.png": pngOf(t, 1242, 2688, 1)},
			want:  []string{"screenshot/en-US/IMESSAGE_APP_IPHONE_65/0_IMESSAGE_APP_IPHONE_65_0.png"},
		},
		{
			name: "names are kept: the collection's natural order is the tree's (2 before 10)",
			files: map[string][]byte{
				"screenshots/en-US/shot10.png": pngOf(t, 1290, 2796, 1),
				"screenshots/en-US/shot2.png":  pngOf(t, 1290, 2796, 2),
			},
			want: []string{"screenshot/en-US/APP_IPHONE_67/shot10.png", "screenshot/en-US/APP_IPHONE_67/shot2.png"},
		},
		{
			name: "legacy locale folders map to App Store Connect codes",
			files: map[string][]byte{
				"metadata/da-DK/name.txt":       []byte("Navn"),
				"screenshots/ja-JP/shot.png":    pngOf(t, 1290, 2796, 1),
				"metadata/default/keywords.txt": []byte("a,b"),
			},
			want: []string{"name/da.txt", "keyword/da.txt", "keyword/ja.txt", "screenshot/ja/APP_IPHONE_67/shot.png"},
		},
		{
			name: "framed screenshots win, as in deliver",
			files: map[string][]byte{
				"screenshots/en-US/a.png":        pngOf(t, 1290, 2796, 1),
				"screenshots/en-US/a_framed.png": pngOf(t, 1290, 2796, 2),
			},
			want: []string{"screenshot/en-US/APP_IPHONE_67/a_framed.png"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := writeFile(t, "fl.zip", zipBytes(t, tc.files))
			dst := filepath.Join(t.TempDir(), "main")
			rep, err := Import(src, dst, ImportOptions{Platform: tc.platform})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for k := range filesOnly(readTree(t, dst)) {
				got = append(got, k)
			}
			if diff := cmp.Diff(tc.want, got, cmpSorted); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
			assertRejected(t, rep, tc.rejected)
			var amb *AmbiguousSizeError
			found := false
			for _, r := range rep.Rejected {
				found = found || errors.As(r.Err, &amb)
			}
			if found != tc.ambig {
				t.Errorf("a rejection carries *AmbiguousSizeError: %v, want %v", found, tc.ambig)
			}
		})
	}
}

// assertRejected checks that the report rejects exactly the paths of want, each with a reason
// holding want's substring.
func assertRejected(tb testing.TB, rep Report, want map[string]string) {
	tb.Helper()
	got := map[string]string{}
	for _, r := range rep.Rejected {
		if _, dup := got[r.Path]; dup {
			got[r.Path] += "\n"
		}
		got[r.Path] += r.Reason
	}
	for p, sub := range want {
		if !strings.Contains(got[p], sub) {
			tb.Errorf("rejection of %s = %q, want one containing %q", p, got[p], sub)
		}
	}
	for p, reason := range got {
		if _, ok := want[p]; !ok {
			tb.Errorf("unexpected rejection %s: %s", p, reason)
		}
	}
}

var cmpSorted = cmp.Transformer("sort", func(in []string) []string {
	out := append([]string(nil), in...)
	sortStrings(out)
	return out
})

func TestImportFastlaneTextOnlyIgnoresScreenshotProblems(t *testing.T) {
	src := writeFile(t, "fl.zip", zipBytes(t, map[string][]byte{
		"metadata/en-US/name.txt":    []byte("App"),
		"screenshots/en-US/ipad.png": pngOf(t, 2048, 2732, 1),
	}))
	dst := filepath.Join(t.TempDir(), "main")
	rep, err := Import(src, dst, ImportOptions{Only: OnlyText})
	if err != nil || len(rep.Rejected) != 0 {
		t.Fatalf("text-only import: %v, rejected %v; want neither", err, rep.Rejected)
	}
	if rep, err := Import(src, dst, ImportOptions{}); err != nil || len(rep.Rejected) != 1 {
		t.Fatalf("full import of an ambiguous screenshot: %v, rejected %v; want one rejection", err, rep.Rejected)
	}
}
