// Package release builds StoreSyncer's release artefacts — archives, .deb and .rpm packages
// (through nfpm), the Homebrew formula and a checksum file — from the declarative
// packaging/release.toml.
package release

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// Config is packaging/release.toml. Load returns it checked.
type Config struct {
	Name        string `toml:"name"`
	Summary     string `toml:"summary"`
	Description string `toml:"description"`
	Homepage    string `toml:"homepage"`
	Maintainer  string `toml:"maintainer"`
	Vendor      string `toml:"vendor"`
	License     string `toml:"license"`
	// DownloadURL is where a release's archives live, with {version} and {archive}.
	DownloadURL string `toml:"download_url"`

	Build struct {
		// Main is the package to build ("./cmd/storesyncer").
		Main string `toml:"main"`
		// LDFlags are the linker flags, with {version}, {commit} and {date}.
		LDFlags string `toml:"ldflags"`
		// Targets are GOOS/GOARCH pairs ("linux/amd64").
		Targets []string `toml:"targets"`
	} `toml:"build"`

	// Archive lists what the archives hold besides the binary.
	Archive []File `toml:"archive"`
	// Files lists what the .deb and .rpm install.
	Files []File `toml:"file"`

	Scripts struct {
		PostInstall string `toml:"postinstall"`
		PreRemove   string `toml:"preremove"`
	} `toml:"scripts"`

	Homebrew struct {
		// Template is the formula's text/template.
		Template string `toml:"template"`
	} `toml:"homebrew"`
}

// File is one file (or folder, copied whole) of an archive or a package.
type File struct {
	// Src is a path relative to the repository root, or under one of the placeholders
	// {binary}, {man} and {completions}.
	Src string `toml:"src"`
	// Dst is the path inside the archive, or the absolute path the package installs to.
	Dst string `toml:"dst"`
	// Mode is the file's permission bits; 0 keeps 0644 (0755 for the binary).
	Mode int64 `toml:"mode"`
	// Type is nfpm's content type ("config", "config|noreplace"); empty for a plain file.
	Type string `toml:"type"`
	// Packager limits the entry to "deb" or "rpm".
	Packager string `toml:"packager"`
}

// Placeholders a File's Src may start with.
const (
	PlaceBinary      = "{binary}"
	PlaceMan         = "{man}"
	PlaceCompletions = "{completions}"
)

// Target is one GOOS/GOARCH pair.
type Target struct{ OS, Arch string }

// String is "linux/amd64".
func (t Target) String() string { return t.OS + "/" + t.Arch }

// ParseTarget parses "linux/amd64".
func ParseTarget(s string) (Target, error) {
	goos, arch, ok := strings.Cut(s, "/")
	if !ok || goos == "" || arch == "" {
		return Target{}, fmt.Errorf("target %q: want GOOS/GOARCH, e.g. linux/amd64", s)
	}
	return Target{goos, arch}, nil
}

// Load reads and checks the config at path; root is the repository root the config's paths
// are relative to. Every problem is reported, not only the first.
func Load(path, root string) (*Config, error) {
	var c Config
	md, err := toml.DecodeFile(path, &c)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var errs []error
	for _, k := range md.Undecoded() {
		errs = append(errs, fmt.Errorf("%s: unknown key %s", path, k))
	}
	for _, f := range []struct{ name, v string }{
		{"name", c.Name}, {"summary", c.Summary}, {"homepage", c.Homepage}, {"maintainer", c.Maintainer},
		{"download_url", c.DownloadURL}, {"build.main", c.Build.Main}, {"homebrew.template", c.Homebrew.Template},
	} {
		if f.v == "" {
			errs = append(errs, fmt.Errorf("%s: %s is empty", path, f.name))
		}
	}
	for _, t := range c.Build.Targets {
		if _, err := ParseTarget(t); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
		}
	}
	check := func(what string, f File) {
		if f.Dst == "" {
			errs = append(errs, fmt.Errorf("%s: %s %q has no dst", path, what, f.Src))
		}
		if f.Packager != "" && f.Packager != "deb" && f.Packager != "rpm" {
			errs = append(errs, fmt.Errorf("%s: %s %q: packager %q is neither deb nor rpm", path, what, f.Src, f.Packager))
		}
		if isPlaceholder(f.Src) {
			return
		}
		if _, err := os.Stat(filepath.Join(root, f.Src)); err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %w", path, what, err))
		}
	}
	for _, f := range c.Archive {
		check("archive file", f)
	}
	for _, f := range c.Files {
		check("package file", f)
		if !filepath.IsAbs(f.Dst) {
			errs = append(errs, fmt.Errorf("%s: package file %q: dst %q is not absolute", path, f.Src, f.Dst))
		}
	}
	if !slices.ContainsFunc(c.Files, func(f File) bool { return f.Src == PlaceBinary }) {
		errs = append(errs, fmt.Errorf("%s: no package file has src %s", path, PlaceBinary))
	}
	for _, s := range []string{c.Scripts.PostInstall, c.Scripts.PreRemove, c.Homebrew.Template} {
		if s == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, s)); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &c, nil
}

func isPlaceholder(src string) bool {
	for _, p := range []string{PlaceBinary, PlaceMan, PlaceCompletions} {
		if src == p || strings.HasPrefix(src, p+"/") {
			return true
		}
	}
	return false
}

// expand replaces {name} placeholders in s with vars.
func expand(s string, vars map[string]string) string {
	for k, v := range vars {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}
