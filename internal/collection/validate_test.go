package collection

import (
	"bytes"
	"encoding/binary"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// baseCollection is a small clean collection every Validate case starts from.
func baseCollection(tb testing.TB) map[string][]byte {
	tb.Helper()
	return map[string][]byte{
		"description/en-US.txt":                   []byte("A fine app.\n"),
		"keyword/en-US.txt":                       []byte("fine,app,tools"),
		"name/en-US.txt":                          []byte("Fine"),
		"supportUrl/en-US.txt":                    []byte("https://example.com/support"),
		"screenshot/en-US/APP_IPHONE_67/1.png":    rgbPNG(tb, 1290, 2796),
		"screenshot/en-US/APP_IPAD_PRO_129/1.jpg": jpegImage(tb, 2048, 2732, false),
		"preview/en-US/IPHONE_67/1.mp4":           mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920}),
	}
}

// found is a Problem without its message, for comparing.
type found struct {
	Path, Code string
	Sev        Severity
}

func project(ps []Problem) []found {
	out := make([]found, len(ps))
	for i, p := range ps {
		out[i] = found{p.Path, p.Code, p.Severity}
	}
	return out
}

func truncate(b []byte, n int) []byte { return b[:len(b)-n] }

func TestValidate(t *testing.T) {
	E, W := SeverityError, SeverityWarning
	shot := "screenshot/en-US/APP_IPHONE_67/"
	tests := []struct {
		name string
		add  func(tb testing.TB) map[string][]byte
		// remove lists base files the case deletes.
		remove []string
		dirs   []string
		opts   Options
		want   []found
		// msgs are substrings the message of the problem at the same index must contain.
		msgs map[int]string
	}{
		{name: "clean"},
		{
			name: "description too long",
			add:  func(testing.TB) map[string][]byte { return files("description/en-US.txt", strings.Repeat("x", 4001)) },
			want: []found{{"description/en-US.txt", CodeTextTooLong, E}},
			msgs: map[int]string{0: "4001 characters; description holds at most 4000"},
		},
		{
			name: "limits count code points, not bytes",
			add: func(testing.TB) map[string][]byte {
				return files("name/de-DE.txt", strings.Repeat("é", 30), "name/fr-FR.txt", strings.Repeat("é", 31))
			},
			want: []found{{"name/fr-FR.txt", CodeTextTooLong, E}},
		},
		{
			name: "name too short",
			add:  func(testing.TB) map[string][]byte { return files("name/en-US.txt", " A \n") },
			want: []found{{"name/en-US.txt", CodeTextTooShort, E}},
		},
		{
			name: "invalid UTF-8",
			add:  func(testing.TB) map[string][]byte { return files("description/en-US.txt", "line one\nbad \xff here") },
			want: []found{{"description/en-US.txt", CodeTextInvalidUTF8, E}},
			msgs: map[int]string{0: "line 2, column 5"},
		},
		{
			name: "UTF-16 file",
			add:  func(testing.TB) map[string][]byte { return files("description/en-US.txt", "\xff\xfeH\x00i\x00") },
			want: []found{{"description/en-US.txt", CodeTextInvalidUTF8, E}},
			msgs: map[int]string{0: "UTF-16"},
		},
		{
			name: "BOM and CRLF are fine",
			add: func(testing.TB) map[string][]byte {
				return files("promotionalText/en-US.txt", "\xef\xbb\xbfHello\r\nWorld\r\n")
			},
		},
		{
			name: "empty text is not managed",
			add:  func(testing.TB) map[string][]byte { return files("whatsNew/en-US.txt", " \r\n\t") },
			want: []found{{"whatsNew/en-US.txt", CodeTextEmpty, W}},
			msgs: map[int]string{0: "not managed"},
		},
		{
			name: "keywords past 100 bytes only warn",
			add:  func(testing.TB) map[string][]byte { return files("keyword/ja.txt", strings.Repeat("日", 40)) },
			want: []found{{"keyword/ja.txt", CodeKeywordBytes, W}},
		},
		{
			name: "keywords past 100 characters are an error",
			add:  func(testing.TB) map[string][]byte { return files("keyword/ja.txt", strings.Repeat("日", 101)) },
			want: []found{{"keyword/ja.txt", CodeTextTooLong, E}},
		},
		{
			name: "ASCII keywords of 100 characters do not warn about bytes",
			add: func(testing.TB) map[string][]byte {
				return files("keyword/en-US.txt", strings.Repeat("abcd,", 19)+"abcd")
			},
		},
		{
			name: "keywords on separate lines are an error with the comma form",
			add:  func(testing.TB) map[string][]byte { return files("keyword/en-US.txt", "fine\r\napp \n\ntools\n") },
			want: []found{{"keyword/en-US.txt", CodeKeywordSeparator, E}},
			msgs: map[int]string{0: `newlines; App Store Connect expects commas: write "fine,app,tools"`},
		},
		{
			name: "keywords separated by semicolons are an error with the comma form",
			add:  func(testing.TB) map[string][]byte { return files("keyword/de-DE.txt", "eins; zwei;drei,vier") },
			want: []found{{"keyword/de-DE.txt", CodeKeywordSeparator, E}},
			msgs: map[int]string{0: `semicolons; App Store Connect expects commas: write "eins,zwei,drei,vier"`},
		},
		{
			name: "quiet silences the warning codes it names",
			add: func(testing.TB) map[string][]byte {
				return files("keyword/ja.txt", strings.Repeat("日", 40), "keyword/en-US.txt", "a, b", "whatsNew/en-US.txt", " ")
			},
			opts: Options{Quiet: []string{CodeKeywordBytes, CodeTextEmpty}},
			want: []found{{"keyword/en-US.txt", CodeKeywordSpaces, W}},
		},
		{
			name: "quiet never silences an error",
			add: func(testing.TB) map[string][]byte {
				return files("keyword/ja.txt", strings.Repeat("日", 101), "keyword/en-US.txt", "a;b")
			},
			opts: Options{Quiet: []string{CodeTextTooLong, CodeKeywordSeparator, CodeKeywordBytes}},
			want: []found{{"keyword/en-US.txt", CodeKeywordSeparator, E}, {"keyword/ja.txt", CodeTextTooLong, E}},
		},
		{
			name: "spaces after commas",
			add:  func(testing.TB) map[string][]byte { return files("keyword/en-US.txt", "fine, app ,tools") },
			want: []found{{"keyword/en-US.txt", CodeKeywordSpaces, W}},
			msgs: map[int]string{0: `"fine,app,tools"`},
		},
		{
			name: "URLs",
			add: func(testing.TB) map[string][]byte {
				return files("supportUrl/en-US.txt", "example.com", "marketingUrl/en-US.txt", "ftp://example.com",
					"privacyPolicyUrl/en-US.txt", "https://", "supportUrl/de-DE.txt", "https://example.com/a b",
					"marketingUrl/de-DE.txt", "HTTP://Example.com/x?y=1")
			},
			want: []found{
				{"marketingUrl/en-US.txt", CodeURLInvalid, E}, {"privacyPolicyUrl/en-US.txt", CodeURLInvalid, E},
				{"supportUrl/de-DE.txt", CodeURLInvalid, E}, {"supportUrl/en-US.txt", CodeURLInvalid, E},
			},
			msgs: map[int]string{3: "https://example.com"},
		},
		{
			name: "unknown top-level folder and file",
			add: func(testing.TB) map[string][]byte {
				return files("descriptions/en-US.txt", "x", "README.md", "hi", "metadata/en-US/name.txt", "x")
			},
			want: []found{{"README.md", CodeLayoutUnknownFile, W}, {"descriptions", CodeLayoutUnknownFolder, E}, {"metadata", CodeLayoutUnknownFolder, E}},
			msgs: map[int]string{1: "did you mean description/?", 2: "import --format fastlane"},
		},
		{
			name: "a field that is a file, a folder inside a field, a non-text file",
			add: func(testing.TB) map[string][]byte {
				return files("subtitle", "x", "keyword/old/en-US.txt", "x", "keyword/notes.md", "x")
			},
			want: []found{{"keyword/notes.md", CodeLayoutUnknownFile, W}, {"keyword/old", CodeLayoutUnknownFolder, E}, {"subtitle", CodeLayoutNotAFolder, E}},
		},
		{
			name: "unknown locales with hints",
			add: func(tb testing.TB) map[string][]byte {
				return files("keyword/en-UK.txt", "a", "name/EN-us.txt", "ab", "subtitle/zh-CN.txt", "x",
					"screenshot/de-AT/APP_IPHONE_67/1.png", string(rgbPNG(tb, 1290, 2796)))
			},
			want: []found{{"keyword/en-UK.txt", CodeLocaleUnknown, E}, {"name/EN-us.txt", CodeLocaleUnknown, E},
				{"screenshot/de-AT", CodeLocaleUnknown, E}, {"subtitle/zh-CN.txt", CodeLocaleUnknown, E}},
			msgs: map[int]string{0: `did you mean "en-GB"?`, 1: `did you mean "en-US"?`, 2: `"de-DE"`, 3: `"zh-Hans"`},
		},
		{
			name: "extra locales and display types from the config",
			add: func(tb testing.TB) map[string][]byte {
				return files("name/xx-XX.txt", "Name", "screenshot/xx-XX/APP_IPHONE_99/1.png", string(rgbPNG(tb, 100, 200)))
			},
			opts: Options{Platform: IOS, ExtraLocales: []string{"xx-XX"}, ExtraDisplayTypes: []string{"APP_IPHONE_99"}},
		},
		{
			name: "unknown display and preview types with hints",
			add: func(tb testing.TB) map[string][]byte {
				return files("screenshot/en-US/IPHONE_67/1.png", string(rgbPNG(tb, 1290, 2796)),
					"preview/en-US/APP_IPHONE_65/1.mp4", string(mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920})),
					"screenshot/en-US/APP_IPHONE_6/1.png", string(rgbPNG(tb, 1290, 2796)))
			},
			want: []found{{"preview/en-US/APP_IPHONE_65", CodeDisplayTypeUnknown, E}, {"screenshot/en-US/APP_IPHONE_6", CodeDisplayTypeUnknown, E}, {"screenshot/en-US/IPHONE_67", CodeDisplayTypeUnknown, E}},
			msgs: map[int]string{0: "did you mean IPHONE_65?", 2: "did you mean APP_IPHONE_67?"},
		},
		{
			name: "display type of another platform",
			add: func(tb testing.TB) map[string][]byte {
				return files("screenshot/en-US/APP_DESKTOP/1.png", string(rgbPNG(tb, 1280, 800)))
			},
			opts: Options{Platform: IOS},
			want: []found{{"screenshot/en-US/APP_DESKTOP", CodeDisplayTypePlatform, E}},
			msgs: map[int]string{0: "APP_DESKTOP is for MAC_OS, but the app's platform is IOS"},
		},
		{
			name: "display type of another platform is fine when the platform is unknown",
			add: func(tb testing.TB) map[string][]byte {
				return files("screenshot/en-US/APP_DESKTOP/1.png", string(rgbPNG(tb, 1280, 800)))
			},
		},
		{
			name:   "APP_IPHONE_69 alone is APP_IPHONE_67",
			remove: []string{shot + "1.png"},
			add: func(tb testing.TB) map[string][]byte {
				return files("screenshot/en-US/APP_IPHONE_69/1.png", string(rgbPNG(tb, 1320, 2868)))
			},
		},
		{
			name: "APP_IPHONE_69 next to APP_IPHONE_67",
			add: func(tb testing.TB) map[string][]byte {
				return files("screenshot/en-US/APP_IPHONE_69/1.png", string(rgbPNG(tb, 1320, 2868)))
			},
			want: []found{{"screenshot/en-US/APP_IPHONE_67", CodeDisplayTypeAliasConflict, E}, {"screenshot/en-US/APP_IPHONE_69", CodeDisplayTypeAliasConflict, E}},
		},
		{
			name: "format must match the extension",
			add: func(tb testing.TB) map[string][]byte {
				return files(shot+"2.png", string(jpegImage(tb, 1290, 2796, false)), shot+"3.jpg", string(rgbPNG(tb, 1290, 2796)),
					shot+"4.png", "RIFF\x00\x00\x00\x00WEBPVP8 ", shot+"5.jpeg", "hello")
			},
			want: []found{{shot + "2.png", CodeImageFormatMismatch, E}, {shot + "3.jpg", CodeImageFormatMismatch, E}, {shot + "4.png", CodeImageFormatMismatch, E}, {shot + "5.jpeg", CodeImageFormatMismatch, E}},
			msgs: map[int]string{0: "a JPEG image named .png; rename it to .jpg", 1: "rename it to .png", 2: "WebP"},
		},
		{
			name: "truncated images",
			add: func(tb testing.TB) map[string][]byte {
				return files(shot+"2.png", string(truncate(rgbPNG(tb, 1290, 2796), 30)), shot+"3.jpg", string(truncate(jpegImage(tb, 1290, 2796, false), 2)),
					shot+"4.png", "", shot+"5.jpg", string(jpegImage(tb, 1290, 2796, false))+"\x00\x00\x00")
			},
			want: []found{{shot + "2.png", CodeImageTruncated, E}, {shot + "3.jpg", CodeImageTruncated, E}, {shot + "4.png", CodeImageTruncated, E}},
		},
		{
			name: "grayscale images",
			add: func(tb testing.TB) map[string][]byte {
				return files(shot+"2.png", string(rawPNG(tb, pngSpec{W: 1290, H: 2796, Type: ctGray})),
					shot+"3.png", string(rawPNG(tb, pngSpec{W: 1290, H: 2796, Type: ctGrayAlpha})),
					shot+"4.jpg", string(jpegImage(tb, 1290, 2796, true)))
			},
			want: []found{{shot + "2.png", CodeImageNotRGB, E}, {shot + "3.png", CodeImageNotRGB, E}, {shot + "4.jpg", CodeImageNotRGB, E}},
		},
		{
			name: "alpha: opaque RGBA and palette pass, transparent pixels fail",
			add: func(tb testing.TB) map[string][]byte {
				return files(shot+"2.png", string(rawPNG(tb, pngSpec{W: 1290, H: 2796, Type: ctRGBA})),
					shot+"3.png", string(rawPNG(tb, pngSpec{W: 1290, H: 2796, Type: ctRGBA, HasHole: true, Hole: image.Pt(700, 2000)})),
					shot+"4.png", string(palettePNG(tb, 1290, 2796, false)),
					shot+"5.png", string(palettePNG(tb, 1290, 2796, true)))
			},
			want: []found{{shot + "3.png", CodeImageTransparent, E}, {shot + "5.png", CodeImageTransparent, E}},
			msgs: map[int]string{0: "x=700, y=2000", 1: "x=1289, y=2795"},
		},
		{
			name: "dimensions",
			add: func(tb testing.TB) map[string][]byte {
				return files(shot+"2.png", string(rgbPNG(tb, 1290, 2795)), shot+"3.png", string(rgbPNG(tb, 2796, 1290)),
					"screenshot/en-US/APP_DESKTOP/1.png", string(rgbPNG(tb, 800, 1280)))
			},
			want: []found{{"screenshot/en-US/APP_DESKTOP/1.png", CodeImageBadDimensions, E}, {shot + "2.png", CodeImageBadDimensions, E}},
			msgs: map[int]string{0: "accepted: 1280×800, 1440×900", 1: "1290×2795 is not accepted for APP_IPHONE_67; accepted: 1260×2736, 1290×2796, 1320×2868"},
		},
		{
			name: "unsupported image formats",
			add: func(testing.TB) map[string][]byte {
				return files(shot+"2.gif", "GIF89a", shot+"3.HEIC", "x", shot+"notes.txt", "x")
			},
			want: []found{{shot + "2.gif", CodeImageUnsupportedFormat, E}, {shot + "3.HEIC", CodeImageUnsupportedFormat, E}, {shot + "notes.txt", CodeLayoutUnknownFile, W}},
		},
		{
			name: "upper-case extensions are fine",
			add: func(tb testing.TB) map[string][]byte {
				return files(shot+"2.PNG", string(rgbPNG(tb, 1290, 2796)), shot+"3.JPG", string(jpegImage(tb, 1290, 2796, false)))
			},
		},
		{
			name: "eleven screenshots",
			add: func(tb testing.TB) map[string][]byte {
				m := map[string][]byte{}
				for i := 2; i <= 11; i++ {
					m[shot+strings.Repeat("a", i)+".png"] = rgbPNG(tb, 1290, 2796)
				}
				return m
			},
			want: []found{{"screenshot/en-US/APP_IPHONE_67", CodeSetTooMany, E}},
		},
		{
			name: "empty type folders and the template's README.txt are silent (an unzipped template)",
			dirs: []string{"screenshot/en-US/APP_IPHONE_65", "preview/de-DE/IPAD_105"},
			add:  func(testing.TB) map[string][]byte { return files("README.txt", "How to fill it in") },
		},
		{
			name: "a type folder with files but no media is not managed",
			add: func(testing.TB) map[string][]byte {
				return files("screenshot/en-US/APP_IPHONE_65/notes.md", "x", "screenshot/README.txt", "x")
			},
			want: []found{{"screenshot/README.txt", CodeLayoutUnknownFile, W}, {"screenshot/en-US/APP_IPHONE_65", CodeSetEmpty, W}, {"screenshot/en-US/APP_IPHONE_65/notes.md", CodeLayoutUnknownFile, W}},
		},
		{
			name: "media outside a type folder, folders inside one",
			add: func(tb testing.TB) map[string][]byte {
				return files("screenshot/en-US/1.png", string(rgbPNG(tb, 1290, 2796)), shot+"old/1.png", string(rgbPNG(tb, 1290, 2796)), "screenshot/x.png", "x")
			},
			want: []found{{"screenshot/en-US/1.png", CodeLayoutUnknownFile, W}, {shot + "old", CodeLayoutUnknownFolder, E}, {"screenshot/x.png", CodeLayoutUnknownFile, W}},
			msgs: map[int]string{0: "screenshot/en-US/APP_IPHONE_67/"},
		},
		{
			name: "previews",
			add: func(testing.TB) map[string][]byte {
				p := "preview/en-US/IPHONE_67/"
				q := "preview/en-US/IPHONE_65/"
				return files(p+"2.mov", string(mp4File(mp4Spec{Seconds: 10, W: 886, H: 1920})),
					p+"3.m4v", string(mp4File(mp4Spec{Seconds: 30.5, W: 886, H: 1920, Version1: true})),
					q+"1.mp4", string(mp4File(mp4Spec{Seconds: 15, W: 1080, H: 1920})),
					q+"2.mp4", string(mp4File(mp4Spec{Seconds: 29.9, W: 1920, H: 886, Rotate90: true, MoovFirst: true})),
					q+"3.mp4", string(mp4File(mp4Spec{Seconds: 20, W: 1920, H: 886})),
					"preview/en-US/IPAD_105/1.mp4", string(pngMagic)+"not a video",
					"preview/en-US/IPAD_105/2.mp4", string(truncate(mp4File(mp4Spec{Seconds: 20, W: 1200, H: 1600, MdatBytes: 100}), 10)),
					"preview/en-US/IPAD_105/3.mp4", string(mp4File(mp4Spec{Seconds: 20, W: 1200, H: 1600, Handler: "soun"})),
					"preview/en-US/IPAD_105/4.avi", "RIFF")
			},
			want: []found{
				{"preview/en-US/IPAD_105/1.mp4", CodePreviewUnreadable, E},
				{"preview/en-US/IPAD_105/2.mp4", CodePreviewUnreadable, E},
				{"preview/en-US/IPAD_105/3.mp4", CodePreviewUnreadable, E},
				{"preview/en-US/IPAD_105/4.avi", CodePreviewUnsupportedFormat, E},
				{"preview/en-US/IPHONE_65/1.mp4", CodePreviewBadResolution, E},
				{"preview/en-US/IPHONE_67/2.mov", CodePreviewDuration, E},
				{"preview/en-US/IPHONE_67/3.m4v", CodePreviewDuration, E},
			},
			msgs: map[int]string{1: "incomplete", 2: "no video track", 4: "1080×1920 is not accepted for IPHONE_65; accepted: 886×1920", 5: "10.00 s long; a preview must last 15–30 s"},
		},
		{
			name: "four previews",
			add: func(testing.TB) map[string][]byte {
				v := string(mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920}))
				return files("preview/en-US/IPHONE_67/2.mp4", v, "preview/en-US/IPHONE_67/3.mp4", v, "preview/en-US/IPHONE_67/4.mp4", v)
			},
			want: []found{{"preview/en-US/IPHONE_67", CodeSetTooMany, E}},
		},
		{
			name: "litter is ignored everywhere, and does not count",
			add: func(tb testing.TB) map[string][]byte {
				m := map[string][]byte{}
				for i := 2; i <= 10; i++ {
					m[shot+strings.Repeat("b", i)+".png"] = rgbPNG(tb, 1290, 2796)
				}
				for _, dir := range []string{"", "description/", "screenshot/", "screenshot/en-US/", shot, "preview/en-US/IPHONE_67/"} {
					for _, name := range []string{".DS_Store", "._1.png", "Icon\r", ".1.png.swp", "4913", "1.png~", "1.png___jb_tmp___",
						"1.png___jb_old___", ".sb-1a2b3c", "x.sb-1a2b-XyZ", "~$doc.docx", "#en-US.txt#", ".#en-US.txt", ".goutputstream-ABC12", "x.tmp"} {
						m[dir+name] = []byte("litter")
					}
				}
				m[".storesyncer/checksums.json"] = []byte("{}")
				m[".git/HEAD"] = []byte("ref")
				return m
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			base := baseCollection(t)
			for _, r := range tt.remove {
				delete(base, r)
			}
			writeFiles(t, dir, base)
			if tt.add != nil {
				writeFiles(t, dir, tt.add(t))
			}
			mkdirs(t, dir, tt.dirs...)
			got, err := Validate(dir, tt.opts)
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if got == nil {
				t.Errorf("Validate returned nil problems; want an empty slice")
			}
			if diff := cmp.Diff(tt.want, project(got), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("problems (-want +got):\n%s\nall: %v", diff, got)
			}
			for i, sub := range tt.msgs {
				if !strings.Contains(got[i].Message, sub) {
					t.Errorf("problem %d message %q does not contain %q", i, got[i].Message, sub)
				}
			}
		})
	}
}

// files turns path, content pairs into a file map.
func files(pairs ...string) map[string][]byte {
	m := map[string][]byte{}
	for i := 0; i < len(pairs); i += 2 {
		m[pairs[i]] = []byte(pairs[i+1])
	}
	return m
}

func TestValidateHugePreviewIsNotReadWhole(t *testing.T) {
	dir := t.TempDir()
	// A 501 MiB sparse file whose mdat runs to the end: probing reads a few boxes only.
	head := mp4File(mp4Spec{Seconds: 20, W: 886, H: 1920, MoovFirst: true})
	size := int64(501 << 20)
	mdat := mp4Box("mdat")
	mdat[0], mdat[1], mdat[2], mdat[3] = byte((size-int64(len(head)))>>24), byte((size-int64(len(head)))>>16), byte((size-int64(len(head)))>>8), byte(size-int64(len(head)))
	p := filepath.Join(dir, "preview", "en-US", "IPHONE_67", "1.mp4")
	writeFile(t, dir, "preview/en-US/IPHONE_67/1.mp4", append(head[:len(head)-8], mdat...))
	if err := os.Truncate(p, size); err != nil {
		t.Fatal(err)
	}
	got, err := Validate(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []found{{"preview/en-US/IPHONE_67/1.mp4", CodePreviewTooLarge, SeverityError}}
	if diff := cmp.Diff(want, project(got)); diff != "" {
		t.Errorf("problems (-want +got):\n%s\n%v", diff, got)
	}
}

func TestValidateErrors(t *testing.T) {
	if _, err := Validate(filepath.Join(t.TempDir(), "missing"), Options{}); err == nil {
		t.Error("Validate of a missing folder: no error")
	}
	if _, err := Validate(t.TempDir(), Options{Platform: "IPHONE"}); err == nil || !strings.Contains(err.Error(), `unknown platform "IPHONE"`) {
		t.Errorf("Validate with a bad platform: %v", err)
	}
	got, err := Validate(t.TempDir(), Options{})
	if err != nil || len(got) != 0 {
		t.Errorf("empty collection: %v, %v; want no problems (a partial collection is valid)", got, err)
	}
}

func TestValidateHugeAlphaImageIsNotDecoded(t *testing.T) {
	dir := t.TempDir()
	// An RGBA header claiming 100000×100000 pixels over a few bytes of data: decoding it
	// would try to allocate 40 GB.
	var b bytes.Buffer
	b.Write(pngMagic)
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, 100000)
	binary.BigEndian.PutUint32(ihdr[4:], 100000)
	ihdr[8], ihdr[9] = 8, ctRGBA
	writeChunk(&b, "IHDR", ihdr)
	writeChunk(&b, "IDAT", []byte{0x78, 0x01})
	writeChunk(&b, "IEND", nil)
	rel := "screenshot/en-US/APP_IPHONE_67/1.png"
	writeFile(t, dir, rel, b.Bytes())
	got, err := Validate(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []found{{rel, CodeImageBadDimensions, SeverityError}}
	if diff := cmp.Diff(want, project(got)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestValidateUnreadableFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, baseCollection(t))
	// Broken symbolic links stand in for files that cannot be read (tests may run as root,
	// which reads through any permission bits); they have a code of their own.
	for _, rel := range []string{"name/de-DE.txt", "screenshot/en-US/APP_IPHONE_67/2.png", "preview/en-US/IPHONE_67/2.mp4"} {
		if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
			t.Skipf("symlinks: %v", err)
		}
	}
	got, err := Validate(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []found{
		{"name/de-DE.txt", CodeLinkDangling, SeverityError},
		{"preview/en-US/IPHONE_67/2.mp4", CodeLinkDangling, SeverityError},
		{"screenshot/en-US/APP_IPHONE_67/2.png", CodeLinkDangling, SeverityError},
	}
	if diff := cmp.Diff(want, project(got)); diff != "" {
		t.Errorf("problems (-want +got):\n%s\n%v", diff, got)
	}
	for _, p := range got {
		if strings.Contains(p.Message, dir) {
			t.Errorf("message %q repeats the absolute path; problems name the relative one", p.Message)
		}
	}
}
