package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCreateFromMissingZipLeavesNothing: a failed create leaves no folder, so the retry works.
func TestCreateFromMissingZipLeavesNothing(t *testing.T) {
	e := newSyncEnv(t).added()
	nope := filepath.Join(t.TempDir(), "nope.zip")
	exit, _, errOut := e.run("collections", "create", "z2", "--from", "zip", nope)
	if exit == 0 {
		t.Fatalf("create from a missing zip: exit 0")
	}
	if _, err := os.Stat(e.path("z2", "")); !os.IsNotExist(err) {
		t.Errorf("a failed create left %s behind (%v); stderr %s", e.path("z2", ""), err, errOut)
	}
	exit, _, errOut = e.run("collections", "create", "z2", "--from", "zip", nope)
	if strings.Contains(errOut, "already exists") {
		t.Errorf("retry: exit %d, %s", exit, errOut)
	}

	// A new collection is whole or absent: a screenshot the import cannot place fails it.
	partial := importZip(t, map[string][]byte{"metadata/en-US/name.txt": []byte("App"), "screenshots/en-US/ipad.png": validatePNG(t, 2048, 2732)})
	exit, _, errOut = e.run("collections", "create", "z3", "--from", "zip", partial)
	if exit != exitFailure || !strings.Contains(errOut, `screenshots/en-US/ipad.png: 2048×2732 fits`) {
		t.Errorf("create from a partly importable zip: exit %d, %s; want 1 naming the file", exit, errOut)
	}
	if _, err := os.Stat(e.path("z3", "")); !os.IsNotExist(err) {
		t.Errorf("a refused create left %s behind", e.path("z3", ""))
	}
}

// offlineApp writes a config and a workspace with one app (no App Store Connect needed), whose
// collections main and christmas each hold a keyword file, and returns the config path and
// the app's folder.
func offlineApp(tb testing.TB) (cfg, appDir string) {
	tb.Helper()
	dir := tb.TempDir()
	ws := filepath.Join(dir, "workspace")
	appDir = filepath.Join(ws, "com.example.offline")
	files := map[string]string{
		"config.toml":                                               "workspace = " + strconv.Quote(ws) + "\n[daemon]\nstate_dir = " + strconv.Quote(filepath.Join(dir, "state")) + "\n",
		"workspace/com.example.offline/app.toml":                    "bundle_id = \"com.example.offline\"\nplatform = \"IOS\"\nactive = \"christmas\"\n",
		"workspace/com.example.offline/main/keyword/en-US.txt":      "app,main",
		"workspace/com.example.offline/christmas/keyword/en-US.txt": "app,christmas",
	}
	for rel, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return filepath.Join(dir, "config.toml"), appDir
}

// zipNames lists the entries of a ZIP file with their contents.
func zipEntries(tb testing.TB, p string) map[string]string {
	tb.Helper()
	zr, err := zip.OpenReader(p)
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
	}
	return out
}

// TestCollectionArgBareNameIsTheAppsCollection: in a folder holding ./main, a bare
// --collection main is the app's collection main and ./main the folder; without the flag,
// export and import use the active collection; a bare name without an app is refused with
// the spelling that means the folder.
func TestCollectionArgBareNameIsTheAppsCollection(t *testing.T) {
	cfg, appDir := offlineApp(t)
	work := t.TempDir()
	t.Chdir(work)
	if err := os.MkdirAll("main/keyword", 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile("main/keyword/en-US.txt", []byte("local,folder"), 0o644)
	t.Setenv("STORESYNCER_CONFIG", cfg)

	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--collection", "main"}, "app,main"},
		{[]string{"--collection", "./main"}, "local,folder"},
		{nil, "app,christmas"}, // the active collection
	}
	for i, c := range cases {
		out := filepath.Join(t.TempDir(), fmt.Sprintf("out%d.zip", i))
		exit, stdout, stderr := runValidateCLI(t, append(append([]string{"export"}, c.args...), "-o", out, "--only", "text")...)
		if exit != 0 {
			t.Fatalf("export %v: exit %d\n%s%s", c.args, exit, stdout, stderr)
		}
		if got := zipEntries(t, out)["keyword/en-US.txt"]; got != c.want {
			t.Errorf("export %v exported %q, want %q", c.args, got, c.want)
		}
	}

	src := importZip(t, map[string][]byte{"name/en-US.txt": []byte("Imported")})
	if exit, stdout, stderr := runValidateCLI(t, "import", src); exit != 0 {
		t.Fatalf("import without --into: exit %d\n%s%s", exit, stdout, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(appDir, "christmas", "name", "en-US.txt")); err != nil || string(b) != "Imported" {
		t.Errorf("import without --into did not go into the active collection: %q, %v", b, err)
	}

	exit, _, stderr := runValidateCLI(t, "export", "--collection", "nosuch", "-o", filepath.Join(t.TempDir(), "x.zip"))
	if exit != exitUsage || !strings.Contains(stderr, "com.example.offline has no collection nosuch") {
		t.Errorf("missing collection: exit %d, %s", exit, stderr)
	}
	exit, _, stderr = runValidateCLI(t, "export", "--collection", "Main", "-o", filepath.Join(t.TempDir(), "x.zip"))
	if exit != exitUsage || !strings.Contains(stderr, "a folder needs ./ or a slash (./Main)") {
		t.Errorf("bad collection name: exit %d, %s", exit, stderr)
	}

	t.Setenv("STORESYNCER_CONFIG", filepath.Join(work, "absent.toml"))
	exit, _, stderr = runValidateCLI(t, "export", "--collection", "main", "-o", filepath.Join(t.TempDir(), "x.zip"))
	if exit != exitUsage || !strings.Contains(stderr, "for the folder, write --collection ./main") {
		t.Errorf("bare name without a config: exit %d, %s", exit, stderr)
	}
}

// TestValidateWithoutDirChecksTheActiveCollection: in an app's context, validate with no
// folder checks the active collection, or the collection the current folder is.
func TestValidateWithoutDirChecksTheActiveCollection(t *testing.T) {
	cfg, appDir := offlineApp(t)
	os.MkdirAll(filepath.Join(appDir, "christmas", "name"), 0o755)
	os.WriteFile(filepath.Join(appDir, "christmas", "name", "en-US.txt"), []byte(strings.Repeat("x", 31)), 0o644)
	t.Setenv("STORESYNCER_CONFIG", cfg)
	t.Chdir(t.TempDir())
	exit, stdout, _ := runValidateCLI(t, "validate")
	if exit != exitValidation || !strings.Contains(stdout, "name/en-US.txt: error: text.too_long") {
		t.Errorf("validate outside the workspace: exit %d\n%s; want the active collection's error", exit, stdout)
	}
	t.Chdir(filepath.Join(appDir, "main"))
	if exit, stdout, _ := runValidateCLI(t, "validate"); exit != 0 || !strings.Contains(stdout, "ok: 1 locale, 1 text") {
		t.Errorf("validate inside collection main: exit %d\n%s; want main checked", exit, stdout)
	}
}

// TestUnzippedTemplateIsClean follows the README: a template unzipped into a folder validates
// without warnings, and exporting it neither warns about nor copies the template's README.txt.
func TestUnzippedTemplateIsClean(t *testing.T) {
	t.Setenv("STORESYNCER_CONFIG", filepath.Join(t.TempDir(), "absent.toml"))
	dir := t.TempDir()
	tpl := filepath.Join(dir, "new.zip")
	if exit, _, stderr := runValidateCLI(t, "template", "-o", tpl, "--locales", "en-US,de-DE"); exit != 0 {
		t.Fatalf("template: exit %d %s", exit, stderr)
	}
	col := filepath.Join(dir, "main")
	zr, err := zip.OpenReader(tpl)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File { // unzip new.zip -d main
		p := filepath.Join(col, filepath.FromSlash(f.Name))
		if strings.HasSuffix(f.Name, "/") {
			os.MkdirAll(p, 0o755)
			continue
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		os.WriteFile(p, b, 0o644)
	}
	zr.Close()
	os.WriteFile(filepath.Join(col, "keyword", "de-DE.txt"), []byte("eins,zwei"), 0o644)
	exit, stdout, _ := runValidateCLI(t, "validate", col)
	if exit != 0 || strings.Contains(stdout, "warning") {
		t.Errorf("validate of an unzipped template: exit %d\n%s; want no warnings", exit, stdout)
	}
	out := filepath.Join(dir, "out")
	exit, stdout, stderr := runValidateCLI(t, "export", "--collection", col, "-o", out)
	if exit != 0 || strings.Contains(stdout, "README") {
		t.Errorf("export: exit %d\n%s%s; want no word about README.txt", exit, stdout, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(out, "README.txt")); err == nil && strings.Contains(string(b), "Languages in this template: de-DE, en-US") {
		t.Errorf("export copied the template's README.txt")
	}
	// A template ZIP carries its own README.txt, written for what it holds (de-DE only).
	outZip := filepath.Join(dir, "out.zip")
	if exit, stdout, stderr := runValidateCLI(t, "export", "--collection", col, "-o", outZip); exit != 0 || strings.Contains(stdout, "README") {
		t.Fatalf("export to a ZIP: exit %d\n%s%s", exit, stdout, stderr)
	}
	if readme := zipEntries(t, outZip)["README.txt"]; !strings.Contains(readme, "Languages in this template: de-DE\r\n") {
		t.Errorf("the exported ZIP's README.txt is not the one written for it:\n%s", readme)
	}
}

// TestSelfCommand: the demo's "try" line runs this binary however it was started.
func TestSelfCommand(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "storesyncer")
	os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755)
	other := filepath.Join(dir, "other")
	os.WriteFile(other, []byte("#!/bin/sh\n"), 0o755)
	onPath := func(string) (string, error) { return bin, nil }
	notOnPath := func(string) (string, error) { return "", os.ErrNotExist }
	tests := []struct {
		exe  string
		look func(string) (string, error)
		want string
	}{
		{"/tmp/go-build123/b001/exe/storesyncer", onPath, "go run ./cmd/storesyncer"},
		{bin, onPath, "storesyncer"},
		{bin, notOnPath, bin},
		{other, onPath, other}, // another storesyncer is on PATH: name this one
	}
	for _, tt := range tests {
		if got := selfCommand(tt.exe, tt.look); got != tt.want {
			t.Errorf("selfCommand(%s) = %q, want %q", tt.exe, got, tt.want)
		}
	}
}

// TestCLIPapercuts: the small lies a newcomer met, each checked against the behaviour the
// README and --help now describe.
func TestCLIPapercuts(t *testing.T) {
	e := newSyncEnv(t).added()

	// plan --json names the version's fields in lowerCamel, as versions list does.
	_, out, _ := e.run("plan", "--json")
	var doc struct {
		Version map[string]any `json:"version"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("plan --json: %v\n%s", err, out)
	}
	for _, k := range []string{"id", "version", "state"} {
		if _, ok := doc.Version[k]; !ok {
			t.Errorf("plan --json version lacks %q: %v", k, doc.Version)
		}
	}
	for k := range doc.Version {
		if k[0] >= 'A' && k[0] <= 'Z' {
			t.Errorf("plan --json version has Go field name %q", k)
		}
	}

	// versions set and create refuse what is not a version, before asking App Store Connect.
	e.sim.ResetJournal()
	for _, args := range [][]string{{"versions", "set", "abc"}, {"versions", "create", "2.0-beta"}, {"versions", "set", "1.2.3.4"}} {
		exit, _, stderr := e.run(args...)
		if exit != exitUsage || !strings.Contains(stderr, "one to three numbers joined by dots, such as 2.1 or 2.1.0") {
			t.Errorf("%v: exit %d, %s; want 2 with the form", args, exit, stderr)
		}
	}
	if n := len(e.writes()); n != 0 {
		t.Errorf("refused versions made %d write(s)", n)
	}

	// A bad collection name and a missing collection are both usage errors.
	for _, name := range []string{"Bad Name!", "nosuch"} {
		for _, args := range [][]string{{"collections", "activate", name}, {"collections", "delete", name}} {
			if exit, _, stderr := e.run(args...); exit != exitUsage {
				t.Errorf("%v: exit %d (%s); want 2", args, exit, stderr)
			}
		}
	}

	// apps remove takes the bundle ID as apps add does.
	if exit, _, stderr := e.run("apps", "remove", "--bundle-id", "com.example.other", "--app", testBundle); exit != exitUsage {
		t.Errorf("apps remove with two different apps: exit %d %s", exit, stderr)
	}
	e.mustRun("apps", "remove", "--bundle-id", testBundle)
	if _, err := os.Stat(filepath.Join(e.ws, testBundle, "app.toml")); !os.IsNotExist(err) {
		t.Errorf("apps remove --bundle-id left app.toml: %v", err)
	}
}
