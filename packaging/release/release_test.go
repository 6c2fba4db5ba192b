package release

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/ from what the code makes")

const (
	repoRoot   = "../.."
	configPath = "../release.toml"
)

var testDate = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func loadConfig(t testing.TB) *Config {
	t.Helper()
	c, err := Load(configPath, repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fakeSources makes a stand-in binary and generated docs, so the tests need no go build.
func fakeSources(t testing.TB) sources {
	t.Helper()
	dir := t.TempDir()
	s := sources{root: repoRoot, binary: filepath.Join(dir, "storesyncer"), man: filepath.Join(dir, "man"), completions: filepath.Join(dir, "completions")}
	write(t, s.binary, "#!/bin/sh\necho storesyncer 1.2.3\n", 0o755)
	write(t, filepath.Join(s.man, "storesyncer.1"), ".TH STORESYNCER 1\n", 0o644)
	write(t, filepath.Join(s.man, "storesyncer-run.1"), ".TH STORESYNCER-RUN 1\n", 0o644)
	for _, name := range completionFiles {
		write(t, filepath.Join(s.completions, name), "# "+name+"\n", 0o644)
	}
	return s
}

func write(t testing.TB, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

func TestLoadTheRepositorysConfig(t *testing.T) {
	c := loadConfig(t)
	if c.Name != "storesyncer" || len(c.Build.Targets) != 4 {
		t.Errorf("config = %+v", c)
	}
}

// TestLoadReportsEveryProblem: a bad config names each problem, not only the first.
func TestLoadReportsEveryProblem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "release.toml")
	write(t, path, `name = "x"
colour = "blue"
[build]
targets = ["linux"]
[[file]]
src = "no/such/file"
dst = "relative/path"
packager = "apk"
`, 0o644)
	_, err := Load(path, repoRoot)
	if err == nil {
		t.Fatal("Load accepted a bad config")
	}
	for _, want := range []string{"unknown key colour", "summary is empty", `target "linux"`, "no/such/file", `dst "relative/path" is not absolute`, `packager "apk"`, "no package file has src {binary}"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// TestArchive: an archive holds the binary (executable), the docs and the generated files,
// sorted and dated, the same bytes every time.
func TestArchive(t *testing.T) {
	c := loadConfig(t)
	s := fakeSources(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.tar.gz"), filepath.Join(dir, "b.tar.gz")
	for _, p := range []string{a, b} {
		if err := writeArchive(p, c, s, testDate); err != nil {
			t.Fatal(err)
		}
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Error("two archives of the same files differ")
	}
	gz, err := gzip.NewReader(bytes.NewReader(ab))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var got []string
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, h.Name+" "+os.FileMode(h.Mode).String())
		if !h.ModTime.Equal(testDate) || h.Uname != "root" {
			t.Errorf("%s: time %v, owner %q", h.Name, h.ModTime, h.Uname)
		}
	}
	want := []string{
		"README.md -rw-r--r--", "completions/_storesyncer -rw-r--r--", "completions/storesyncer.bash -rw-r--r--",
		"completions/storesyncer.fish -rw-r--r--", "config.example.toml -rw-r--r--", "man/storesyncer-run.1 -rw-r--r--",
		"man/storesyncer.1 -rw-r--r--", "monitoring/grafana-storesyncer.json -rw-r--r--",
		"monitoring/prometheus-alerts.yml -rw-r--r--", "storesyncer -rwxr-xr-x",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("archive entries (-want +got):\n%s", diff)
	}
}

// TestDebContents builds a .deb with nfpm and reads it back with dpkg-deb: the binary, both
// units, the sysusers file, the man pages and the completions are where the system looks.
func TestDebContents(t *testing.T) {
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		t.Fatal("dpkg-deb is not installed (Debian's dpkg; CI runs on Debian)")
	}
	c := loadConfig(t)
	dist := t.TempDir()
	src := fakeSources(t)
	name, err := writePackage(dist, FormatDeb, c, src, Options{Root: repoRoot, Version: "1.2.3", Date: testDate}, Target{"linux", "arm64"})
	if err != nil {
		t.Fatal(err)
	}
	// The gzipped man pages go elsewhere: the next target's archive copies this folder.
	if entries, err := os.ReadDir(src.man); err != nil || len(entries) != 2 {
		t.Errorf("the man folder changed: %v, %v", entries, err)
	}
	if name != "storesyncer_1.2.3-1_arm64.deb" {
		t.Errorf("deb named %s", name)
	}
	out, err := exec.Command("dpkg-deb", "--contents", filepath.Join(dist, name)).CombinedOutput()
	if err != nil {
		t.Fatalf("dpkg-deb --contents: %v\n%s", err, out)
	}
	for _, want := range []string{
		"-rwxr-xr-x root/root", "./usr/bin/storesyncer",
		"./usr/lib/systemd/user/storesyncer.service", "./usr/lib/systemd/system/storesyncer.service",
		"./usr/lib/sysusers.d/storesyncer.conf", "./usr/share/man/man1/storesyncer.1.gz", "./usr/share/man/man1/storesyncer-run.1.gz",
		"./usr/share/bash-completion/completions/storesyncer", "./usr/share/zsh/vendor-completions/_storesyncer",
		"./usr/share/fish/vendor_completions.d/storesyncer.fish", "./usr/share/doc/storesyncer/prometheus-alerts.yml",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("deb lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "site-functions") {
		t.Error("the deb holds the rpm's zsh path")
	}
	info, err := exec.Command("dpkg-deb", "--field", filepath.Join(dist, name), "Package", "Version", "Architecture").CombinedOutput()
	if err != nil || string(info) != "Package: storesyncer\nVersion: 1.2.3-1\nArchitecture: arm64\n" {
		t.Errorf("dpkg-deb --field: %v\n%s", err, info)
	}
}

// TestFormula renders the Homebrew formula for fixed archives and compares it with
// testdata/storesyncer.rb (go test ./packaging/release -update rewrites it).
func TestFormula(t *testing.T) {
	c := loadConfig(t)
	dist := t.TempDir()
	archives := map[Target]string{}
	for _, tg := range []Target{{"darwin", "arm64"}, {"darwin", "amd64"}, {"linux", "arm64"}, {"linux", "amd64"}} {
		name := archiveName(c, "1.2.3", tg)
		write(t, filepath.Join(dist, name), "archive for "+tg.String(), 0o644)
		archives[tg] = name
	}
	tmpl, err := os.ReadFile(filepath.Join(repoRoot, c.Homebrew.Template))
	if err != nil {
		t.Fatal(err)
	}
	got, err := RenderFormula(string(tmpl), c, "1.2.3", dist, archives)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "storesyncer.rb")
	if *update {
		write(t, golden, string(got), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("formula differs from %s (-want +got; -update rewrites it):\n%s", golden, diff)
	}
	delete(archives, Target{"darwin", "amd64"})
	if _, err := RenderFormula(string(tmpl), c, "1.2.3", dist, archives); err == nil || !strings.Contains(err.Error(), "darwin/amd64") {
		t.Errorf("a formula without the darwin/amd64 archive: %v", err)
	}
}

func TestRubyClass(t *testing.T) {
	for in, want := range map[string]string{"storesyncer": "Storesyncer", "store-syncer": "StoreSyncer", "a.b_c": "ABC"} {
		if got := rubyClass(in); got != want {
			t.Errorf("rubyClass(%q) = %q, want %q", in, got, want)
		}
	}
}
