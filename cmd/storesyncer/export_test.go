package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportCommand(t *testing.T) {
	col := filepath.Join(t.TempDir(), "main")
	validateWriteFiles(t, col, map[string][]byte{
		"keyword/en-US.txt":                     []byte("a,b"),
		"screenshot/en-US/APP_IPHONE_67/01.png": validatePNG(t, 1290, 2796),
		"preview/en-US/IPHONE_67/1.mp4":         []byte("video"),
	})
	tests := []struct {
		name     string
		args     []string // after "export --collection COL"; OUT is replaced
		out      string
		wantExit int
		wantOut  string
		check    string // a file that must exist under OUT (folder outputs)
	}{
		{name: "zip", args: []string{"-o", "OUT"}, out: "x.zip", wantOut: "1 text, 2 sets (1 image, 1 video)"},
		{name: "fastlane folder", args: []string{"-o", "OUT", "--format", "fastlane"}, out: "fl", wantOut: "warning: preview/en-US/IPHONE_67/", check: "screenshots/en-US/01_APP_IPHONE_67_01.png"},
		{name: "text only", args: []string{"-o", "OUT", "--only", "text"}, out: "t", check: "keyword/en-US.txt"},
		{name: "bad format", args: []string{"-o", "OUT", "--format", "deliver"}, out: "x.zip", wantExit: exitUsage},
		{name: "missing collection", args: []string{"-o", "OUT", "--collection", "/does/not/exist"}, out: "x.zip", wantExit: exitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), tc.out)
			args := []string{"export", "--collection", col}
			for _, a := range tc.args {
				args = append(args, strings.Replace(a, "OUT", out, 1))
			}
			exit, stdout, stderr := runValidateCLI(t, args...)
			if exit != tc.wantExit {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", exit, tc.wantExit, stdout, stderr)
			}
			if !strings.Contains(stdout, tc.wantOut) {
				t.Errorf("stdout %q lacks %q", stdout, tc.wantOut)
			}
			if tc.check != "" {
				if _, err := os.Stat(filepath.Join(out, tc.check)); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestExportCommandToStdoutIsDeterministic(t *testing.T) {
	col := filepath.Join(t.TempDir(), "main")
	validateWriteFiles(t, col, map[string][]byte{"keyword/en-US.txt": []byte("a,b"), "name/en-US.txt": []byte("App")})
	_, first, _ := runValidateCLI(t, "export", "--collection", col, "-o", "-")
	_, second, _ := runValidateCLI(t, "export", "--collection", col, "-o", "-")
	if len(first) == 0 || !bytes.Equal([]byte(first), []byte(second)) || !strings.HasPrefix(first, "PK") {
		t.Errorf("exports differ or are not ZIPs (%d and %d bytes)", len(first), len(second))
	}
}
