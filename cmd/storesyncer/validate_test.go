package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// validateWriteFiles writes files (slash paths → content) under dir.
func validateWriteFiles(tb testing.TB, dir string, files map[string][]byte) {
	tb.Helper()
	for rel, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// validatePNG is an opaque palette PNG of w×h.
func validatePNG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	m := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White})
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func runValidateCLI(tb testing.TB, args ...string) (exit int, stdout, stderr string) {
	tb.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return exitCode(err), out.String(), errb.String()
}

func TestValidateCommand(t *testing.T) {
	shot := validatePNG(t, 1290, 2796)
	tests := []struct {
		name       string
		files      map[string][]byte
		args       []string // after "validate DIR"
		appTOML    string
		wantExit   int
		wantStdout string
	}{
		{
			name:       "clean",
			files:      map[string][]byte{"keyword/en-US.txt": []byte("a,b"), "name/en-US.txt": []byte("Fine"), "screenshot/en-US/APP_IPHONE_67/1.png": shot},
			wantExit:   0,
			wantStdout: "ok: 1 locale, 2 texts, 1 screenshot, 0 previews\n",
		},
		{
			name:     "warnings only exit 0",
			files:    map[string][]byte{"keyword/en-US.txt": []byte("a, b"), "README.md": []byte("hi")},
			wantExit: 0,
			wantStdout: "README.md: warning: layout.unknown_file: not part of the template layout; it is never uploaded\n" +
				"keyword/en-US.txt: warning: keyword.spaces: white space around commas costs characters; write \"a,b\"\n" +
				"ok: 1 locale, 1 text, 0 screenshots, 0 previews (2 warnings)\n",
		},
		{
			name:     "errors exit 3",
			files:    map[string][]byte{"keyword/en-UK.txt": []byte("a"), "whatsNew/en-US.txt": []byte(" ")},
			wantExit: exitValidation,
			wantStdout: "keyword/en-UK.txt: error: locale.unknown: unknown locale \"en-UK\"; did you mean \"en-GB\"?\n" +
				"whatsNew/en-US.txt: warning: text.empty: empty: whatsNew is not managed for en-US, StoreSyncer leaves it alone on App Store Connect\n" +
				"1 error, 1 warning\n",
		},
		{
			name:     "platform flag",
			files:    map[string][]byte{"screenshot/en-US/APP_IPHONE_67/1.png": shot},
			args:     []string{"--platform", "mac_os"},
			wantExit: exitValidation,
			wantStdout: "screenshot/en-US/APP_IPHONE_67: error: display_type.platform: APP_IPHONE_67 is for IOS, but the app's platform is MAC_OS\n" +
				"1 error\n",
		},
		{
			name:     "platform from app.toml",
			files:    map[string][]byte{"screenshot/en-US/APP_IPHONE_67/1.png": shot},
			appTOML:  "bundle_id = \"com.example.app\"\nplatform = \"TV_OS\"\nactive = \"main\"\n",
			wantExit: exitValidation,
			wantStdout: "screenshot/en-US/APP_IPHONE_67: error: display_type.platform: APP_IPHONE_67 is for IOS, but the app's platform is TV_OS\n" +
				"1 error\n",
		},
		{
			name:       "flag beats app.toml",
			files:      map[string][]byte{"screenshot/en-US/APP_IPHONE_67/1.png": shot},
			appTOML:    "platform = \"TV_OS\"\n",
			args:       []string{"--platform", "IOS"},
			wantStdout: "ok: 1 locale, 0 texts, 1 screenshot, 0 previews\n",
		},
		{
			name:     "bad platform is a usage error",
			args:     []string{"--platform", "ANDROID"},
			wantExit: exitUsage,
		},
		{
			name:     "broken app.toml is a config error",
			appTOML:  "platform = \n",
			wantExit: exitUsage,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "main")
			os.MkdirAll(dir, 0o755)
			validateWriteFiles(t, dir, tt.files)
			if tt.appTOML != "" {
				validateWriteFiles(t, root, map[string][]byte{"app.toml": []byte(tt.appTOML)})
			}
			exit, stdout, stderr := runValidateCLI(t, append([]string{"validate", dir}, tt.args...)...)
			if exit != tt.wantExit {
				t.Fatalf("exit = %d, want %d\nstdout: %s\nstderr: %s", exit, tt.wantExit, stdout, stderr)
			}
			if tt.wantStdout != "" {
				if diff := cmp.Diff(tt.wantStdout, stdout); diff != "" {
					t.Errorf("stdout (-want +got):\n%s", diff)
				}
			}
			if exit == exitValidation && stderr != "" {
				t.Errorf("stderr = %q; validation problems go to stdout only", stderr)
			}
			if exit == exitUsage && stderr == "" {
				t.Errorf("usage error printed nothing on stderr")
			}
		})
	}
}

func TestValidateCommandJSON(t *testing.T) {
	root := t.TempDir()
	validateWriteFiles(t, root, map[string][]byte{"keyword/en-UK.txt": []byte("a"), "name/en-US.txt": []byte("Fine")})
	exit, stdout, _ := runValidateCLI(t, "validate", root, "--json")
	if exit != exitValidation {
		t.Fatalf("exit = %d, want %d", exit, exitValidation)
	}
	var got struct {
		Problems []map[string]string `json:"problems"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, stdout)
	}
	want := []map[string]string{{"path": "keyword/en-UK.txt", "code": "locale.unknown", "severity": "error", "message": `unknown locale "en-UK"; did you mean "en-GB"?`}}
	if diff := cmp.Diff(want, got.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}

	// A clean collection prints an empty array, not null.
	clean := t.TempDir()
	exit, stdout, _ = runValidateCLI(t, "--json", "validate", clean)
	if exit != 0 || strings.TrimSpace(stdout) != `{
  "problems": []
}` {
		t.Errorf("clean --json: exit %d, stdout %q", exit, stdout)
	}

	// A missing folder is a usage error, reported as {"error":{…}}.
	exit, stdout, _ = runValidateCLI(t, "validate", filepath.Join(root, "nope"), "--json")
	var e struct {
		Error struct{ Code, Message, Path string } `json:"error"`
	}
	if exit != exitUsage || json.Unmarshal([]byte(stdout), &e) != nil || e.Error.Code != "usage" || !strings.Contains(e.Error.Message, "does not exist") {
		t.Errorf("missing folder: exit %d, stdout %q", exit, stdout)
	}
}

func TestValidateCommandDefaultDir(t *testing.T) {
	dir := t.TempDir()
	validateWriteFiles(t, dir, map[string][]byte{"descriptions/en-US.txt": []byte("x")})
	t.Chdir(dir)
	exit, stdout, _ := runValidateCLI(t, "validate")
	if exit != exitValidation || !strings.HasPrefix(stdout, "descriptions: error: layout.unknown_folder: ") || !strings.Contains(stdout, "did you mean description/?") {
		t.Errorf("exit %d, stdout %q", exit, stdout)
	}
}
