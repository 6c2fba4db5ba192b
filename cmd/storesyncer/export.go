package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/transfer"
)

func newExportCmd(g *globals) *cobra.Command {
	var from, out, only, format string
	cmd := &cobra.Command{
		Use:   "export [--collection DIR|COLLECTION] -o FILE.zip|DIR",
		Short: "Export a collection as a template file or fastlane tree",
		Long: `Export writes a collection as a template ZIP or folder, or in fastlane deliver's layout
(metadata/<locale>/*.txt, screenshots/<locale>/NN_<DISPLAY TYPE>_NN.png), to a .zip file or a
new folder. The output is deterministic: the same collection always gives the same bytes.
Empty text files are left out (they are "not managed"); app previews have no place in
fastlane's layout and are skipped with a warning.

--collection is ` + collectionArgRule + `.`,
		Example: `  storesyncer export -o live.zip                    # the app's active collection
  storesyncer export --collection christmas -o christmas.zip   # the app's collection
  storesyncer export --collection ./main -o main.zip          # a folder
  storesyncer export --collection ./main --format fastlane -o ./fastlane-export
  storesyncer export --collection ./main --only text -o texts.zip
  storesyncer export --collection ./main -o - > main.zip`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			var opts transfer.ExportOptions
			var err error
			if opts.Only, err = transfer.ParseOnly(only); err != nil {
				return usageError("usage", "", "--only: %v", err)
			}
			if opts.Format, err = transfer.ParseFormat(format); err != nil {
				return usageError("usage", "", "--format: %v", err)
			}
			return runExport(g, from, out, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "collection", "", "the collection to export: ./DIR or a path, or a collection NAME of the app (default: the app's active collection)")
	f.StringVarP(&out, "output", "o", "", "a .zip file, a new folder, or - for a ZIP on standard output")
	f.StringVar(&only, "only", "all", "what to export: text, media or all")
	f.StringVar(&format, "format", "template", "template or fastlane")
	_ = cmd.MarkFlagRequired("output")
	return cmd
}

// exportOutput is export's --json document.
type exportOutput struct {
	Path     string          `json:"path"`
	Exported transfer.Report `json:"exported"`
}

func runExport(g *globals, from, out string, opts transfer.ExportOptions) error {
	src, err := resolveCollectionDir(g, "--collection", from, true)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) || (err == nil && !fi.IsDir()) {
		return usageError("usage", src, "collection folder %s does not exist", src)
	}
	var rep transfer.Report
	if out == "-" {
		if g.json {
			return usageError("usage", "", "--json cannot be used with -o - (the ZIP goes to standard output)")
		}
		rep, err = transfer.ExportZip(src, g.stdout, opts)
	} else {
		rep, err = transfer.Export(src, out, opts)
	}
	if err != nil {
		return failure("export.failed", out, err)
	}
	if out == "-" {
		for _, w := range rep.Warnings {
			fmt.Fprintf(g.stderr, "warning: %s\n", w)
		}
		return nil
	}
	if g.json {
		return writeJSON(g.stdout, exportOutput{Path: out, Exported: rep})
	}
	fmt.Fprintf(g.stdout, "exported %s as %s to %s: %s, %s (%s, %s)\n", src, rep.Format, out,
		plural(rep.Texts, "text"), plural(rep.Sets, "set"), plural(rep.Images, "image"), plural(rep.Videos, "video"))
	for _, w := range rep.Warnings {
		fmt.Fprintf(g.stdout, "warning: %s\n", w)
	}
	return nil
}
