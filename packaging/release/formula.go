package release

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"unicode"
)

// Formula is what the Homebrew formula template is rendered with.
type Formula struct {
	// Class is the formula's Ruby class name ("Storesyncer").
	Class, Summary, Homepage, Version, License string
	// Platforms are macos and linux, each with its archives.
	Platforms []FormulaPlatform
}

// FormulaPlatform is one on_macos or on_linux block.
type FormulaPlatform struct {
	OS     string
	Arches []FormulaArchive
}

// FormulaArchive is one on_arm or on_intel block: the archive's URL and SHA-256.
type FormulaArchive struct{ Arch, URL, SHA256 string }

// RenderFormula renders the template text for c at version with the archives (file name by
// target) found in dist. Every darwin target needs its archive; linux ones are added when
// present.
func RenderFormula(tmpl string, c *Config, version, dist string, archives map[Target]string) ([]byte, error) {
	f := Formula{Class: rubyClass(c.Name), Summary: strings.TrimSuffix(c.Summary, "."), Homepage: c.Homepage, Version: version, License: c.License}
	for _, p := range []struct{ goos, brew string }{{"darwin", "macos"}, {"linux", "linux"}} {
		fp := FormulaPlatform{OS: p.brew}
		for _, a := range []struct{ goarch, brew string }{{"arm64", "arm"}, {"amd64", "intel"}} {
			t := Target{p.goos, a.goarch}
			name, ok := archives[t]
			if !ok {
				if p.goos == "darwin" {
					return nil, fmt.Errorf("homebrew formula: no %s archive (build the %s target with the archive format)", t, t)
				}
				continue
			}
			sum, err := sha256File(filepath.Join(dist, name))
			if err != nil {
				return nil, err
			}
			url := expand(c.DownloadURL, map[string]string{"version": version, "archive": name})
			fp.Arches = append(fp.Arches, FormulaArchive{Arch: a.brew, URL: url, SHA256: sum})
		}
		if len(fp.Arches) > 0 {
			f.Platforms = append(f.Platforms, fp)
		}
	}
	t, err := template.New("formula").Parse(tmpl)
	if err != nil {
		return nil, fmt.Errorf("homebrew formula template: %w", err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, f); err != nil {
		return nil, fmt.Errorf("homebrew formula: %w", err)
	}
	return buf.Bytes(), nil
}

// writeFormula renders the config's formula template into dist/<name>.rb.
func writeFormula(dist string, c *Config, o Options, archives map[Target]string) (string, error) {
	tmpl, err := os.ReadFile(filepath.Join(o.Root, c.Homebrew.Template))
	if err != nil {
		return "", err
	}
	out, err := RenderFormula(string(tmpl), c, o.Version, dist, archives)
	if err != nil {
		return "", err
	}
	name := c.Name + ".rb"
	return name, os.WriteFile(filepath.Join(dist, name), out, 0o644)
}

// rubyClass is Homebrew's class name for a formula name: "store-syncer" → "StoreSyncer".
func rubyClass(name string) string {
	var b strings.Builder
	up := true
	for _, r := range name {
		if r == '-' || r == '_' || r == '.' {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
