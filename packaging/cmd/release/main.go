// Command release makes StoreSyncer's release artefacts from packaging/release.toml: the
// archives for every target, the .deb and .rpm packages, the Homebrew formula and
// checksums.txt, in dist/. Run it from the repository root:
//
//	go run ./packaging/cmd/release                                   # everything
//	go run ./packaging/cmd/release -targets linux/amd64 -formats deb # what CI checks
//
// The version is the latest v* tag (without the v), or 0.0.0-dev+<commit> without one; the
// commit and the commit's date are stamped into the binaries, and the date is every file's
// time in the archives and packages, so a rebuild of the same commit gives the same bytes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/storesyncer/storesyncer/packaging/release"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "packaging/release.toml", "the release description")
	dist := fs.String("dist", "dist", "output folder (emptied first)")
	version := fs.String("version", "", "version to stamp, without the v (default: from the latest v* tag)")
	targets := fs.String("targets", "", "comma-separated GOOS/GOARCH to build (default: the config's)")
	formats := fs.String("formats", "", "comma-separated formats: archive,deb,rpm,brew (default: all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run it from the repository root (where go.mod is)")
	}
	cfg, err := release.Load(*configPath, root)
	if err != nil {
		return err
	}
	opts := release.Options{Root: root, Dist: *dist, Log: stdout}
	if opts.Version, opts.Commit, opts.Date, err = stamp(ctx, *version); err != nil {
		return err
	}
	for _, s := range split(*targets) {
		t, err := release.ParseTarget(s)
		if err != nil {
			return err
		}
		opts.Targets = append(opts.Targets, t)
	}
	opts.Formats = split(*formats)
	fmt.Fprintf(stdout, "storesyncer %s (commit %s, %s)\n", opts.Version, opts.Commit, opts.Date.Format(time.RFC3339))
	_, err = release.Run(ctx, cfg, opts)
	return err
}

// stamp returns the version, commit and date to stamp, from git.
func stamp(ctx context.Context, version string) (string, string, time.Time, error) {
	commit, err := git(ctx, "rev-parse", "HEAD")
	if err != nil {
		return "", "", time.Time{}, fmt.Errorf("git: %w (a release is built from a git checkout)", err)
	}
	ct, err := git(ctx, "log", "-1", "--format=%ct")
	if err != nil {
		return "", "", time.Time{}, err
	}
	sec, err := strconv.ParseInt(ct, 10, 64)
	if err != nil {
		return "", "", time.Time{}, fmt.Errorf("commit time %q: %w", ct, err)
	}
	if version == "" {
		if tag, err := git(ctx, "describe", "--tags", "--match", "v[0-9]*", "--abbrev=0"); err == nil {
			version = strings.TrimPrefix(tag, "v")
		} else {
			version = "0.0.0-dev+" + commit[:12]
		}
	}
	return strings.TrimPrefix(version, "v"), commit, time.Unix(sec, 0).UTC(), nil
}

func git(ctx context.Context, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, "git", args...).Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
