package main

import (
	"archive/zip"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTemplateCommand(t *testing.T) {
	tests := []struct {
		name       string
		args       []string // after "template"; OUT is replaced by the output path
		wantExit   int
		wantOut    string // substring of stdout
		wantErr    string // substring of stderr
		wantFolder string // a folder the ZIP must hold
	}{
		{name: "default", args: []string{"-o", "OUT"}, wantOut: "wrote", wantFolder: "screenshot/en-US/APP_IPAD_PRO_3GEN_129/"},
		{name: "choices", args: []string{"-o", "OUT", "--locales", "de-DE,fr-FR", "--screenshots", "APP_IPHONE_65", "--previews", "IPHONE_65"}, wantFolder: "preview/fr-FR/IPHONE_65/"},
		{name: "platform in lower case", args: []string{"-o", "OUT", "--platform", "mac_os"}, wantFolder: "screenshot/en-US/APP_DESKTOP/"},
		{name: "unknown locale", args: []string{"-o", "OUT", "--locales", "en-UK"}, wantExit: exitUsage, wantErr: "did you mean en-GB?"},
		{name: "type of another platform", args: []string{"-o", "OUT", "--screenshots", "APP_APPLE_TV"}, wantExit: exitUsage, wantErr: "not available on IOS"},
		{name: "not a zip", args: []string{"-o", "OUT.txt"}, wantExit: exitUsage, wantErr: "is a .zip"},
		{name: "no output", args: []string{}, wantExit: exitUsage, wantErr: "required flag"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "t.zip")
			args := []string{"template"}
			for _, a := range tc.args {
				args = append(args, strings.Replace(a, "OUT", out, 1))
			}
			exit, stdout, stderr := runValidateCLI(t, args...)
			if exit != tc.wantExit {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", exit, tc.wantExit, stdout, stderr)
			}
			if !strings.Contains(stdout, tc.wantOut) || !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("stdout %q, stderr %q; want %q and %q", stdout, stderr, tc.wantOut, tc.wantErr)
			}
			if tc.wantFolder == "" {
				return
			}
			zr, err := zip.OpenReader(out)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			found := false
			for _, f := range zr.File {
				found = found || f.Name == tc.wantFolder
			}
			if !found {
				t.Errorf("%s has no %s", out, tc.wantFolder)
			}
		})
	}
}

func TestTemplateCommandJSON(t *testing.T) {
	out := filepath.Join(t.TempDir(), "t.zip")
	exit, stdout, stderr := runValidateCLI(t, "template", "--json", "-o", out, "--locales", "ja")
	if exit != 0 {
		t.Fatalf("exit %d: %s", exit, stderr)
	}
	var got templateOutput
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v in %q", err, stdout)
	}
	want := templateOutput{Path: out, Platform: "IOS", Locales: []string{"ja"}, Screenshots: []string{"APP_IPHONE_67", "APP_IPAD_PRO_3GEN_129"}, Previews: []string{}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
