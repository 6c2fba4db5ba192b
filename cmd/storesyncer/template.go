package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/transfer"
)

func newTemplateCmd(g *globals) *cobra.Command {
	var out, platform string
	var locales, screenshots, previews []string
	cmd := &cobra.Command{
		Use:   "template -o FILE.zip",
		Short: "Write a template file to fill in",
		Long: `Template writes a template file: a ZIP holding the template layout's folders for the
chosen languages, screenshot display types and preview types, and a README.txt that says how to
fill it in (field limits, what an empty file means, accepted screenshot sizes, file order).
It holds no text files, so only what someone fills in is imported later.

The iOS default is en-US with APP_IPHONE_67 and APP_IPAD_PRO_3GEN_129 screenshots and no
previews. Template needs no config and no App Store Connect key.`,
		Example: `  storesyncer template -o new.zip
  storesyncer template -o de.zip --locales de-DE,fr-FR --screenshots APP_IPHONE_67
  storesyncer template -o tv.zip --platform TV_OS --locales en-US,fr-FR
  storesyncer template -o - > template.zip`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			extras, err := collectionExtras(g)
			if err != nil {
				return err
			}
			opts := transfer.TemplateOptions{Locales: locales, Previews: previews,
				ExtraLocales: extras.ExtraLocales, ExtraDisplayTypes: extras.ExtraDisplayTypes}
			if cmd.Flags().Changed("screenshots") {
				opts.Screenshots = append([]string{}, screenshots...)
			}
			if platform != "" {
				p, err := parsePlatform(platform)
				if err != nil {
					return usageError("usage", "", "--platform: %v", err)
				}
				opts.Platform = p
			}
			return runTemplate(g, out, opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "the ZIP file to write (- for standard output)")
	f.StringVar(&platform, "platform", "", "IOS (default), MAC_OS, TV_OS or VISION_OS")
	f.StringSliceVar(&locales, "locales", nil, "App Store Connect locale codes, comma separated (default en-US)")
	f.StringSliceVar(&screenshots, "screenshots", nil, "screenshot display types (default: the platform's required ones)")
	f.StringSliceVar(&previews, "previews", nil, "app preview types (default none)")
	_ = cmd.MarkFlagRequired("output")
	return cmd
}

// templateOutput is template's --json document.
type templateOutput struct {
	Path        string   `json:"path"`
	Platform    string   `json:"platform"`
	Locales     []string `json:"locales"`
	Screenshots []string `json:"screenshots"`
	Previews    []string `json:"previews"`
}

func runTemplate(g *globals, out string, opts transfer.TemplateOptions) error {
	resolved, err := opts.Resolve()
	if err != nil {
		var ue *transfer.UnknownNameError
		if errors.As(err, &ue) {
			return usageError("usage", "", "%v", err)
		}
		return failure("template.failed", "", err)
	}
	if out == "-" {
		if err := transfer.Template(g.stdout, resolved); err != nil {
			return failure("template.failed", "", err)
		}
		return nil
	}
	if !strings.EqualFold(filepath.Ext(out), ".zip") {
		return usageError("usage", out, "-o %s: a template file is a .zip", out)
	}
	if err := writeFileAtomic(out, func(w io.Writer) error { return transfer.Template(w, resolved) }); err != nil {
		return failure("template.failed", out, err)
	}
	res := templateOutput{Path: out, Platform: string(resolved.Platform), Locales: resolved.Locales,
		Screenshots: nonNil(resolved.Screenshots), Previews: nonNil(resolved.Previews)}
	if g.json {
		return writeJSON(g.stdout, res)
	}
	fmt.Fprintf(g.stdout, "wrote %s (%s; locales %s; screenshots %s; previews %s)\n", out, res.Platform,
		strings.Join(res.Locales, ", "), listOrNone(res.Screenshots), listOrNone(res.Previews))
	return nil
}

// writeFileAtomic writes a file through write, beside name, and renames it into place, so a
// failure never leaves half a file.
func writeFileAtomic(name string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".storesyncer-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
