package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// importZip writes a ZIP of files (slash path → content) and returns its path.
func importZip(tb testing.TB, files map[string][]byte) string {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	p := filepath.Join(tb.TempDir(), "src.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestImportCommand(t *testing.T) {
	shot := validatePNG(t, 1290, 2796)
	tests := []struct {
		name     string
		files    map[string][]byte
		args     []string // after "import SRC --into DST"
		wantExit int
		wantOut  []string // substrings of stdout
		wantErr  string   // a substring of stderr
		wantFile string   // a file that must exist in the collection afterwards
		noFile   string   // a file that must not
	}{
		{
			name:     "template",
			files:    map[string][]byte{"keyword/en-US.txt": []byte("a,b"), "screenshot/en-US/APP_IPHONE_67/1.png": shot, "description/en-US.txt": []byte("")},
			wantOut:  []string{"imported template", "1 text, 1 set (1 image, 0 videos); 1 empty skipped", "warning: description/en-US.txt: empty"},
			wantFile: "screenshot/en-US/APP_IPHONE_67/1.png",
		},
		{
			name:     "fastlane, text only",
			files:    map[string][]byte{"metadata/en-US/keywords.txt": []byte("a,b"), "metadata/copyright.txt": []byte("x"), "screenshots/en-US/1.png": shot},
			args:     []string{"--only", "text"},
			wantOut:  []string{"imported fastlane", "warning: metadata/copyright.txt"},
			wantFile: "keyword/en-US.txt",
			noFile:   "screenshot",
		},
		{
			name:     "validation errors exit 3 after importing",
			files:    map[string][]byte{"name/en-US.txt": []byte(strings.Repeat("x", 31))},
			wantExit: exitValidation,
			wantOut:  []string{"name/en-US.txt: error: "},
			wantFile: "name/en-US.txt",
		},
		{
			name:     "hostile zip",
			files:    map[string][]byte{"../evil.txt": []byte("x")},
			wantExit: exitFailure,
			noFile:   "keyword",
		},
		{
			name:     "ambiguous fastlane screenshot",
			files:    map[string][]byte{"screenshots/en-US/ipad.png": validatePNG(t, 2048, 2732)},
			wantExit: exitFailure,
			noFile:   "screenshot",
		},
		{
			name:     "a partial import imports the rest, names what it left out with the fix and exits 3",
			files:    map[string][]byte{"screenshots/en-US/ipad.png": validatePNG(t, 2048, 2732), "screenshots/en-US/phone.png": shot, "metadata/en-US/name.txt": []byte("App")},
			wantExit: exitValidation,
			wantOut: []string{"1 text, 1 set (1 image, 0 videos)",
				`not imported: screenshots/en-US/ipad.png: 2048×2732 fits APP_IPAD_PRO_3GEN_129 and APP_IPAD_PRO_129; put the display type in the name: rename it to "ipad_APP_IPAD_PRO_3GEN_129.png" for APP_IPAD_PRO_3GEN_129, or "ipad_APP_IPAD_PRO_129.png" for APP_IPAD_PRO_129`},
			wantErr:  "1 file(s) or folder(s) not imported",
			wantFile: "screenshot/en-US/APP_IPHONE_67/phone.png",
		},
		{
			name:     "--format fastlane on a template ZIP is a usage error, not 0 texts",
			files:    map[string][]byte{"README.txt": []byte("x"), "keyword/en-US.txt": []byte("a,b")},
			args:     []string{"--format", "fastlane"},
			wantExit: exitUsage,
			wantErr:  "the source is in the template layout (it has keyword/); leave out --format or use --format template",
			noFile:   "keyword",
		},
		{
			name:     "a source with nothing to import exits 1 and says what it looked for",
			files:    map[string][]byte{"notes/readme.md": []byte("x")},
			wantExit: exitFailure,
			wantErr:  "nothing to import: looked for text files in the template layout",
		},
		{
			name:     "platform folders of two platforms ask for --platform",
			files:    map[string][]byte{"metadata/ios/en-US/name.txt": []byte("A"), "metadata/macos/en-US/name.txt": []byte("B")},
			wantExit: exitUsage,
			wantErr:  "choose one with --platform IOS or --platform MAC_OS",
		},
		{
			name:     "platform folders: --platform chooses",
			files:    map[string][]byte{"metadata/ios/en-US/name.txt": []byte("A"), "metadata/macos/en-US/name.txt": []byte("Mac")},
			args:     []string{"--platform", "mac_os"},
			wantOut:  []string{"warning: metadata/ios/: for IOS, not MAC_OS; skipped"},
			wantFile: "name/en-US.txt",
		},
		{name: "bad --only", files: map[string][]byte{}, args: []string{"--only", "texts"}, wantExit: exitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := importZip(t, tc.files)
			dst := filepath.Join(t.TempDir(), "main")
			os.MkdirAll(filepath.Join(dst, "keyword"), 0o755)
			exit, stdout, stderr := runValidateCLI(t, append([]string{"import", src, "--into", dst}, tc.args...)...)
			if exit != tc.wantExit {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", exit, tc.wantExit, stdout, stderr)
			}
			for _, s := range tc.wantOut {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			if !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tc.wantErr, stderr)
			}
			if tc.wantFile != "" {
				if _, err := os.Stat(filepath.Join(dst, tc.wantFile)); err != nil {
					t.Errorf("collection lacks %s: %v", tc.wantFile, err)
				}
			}
			if tc.noFile != "" {
				if entries, _ := os.ReadDir(filepath.Join(dst, tc.noFile)); len(entries) > 0 {
					t.Errorf("collection has %s/%s", tc.noFile, entries[0].Name())
				}
			}
		})
	}
}

func TestImportCommandJSON(t *testing.T) {
	src := importZip(t, map[string][]byte{"../evil.txt": []byte("x")})
	dst := filepath.Join(t.TempDir(), "main")
	exit, stdout, _ := runValidateCLI(t, "import", "--json", src, "--into", dst)
	if exit != exitFailure {
		t.Fatalf("exit %d", exit)
	}
	var got struct {
		Error struct{ Code, Message, Path string } `json:"error"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v in %q", err, stdout)
	}
	if got.Error.Code != "import.unsafe" || !strings.Contains(got.Error.Message, `"../evil.txt"`) {
		t.Errorf("error %+v", got.Error)
	}

	src = importZip(t, map[string][]byte{"keyword/en-US.txt": []byte("a,b")})
	exit, stdout, stderr := runValidateCLI(t, "import", "--json", src, "--into", dst)
	if exit != 0 {
		t.Fatalf("exit %d: %s %s", exit, stdout, stderr)
	}
	var ok importOutput
	if err := json.Unmarshal([]byte(stdout), &ok); err != nil {
		t.Fatalf("%v in %q", err, stdout)
	}
	if ok.Imported.Texts != 1 || ok.Problems == nil {
		t.Errorf("output %+v", ok)
	}
}

func TestImportCommandReadsPlatformFromAppFile(t *testing.T) {
	app := t.TempDir()
	os.WriteFile(filepath.Join(app, "app.toml"), []byte("bundle_id = \"com.example.tv\"\nplatform = \"TV_OS\"\n"), 0o644)
	src := importZip(t, map[string][]byte{"screenshots/en-US/tv.png": validatePNG(t, 3840, 2160)})
	dst := filepath.Join(app, "main")
	exit, stdout, stderr := runValidateCLI(t, "import", src, "--into", dst)
	if exit != 0 {
		t.Fatalf("exit %d: %s %s", exit, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dst, "screenshot/en-US/APP_APPLE_TV/tv.png")); err != nil {
		t.Errorf("3840x2160 on TV_OS not imported as APP_APPLE_TV: %v", err)
	}
}
