package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/collection"
)

func newValidateCmd(g *globals) *cobra.Command {
	var platform string
	cmd := &cobra.Command{
		Use:   "validate [DIR]",
		Short: "Check a collection folder against the template layout's rules",
		Long: `Validate checks a collection folder against every rule of the template layout — text lengths, locales, display types, image formats, sizes and
transparency, preview durations and resolutions — and prints every problem at once, one per
line as "path: severity: code: message". Warnings do not fail; any error exits with 3.

Without DIR it checks the current folder when that is a collection of an app, else the active
collection of the app (--app, the only app, or the one whose folder holds the current
directory), else the current folder.

The app's platform (IOS, MAC_OS, TV_OS, VISION_OS) limits the display types a collection may
use. Without --platform it is read from the app.toml next to the collection, if there is one.
Validate needs no config and no App Store Connect key.`,
		Example: `  storesyncer validate                          # the app's active collection, or the one you are in
  storesyncer validate ~/StoreSyncer/com.example.app/main
  storesyncer validate ./christmas --platform IOS
  storesyncer validate ./main --json | jq '.problems[] | select(.severity == "error")'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := defaultValidateDir(g)
			if len(args) == 1 {
				dir = args[0]
			}
			return runValidate(g, dir, platform)
		},
	}
	cmd.Flags().StringVar(&platform, "platform", "", "the app's platform: IOS, MAC_OS, TV_OS or VISION_OS (default: from ../app.toml, else not checked)")
	return cmd
}

// defaultValidateDir is what validate checks without DIR: the current folder when it is a
// collection of an app (<workspace>/<bundle id>/<collection>), else the active collection of
// the app the config and --app choose, else the current folder.
func defaultValidateDir(g *globals) string {
	if abs, err := filepath.Abs("."); err == nil {
		if _, err := os.Stat(filepath.Join(filepath.Dir(abs), "app.toml")); err == nil {
			return "."
		}
	}
	app, ws, why := contextApp(g)
	if why != nil {
		return "."
	}
	return ws.CollectionDir(app.BundleID, app.Active)
}

// validateOutput is validate's --json document.
type validateOutput struct {
	Problems []collection.Problem `json:"problems"`
}

func runValidate(g *globals, dir, platform string) error {
	if fi, err := os.Stat(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return usageError("usage", dir, "collection folder %s does not exist", dir)
		}
		return failure("collection.unreadable", dir, err)
	} else if !fi.IsDir() {
		return usageError("usage", dir, "%s is not a folder (to check a template file, import it first: storesyncer import %s --into DIR)", dir, dir)
	}
	opts, err := collectionExtras(g)
	if err != nil {
		return err
	}
	switch {
	case platform != "":
		p, err := parsePlatform(platform)
		if err != nil {
			return usageError("usage", "", "--platform: %v", err)
		}
		opts.Platform = p
	default:
		p, err := platformFromAppFile(dir)
		if err != nil {
			return err
		}
		opts.Platform = p
	}
	sum, problems, err := collection.Summarize(dir, opts)
	if err != nil {
		return failure("collection.unreadable", dir, err)
	}
	if g.json {
		if err := writeJSON(g.stdout, validateOutput{Problems: problems}); err != nil {
			return failure("output", "", err)
		}
	} else {
		printProblems(g.stdout, sum, problems)
	}
	if errs := countSeverity(problems, collection.SeverityError); errs > 0 {
		return &cliError{Exit: exitValidation, Code: "validation.failed", Path: dir, Silent: true,
			Err: fmt.Errorf("%s in %s", plural(errs, "error"), dir)}
	}
	return nil
}

// printProblems prints one line per problem and a summary line.
func printProblems(w io.Writer, sum collection.Summary, problems []collection.Problem) {
	for _, p := range problems {
		fmt.Fprintln(w, p.String())
	}
	errs := countSeverity(problems, collection.SeverityError)
	warns := countSeverity(problems, collection.SeverityWarning)
	if errs > 0 {
		line := plural(errs, "error")
		if warns > 0 {
			line += ", " + plural(warns, "warning")
		}
		fmt.Fprintln(w, line)
		return
	}
	line := fmt.Sprintf("ok: %s, %s, %s, %s", plural(sum.Locales, "locale"), plural(sum.Texts, "text"),
		plural(sum.Screenshots, "screenshot"), plural(sum.Previews, "preview"))
	if warns > 0 {
		line += " (" + plural(warns, "warning") + ")"
	}
	fmt.Fprintln(w, line)
}

func countSeverity(problems []collection.Problem, s collection.Severity) int {
	n := 0
	for _, p := range problems {
		if p.Severity == s {
			n++
		}
	}
	return n
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// parsePlatform accepts a platform name in any case ("ios", "MAC_OS").
func parsePlatform(s string) (collection.Platform, error) {
	p := collection.Platform(strings.ToUpper(s))
	switch p {
	case collection.IOS, collection.MacOS, collection.TVOS, collection.VisionOS:
		return p, nil
	}
	return "", fmt.Errorf("unknown platform %q (want IOS, MAC_OS, TV_OS or VISION_OS)", s)
}

// platformFromAppFile reads the platform from the app.toml in the collection's parent folder
// (<workspace>/<bundle id>/app.toml). No app.toml, or one without a platform, means "".
func platformFromAppFile(dir string) (collection.Platform, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil
	}
	path := filepath.Join(filepath.Dir(abs), "app.toml")
	var app struct {
		Platform string `toml:"platform"`
	}
	if _, err := toml.DecodeFile(path, &app); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil
		}
		return "", usageError("config.invalid", path, "%s: %v", path, err)
	}
	if app.Platform == "" {
		return "", nil
	}
	p, err := parsePlatform(app.Platform)
	if err != nil {
		return "", usageError("config.invalid", path, "%s: platform: %v", path, err)
	}
	return p, nil
}
