package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/transfer"
)

func newImportCmd(g *globals) *cobra.Command {
	var into, only, format, platform string
	var allowEmpty bool
	cmd := &cobra.Command{
		Use:   "import SRC --into DIR",
		Short: "Merge a template file, folder or fastlane tree into a collection",
		Long: `Import merges SRC — a template ZIP or folder, or a fastlane deliver tree (metadata/ and
screenshots/, as a folder or ZIP) — into a collection folder. What SRC holds replaces: each
text file, and each display-type folder as a whole screenshot set; everything else in the
collection stays. Empty text files and empty folders in SRC are skipped unless --allow-empty.

The import is all or nothing: a ZIP entry that would land outside the collection, a zip bomb
or a fastlane screenshot whose display type cannot be told stops it before anything is
written. Afterwards the collection is validated: problems are printed and errors exit with 3
(the import still happened).`,
		Example: `  storesyncer import filled.zip --into ~/StoreSyncer/com.example.app/main
  storesyncer import ./fastlane --into ./main --only text
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
	f.StringVar(&into, "into", "", "the collection folder to merge into (created if absent)")
	f.StringVar(&only, "only", "all", "what to import: text, media or all")
	f.StringVar(&format, "format", "", "template or fastlane (default: detected)")
	f.BoolVar(&allowEmpty, "allow-empty", false, "import empty text files and folders too (they make the field \"not managed\")")
	f.StringVar(&platform, "platform", "", "the app's platform, to tell fastlane screenshot sizes apart and check display types (default: from ../app.toml)")
	_ = cmd.MarkFlagRequired("into")
	return cmd
}

// importOutput is import's --json document.
type importOutput struct {
	Imported transfer.Report      `json:"imported"`
	Problems []collection.Problem `json:"problems"`
}

func runImport(g *globals, src, into string, opts transfer.ImportOptions) error {
	dst, err := resolveCollectionDir(g, into)
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
	rep, err := transfer.Import(src, dst, opts)
	if err != nil {
		var ue *transfer.UnsafeEntryError
		var le *transfer.LimitError
		if errors.As(err, &ue) || errors.As(err, &le) {
			return failure("import.unsafe", src, err)
		}
		return failure("import.failed", src, err)
	}
	vopts, err := collectionExtras(g)
	if err != nil {
		return err
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
		for _, w := range rep.Warnings {
			fmt.Fprintf(g.stdout, "warning: %s\n", w)
		}
		for _, p := range problems {
			fmt.Fprintln(g.stdout, p.String())
		}
	}
	if errs := countSeverity(problems, collection.SeverityError); errs > 0 {
		return &cliError{Exit: exitValidation, Code: "validation.failed", Path: dst, Silent: true,
			Err: fmt.Errorf("imported, but %s has %s", dst, plural(errs, "error"))}
	}
	return nil
}
