package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/transfer"
)

func newImportCmd(g *globals) *cobra.Command {
	var into, only, format, platform string
	var allowEmpty bool
	cmd := &cobra.Command{
		Use:   "import SRC [--into DIR|COLLECTION]",
		Short: "Merge a template file, folder or fastlane tree into a collection",
		Long: `Import merges SRC — a template ZIP or folder, or a fastlane deliver tree (metadata/ and
screenshots/, as a folder or ZIP) — into a collection (created if absent). What SRC holds
replaces: each text file, and each display-type folder as a whole screenshot set;
everything else in the collection stays. Empty text files and empty folders in SRC are
skipped unless --allow-empty.

--into is ` + collectionArgRule + `.

A fastlane tree is read as teams keep it: symbolic links are followed while they stay inside
SRC, locale folders in any case are written in App Store Connect's (de-de → de-DE), and
platform folders (metadata/ios/, metadata/android/, …) are told apart by --platform or the
app's platform. Without --format the layout is found from SRC's folders.

What can be imported is; what cannot — a screenshot whose display type cannot be told, a
link that leaves SRC, a folder that is no locale — is listed with the fix and the import
exits with 3. A ZIP entry that would land outside the collection or a zip bomb stops it
before anything is written (exit 1), as does a SRC with nothing to import (exit 1, saying
what was looked for). Afterwards the collection is validated: problems are printed and
errors exit with 3 (the import still happened).`,
		Example: `  storesyncer import filled.zip                   # into the app's active collection
  storesyncer import filled.zip --into christmas  # the app's collection christmas
  storesyncer import ./fastlane --into ./main --only text
  storesyncer import ./fastlane --into ./main --platform MAC_OS   # metadata/macos/ of a tree with platform folders
  storesyncer import screenshots.zip --into ./christmas --only media --platform IOS`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			opts := transfer.ImportOptions{AllowEmpty: allowEmpty, Logger: g.logger}
			var err error
			if opts.Only, err = transfer.ParseOnly(only); err != nil {
				return usageError("usage", "", "--only: %v", err)
			}
			if opts.Format, err = transfer.ParseFormat(format); err != nil {
				return usageError("usage", "", "--format: %v", err)
			}
			if platform != "" {
				p, err := parsePlatform(platform)
				if err != nil {
					return usageError("usage", "", "--platform: %v", err)
				}
				opts.Platform = string(p)
			}
			return runImport(g, args[0], into, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&into, "into", "", "the collection to merge into: ./DIR or a path, or a collection NAME of the app (default: the app's active collection)")
	f.StringVar(&only, "only", "all", "what to import: text, media or all")
	f.StringVar(&format, "format", "", "template or fastlane (default: detected)")
	f.BoolVar(&allowEmpty, "allow-empty", false, "import empty text files and folders too (they make the field \"not managed\")")
	f.StringVar(&platform, "platform", "", "the app's platform, to tell fastlane screenshot sizes apart and check display types (default: from ../app.toml)")
	return cmd
}

// importOutput is import's --json document.
type importOutput struct {
	Imported transfer.Report      `json:"imported"`
	Problems []collection.Problem `json:"problems"`
}

func runImport(g *globals, src, into string, opts transfer.ImportOptions) error {
	dst, err := resolveCollectionDir(g, "--into", into, false)
	if err != nil {
		return err
	}
	if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
		return usageError("usage", src, "%s does not exist", src)
	}
	if opts.Platform == "" {
		p, err := platformFromAppFile(dst) // <workspace>/<bundle id>/app.toml, as validate does
		if err != nil {
			return err
		}
		opts.Platform = string(p)
	}
	vopts, err := collectionExtras(g)
	if err != nil {
		return err
	}
	opts.ExtraLocales = vopts.ExtraLocales
	rep, err := transfer.Import(src, dst, opts)
	if err != nil {
		var ue *transfer.UnsafeEntryError
		var le *transfer.LimitError
		var fe *transfer.FormatError
		var pe *transfer.PlatformError
		var ne *transfer.NothingImportedError
		switch {
		case errors.As(err, &ue) || errors.As(err, &le):
			return failure("import.unsafe", src, err)
		case errors.As(err, &fe) || errors.As(err, &pe):
			return &cliError{Exit: exitUsage, Code: "usage", Path: src, Err: err}
		case errors.As(err, &ne):
			if !g.json {
				printImportNotes(g, rep)
			}
			return failure("import.nothing", src, err)
		}
		return failure("import.failed", src, err)
	}
	vopts.Platform = collection.Platform(opts.Platform)
	problems, err := collection.Validate(dst, vopts)
	if err != nil {
		return failure("collection.unreadable", dst, err)
	}
	if problems == nil {
		problems = []collection.Problem{}
	}
	if g.json {
		if err := writeJSON(g.stdout, importOutput{Imported: rep, Problems: problems}); err != nil {
			return failure("output", "", err)
		}
	} else {
		fmt.Fprintf(g.stdout, "imported %s from %s into %s: %s, %s (%s, %s)", rep.Format, src, dst,
			plural(rep.Texts, "text"), plural(rep.Sets, "set"), plural(rep.Images, "image"), plural(rep.Videos, "video"))
		if rep.Skipped > 0 {
			fmt.Fprintf(g.stdout, "; %d empty skipped", rep.Skipped)
		}
		fmt.Fprintln(g.stdout)
		printImportNotes(g, rep)
		for _, p := range problems {
			fmt.Fprintln(g.stdout, p.String())
		}
	}
	if errs := countSeverity(problems, collection.SeverityError); errs > 0 {
		return &cliError{Exit: exitValidation, Code: "validation.failed", Path: dst, Silent: true,
			Err: fmt.Errorf("imported, but %s has %s", dst, plural(errs, "error"))}
	}
	if len(rep.Rejected) > 0 {
		return &cliError{Exit: exitValidation, Code: "import.partial", Path: src, Silent: g.json,
			Err: fmt.Errorf("imported the rest; %d file(s) or folder(s) not imported (listed above with the fix)", len(rep.Rejected))}
	}
	return nil
}

// printImportNotes prints an import's warnings, then what it could not import, each with the
// fix.
func printImportNotes(g *globals, rep transfer.Report) {
	for _, w := range rep.Warnings {
		fmt.Fprintf(g.stdout, "warning: %s\n", w)
	}
	for _, r := range rep.Rejected {
		reason := strings.TrimPrefix(r.Reason, r.Path+": ")
		fmt.Fprintf(g.stdout, "not imported: %s: %s\n", r.Path, reason)
	}
}
