package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/engine"
)

func newCollectionsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "collections",
		Short: "List, create, activate and delete the app's collections",
		Long: `An app has several collections (main, christmas, …); exactly one is active: that one is
watched and synced. Activating a collection makes it the desired state of App Store
Connect; activating main (made by apps add) restores the store.`,
		Example: `  storesyncer collections list
  storesyncer collections create christmas --from collection main
  storesyncer collections activate christmas
  storesyncer collections activate main`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCollectionsListCmd(g), newCollectionsCreateCmd(g), newCollectionsActivateCmd(g), newCollectionsDeleteCmd(g))
	return cmd
}

func newCollectionsListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Short:   "List the app's collections; * marks the active one",
		Example: `  storesyncer collections list --json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, app, err := openApp(g, openReadSession)
			if err != nil {
				return err
			}
			defer s.Close()
			cs, err := s.eng.Collections(app.BundleID)
			if err != nil {
				return engineError(err)
			}
			if g.json {
				return writeJSON(g.stdout, map[string]any{"collections": emptyIfNil(cs)})
			}
			for _, c := range cs {
				mark := " "
				if c.Active {
					mark = "*"
				}
				fmt.Fprintf(g.stdout, "%s %-24s %d file(s)\n", mark, c.Name, c.Files)
			}
			return nil
		},
	}
}

func newCollectionsCreateCmd(g *globals) *cobra.Command {
	var from string
	cmd := &cobra.Command{
		Use:   "create NAME --from live|zip FILE|collection NAME|template",
		Short: "Make a new collection",
		Long: `collections create makes collection NAME from:
  live             App Store Connect's target version (a pull)
  zip FILE         a template file (ZIP or folder) imported into it
  collection NAME  a copy of another collection of the app
  template         an empty template layout with the locales of the active collection`,
		Example: `  storesyncer collections create christmas --from collection main
  storesyncer collections create spring --from zip spring.zip
  storesyncer collections create draft --from template
  storesyncer collections create snapshot --from live`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := parseSource(from, args[1:])
			if err != nil {
				return err
			}
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			return runCommand(cmd.Context(), g, &command.CollectionsCreate{App: bundle, Collection: args[0], From: src.Kind, Path: src.Path, Source: src.Collection}, commandOptions{})
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "live, zip, collection or template (zip and collection take the file or name as the next argument)")
	return cmd
}

// parseSource reads --from and its argument ("--from zip F" leaves F as a positional).
func parseSource(from string, rest []string) (engine.Source, error) {
	kind, arg, _ := strings.Cut(from, "=")
	if arg == "" && len(rest) > 0 {
		arg = rest[0]
	}
	src := engine.Source{Kind: engine.SourceKind(kind)}
	switch src.Kind {
	case engine.FromLive, engine.FromTemplate:
		if arg != "" {
			return src, usageError("usage", "", "--from %s takes no argument (got %q)", kind, arg)
		}
	case engine.FromZip:
		if arg == "" {
			return src, usageError("usage", "", "--from zip needs the file: --from zip FILE")
		}
		// A daemon runs elsewhere: it gets the file's absolute path.
		abs, err := filepath.Abs(arg)
		if err != nil {
			return src, usageError("usage", "", "--from zip %s: %v", arg, err)
		}
		src.Path = abs
	case engine.FromCollection:
		if arg == "" {
			return src, usageError("usage", "", "--from collection needs a collection name: --from collection NAME")
		}
		src.Collection = arg
	case "":
		return src, usageError("usage", "", "--from is required: live, zip FILE, collection NAME or template")
	default:
		return src, usageError("usage", "", "unknown --from %q: want live, zip FILE, collection NAME or template", kind)
	}
	return src, nil
}

func newCollectionsActivateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "activate NAME",
		Short: "Make NAME the active collection: the next push makes App Store Connect match it",
		Example: `  storesyncer collections activate christmas
  storesyncer collections activate main   # restore the store`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			return runCommand(cmd.Context(), g, &command.CollectionsActivate{App: bundle, Collection: args[0]}, commandOptions{})
		},
	}
}

func newCollectionsDeleteCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "delete NAME",
		Short:   "Delete a collection folder (never the active one)",
		Example: `  storesyncer collections delete christmas`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			return runCommand(cmd.Context(), g, &command.CollectionsDelete{App: bundle, Collection: args[0]}, commandOptions{})
		},
	}
}
