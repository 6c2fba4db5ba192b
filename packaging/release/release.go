package release

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Formats Run can make.
const (
	FormatArchive = "archive"
	FormatDeb     = "deb"
	FormatRPM     = "rpm"
	FormatBrew    = "brew"
)

// AllFormats are the formats a release makes by default.
var AllFormats = []string{FormatArchive, FormatDeb, FormatRPM, FormatBrew}

// Options says what Run makes. Root, Dist and Version are required.
type Options struct {
	// Root is the repository root; Dist the output folder (emptied first).
	Root, Dist string
	// Version ("1.2.3", no leading v), Commit and Date (RFC 3339) are stamped into the
	// binary and the packages.
	Version, Commit string
	Date            time.Time
	// Targets are the GOOS/GOARCH pairs to build; nil builds the config's.
	Targets []Target
	// Formats are what to make of them; nil makes AllFormats. The Homebrew formula needs
	// every darwin target's archive.
	Formats []string
	// Log receives one line per artefact; nil discards.
	Log io.Writer
}

// Artefact is one file Run made in Dist.
type Artefact struct {
	// Path is the file's path relative to Dist.
	Path string
	// Kind is a Format, or "checksums".
	Kind string
	// Target is the build the file holds (zero for the formula and the checksums).
	Target Target
}

// Run builds the binaries and makes the artefacts in o.Dist: archives, packages, the
// formula and checksums.txt (SHA-256 of every other artefact). It returns them in order.
func Run(ctx context.Context, c *Config, o Options) ([]Artefact, error) {
	if o.Root == "" || o.Dist == "" || o.Version == "" {
		return nil, errors.New("release: Root, Dist and Version are required")
	}
	if strings.HasPrefix(o.Version, "v") {
		return nil, fmt.Errorf("release: version %q: give it without the leading v", o.Version)
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Targets == nil {
		for _, s := range c.Build.Targets {
			t, err := ParseTarget(s)
			if err != nil {
				return nil, err
			}
			o.Targets = append(o.Targets, t)
		}
	}
	if o.Formats == nil {
		o.Formats = AllFormats
	}
	for _, f := range o.Formats {
		if !slices.Contains(AllFormats, f) {
			return nil, fmt.Errorf("release: unknown format %q (want %s)", f, strings.Join(AllFormats, ", "))
		}
	}
	want := func(f string) bool { return slices.Contains(o.Formats, f) }
	if err := os.RemoveAll(o.Dist); err != nil {
		return nil, err
	}
	work := filepath.Join(o.Dist, "build")
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}

	vars := map[string]string{"version": o.Version, "commit": o.Commit, "date": o.Date.UTC().Format(time.RFC3339)}
	binaries := map[Target]string{}
	for _, t := range o.Targets {
		bin, err := buildBinary(ctx, c, o, vars, t, filepath.Join(work, t.OS+"_"+t.Arch))
		if err != nil {
			return nil, err
		}
		binaries[t] = bin
		fmt.Fprintf(o.Log, "built %s\n", rel(o.Dist, bin))
	}
	host := Target{runtime.GOOS, runtime.GOARCH}
	hostBin, ok := binaries[host]
	if !ok {
		var err error
		if hostBin, err = buildBinary(ctx, c, o, vars, host, filepath.Join(work, "host")); err != nil {
			return nil, err
		}
	}
	docs, err := generateDocs(ctx, hostBin, o.Date, filepath.Join(work, "docs"))
	if err != nil {
		return nil, err
	}

	var out []Artefact
	archives := map[Target]string{}
	for _, t := range o.Targets {
		paths := sources{root: o.Root, binary: binaries[t], man: docs.man, completions: docs.completions}
		if want(FormatArchive) {
			name := archiveName(c, o.Version, t)
			if err := writeArchive(filepath.Join(o.Dist, name), c, paths, o.Date); err != nil {
				return nil, err
			}
			archives[t] = name
			out = append(out, Artefact{Path: name, Kind: FormatArchive, Target: t})
			fmt.Fprintf(o.Log, "archive %s\n", name)
		}
		if t.OS != "linux" {
			continue
		}
		for _, format := range []string{FormatDeb, FormatRPM} {
			if !want(format) {
				continue
			}
			name, err := writePackage(o.Dist, format, c, paths, o, t)
			if err != nil {
				return nil, err
			}
			out = append(out, Artefact{Path: name, Kind: format, Target: t})
			fmt.Fprintf(o.Log, "%s %s\n", format, name)
		}
	}
	if want(FormatBrew) {
		name, err := writeFormula(o.Dist, c, o, archives)
		if err != nil {
			return nil, err
		}
		out = append(out, Artefact{Path: name, Kind: FormatBrew})
		fmt.Fprintf(o.Log, "formula %s\n", name)
	}
	if err := writeChecksums(o.Dist, out); err != nil {
		return nil, err
	}
	out = append(out, Artefact{Path: checksumsFile, Kind: "checksums"})
	fmt.Fprintf(o.Log, "checksums %s\n", checksumsFile)
	if err := os.RemoveAll(work); err != nil {
		return nil, err
	}
	return out, nil
}

// buildBinary cross-compiles the main package for t into dir (CGO off: the SQLite driver
// is pure Go) with the version stamped, and returns the binary's path.
func buildBinary(ctx context.Context, c *Config, o Options, vars map[string]string, t Target, dir string) (string, error) {
	bin := filepath.Join(dir, c.Name)
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", expand(c.Build.LDFlags, vars), "-o", bin, c.Build.Main)
	cmd.Dir = o.Root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+t.OS, "GOARCH="+t.Arch)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build for %s: %w\n%s", t, err, out)
	}
	return bin, nil
}

// docs are the generated man pages and completion scripts.
type docs struct{ man, completions string }

// completionFiles maps each shell to the file name its script is installed as.
var completionFiles = map[string]string{"bash": "storesyncer.bash", "zsh": "_storesyncer", "fish": "storesyncer.fish"}

// generateDocs runs the host binary to write the man pages and completion scripts under dir.
func generateDocs(ctx context.Context, bin string, date time.Time, dir string) (docs, error) {
	d := docs{man: filepath.Join(dir, "man"), completions: filepath.Join(dir, "completions")}
	cmd := exec.CommandContext(ctx, bin, "man", "--dir", d.man)
	cmd.Env = append(os.Environ(), fmt.Sprintf("SOURCE_DATE_EPOCH=%d", date.Unix()))
	if out, err := cmd.CombinedOutput(); err != nil {
		return docs{}, fmt.Errorf("man pages: %w\n%s", err, out)
	}
	if err := os.MkdirAll(d.completions, 0o755); err != nil {
		return docs{}, err
	}
	for shell, name := range completionFiles {
		out, err := exec.CommandContext(ctx, bin, "completion", shell).Output()
		if err != nil {
			return docs{}, fmt.Errorf("%s completion: %w", shell, err)
		}
		if err := os.WriteFile(filepath.Join(d.completions, name), out, 0o644); err != nil {
			return docs{}, err
		}
	}
	return d, nil
}

// sources resolves a File's Src for one target.
type sources struct{ root, binary, man, completions string }

func (s sources) path(src string) string {
	for place, dir := range map[string]string{PlaceBinary: s.binary, PlaceMan: s.man, PlaceCompletions: s.completions} {
		if src == place {
			return dir
		}
		if rest, ok := strings.CutPrefix(src, place+"/"); ok {
			return filepath.Join(dir, rest)
		}
	}
	return filepath.Join(s.root, src)
}

func archiveName(c *Config, version string, t Target) string {
	return fmt.Sprintf("%s_%s_%s_%s.tar.gz", c.Name, version, t.OS, t.Arch)
}

func rel(base, path string) string {
	if r, err := filepath.Rel(base, path); err == nil {
		return r
	}
	return path
}
