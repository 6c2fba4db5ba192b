package main

import (
	"fmt"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/command"
)

func newVersionsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "versions",
		Short: "List, create and rename the app's App Store versions",
		Example: `  storesyncer versions list
  storesyncer versions create 2.1.0
  storesyncer versions set 2.1.0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newVersionsListCmd(g), newVersionsCreateCmd(g), newVersionsSetCmd(g))
	return cmd
}

func newVersionsListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Short:   "List the app's versions, newest first; * marks the target version",
		Example: `  storesyncer versions list --app com.example.app`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, app, err := openApp(g, openReadSession)
			if err != nil {
				return err
			}
			defer s.Close()
			vs, err := s.eng.Versions(cmd.Context(), app.BundleID)
			if err != nil {
				return engineError(err)
			}
			rows := make([]command.VersionRow, 0, len(vs))
			for _, v := range vs {
				rows = append(rows, command.NewVersionRow(v.Version, v.Target))
			}
			if g.json {
				return writeJSON(g.stdout, map[string]any{"versions": rows})
			}
			for _, r := range rows {
				mark := " "
				if r.Target {
					mark = "*"
				}
				fmt.Fprintf(g.stdout, "%s %-10s %-28s %-9s %s\n", mark, r.Version, r.State, r.Platform, r.Created)
			}
			return nil
		},
	}
}

func newVersionsCreateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "create VERSION",
		Short: "Open a new App Store version (it becomes the target version)",
		Long: `versions create opens VERSION on App Store Connect. Only one version can be open at a
time: when one is, the error names it and suggests ` + "`storesyncer versions set VERSION`" + `, which
renames it.`,
		Example: `  storesyncer versions create 2.1.0`,
		Args:    versionArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			return runCommand(cmd.Context(), g, &command.VersionsCreate{App: bundle, Version: args[0]}, commandOptions{})
		},
	}
}

func newVersionsSetCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "set VERSION",
		Short:   "Rename the open (editable) version to VERSION",
		Example: `  storesyncer versions set 2.1.0`,
		Args:    versionArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			return runCommand(cmd.Context(), g, &command.VersionsSet{App: bundle, Version: args[0]}, commandOptions{})
		},
	}
}

// versionPattern is App Store Connect's versionString: one to three whole numbers joined by
// dots (1.0, 2.1.3).
var versionPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+){0,2}$`)

// versionArg accepts exactly one argument in versionPattern's form; anything else is a usage
// error (exit 2) that shows the form.
func versionArg(_ *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usageError("usage", "", "want one VERSION, such as 2.1.0 (got %d arguments)", len(args))
	}
	if !versionPattern.MatchString(args[0]) {
		return usageError("usage", "", "%q is not a version: App Store versions are one to three numbers joined by dots, such as 2.1 or 2.1.0", args[0])
	}
	return nil
}
