package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/command"
)

func newAppsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "apps",
		Short: "Add, list and remove the apps of the workspace",
		Example: `  storesyncer apps add --bundle-id com.example.app
  storesyncer apps list
  storesyncer apps remove --bundle-id com.example.app`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newAppsAddCmd(g), newAppsListCmd(g), newAppsRemoveCmd(g))
	return cmd
}

func newAppsAddCmd(g *globals) *cobra.Command {
	var bundleID, platform, account string
	cmd := &cobra.Command{
		Use:   "add --bundle-id ID",
		Short: "Find an app on App Store Connect and pull it into collection main",
		Long: `apps add finds the app whose bundle ID is exactly ID, writes <workspace>/ID/app.toml,
pulls the target version's texts, screenshots and previews into collection "main", makes it
active and records what App Store Connect holds as the base of every key.`,
		Example: `  storesyncer apps add --bundle-id com.example.app
  storesyncer apps add --bundle-id com.example.mac --platform MAC_OS --account team2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCommand(cmd.Context(), g, &command.AppsAdd{BundleID: bundleID, Platform: platform, Account: account}, commandOptions{createWorkspace: true})
		},
	}
	cmd.Flags().StringVar(&bundleID, "bundle-id", "", "the app's bundle ID, exactly")
	cmd.Flags().StringVar(&platform, "platform", "IOS", "IOS, MAC_OS, TV_OS or VISION_OS")
	cmd.Flags().StringVar(&account, "account", "", "the config's [[account]] to use (default: the only or \"default\" one)")
	return cmd
}

type appRow struct {
	BundleID string `json:"bundle_id"`
	Platform string `json:"platform"`
	Name     string `json:"name,omitempty"`
	Version  string `json:"version,omitempty"`
	State    string `json:"state,omitempty"`
	Active   string `json:"active"`
	LastSync string `json:"last_sync,omitempty"`
}

func newAppsListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the workspace's apps: platform, target version, active collection, last sync",
		Long: `apps list reads the workspace and the state dir only (beside a running daemon, too); the
target version is the one recorded by the last push or pull.`,
		Example: `  storesyncer apps list
  storesyncer apps list --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := openReadSession(g)
			if err != nil {
				return err
			}
			defer s.Close()
			apps, listErr := s.eng.Apps(cmd.Context())
			rows := make([]appRow, 0, len(apps))
			for _, a := range apps {
				r := appRow{BundleID: a.App.BundleID, Platform: string(a.App.Platform), Name: a.App.Name,
					Version: a.Target.String, State: a.Target.State, Active: a.App.Active}
				if !a.LastSync.IsZero() {
					r.LastSync = a.LastSync.UTC().Format(time.RFC3339)
				}
				rows = append(rows, r)
			}
			if g.json {
				if err := writeJSON(g.stdout, map[string]any{"apps": rows}); err != nil {
					return err
				}
			} else {
				if len(rows) == 0 {
					fmt.Fprintln(g.stdout, "no apps: add one with `storesyncer apps add --bundle-id ID`")
				}
				for _, r := range rows {
					version, last := "-", "never"
					if r.Version != "" {
						version = r.Version + " (" + r.State + ")"
					}
					if r.LastSync != "" {
						last = r.LastSync
					}
					fmt.Fprintf(g.stdout, "%-30s %-9s %-32s active: %-12s last sync: %s\n", r.BundleID, r.Platform, version, r.Active, last)
				}
			}
			if listErr != nil {
				return &cliError{Exit: exitUsage, Code: "app.invalid", Err: listErr}
			}
			return nil
		},
	}
}

func newAppsRemoveCmd(g *globals) *cobra.Command {
	var bundleID string
	cmd := &cobra.Command{
		Use:   "remove --bundle-id ID",
		Short: "Forget an app: its app.toml and bases go, its collections stay on disk",
		Long: `apps remove forgets the app whose bundle ID is ID: its app.toml and the bases recorded for
it go, its collections stay on disk. The app is never guessed: name it with --bundle-id (as
apps add takes it), as the argument, or with --app.`,
		Example: `  storesyncer apps remove --bundle-id com.example.app
  storesyncer apps remove com.example.app
  storesyncer --app com.example.app apps remove`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, id := range append([]string{bundleID}, args...) {
				switch {
				case id == "":
				case g.app != "" && g.app != id:
					return usageError("usage", "", "apps remove: %s and %s name different apps; give one", g.app, id)
				default:
					g.app = id
				}
			}
			if g.app == "" {
				return usageError("usage", "", "apps remove needs --bundle-id ID (it is never guessed)")
			}
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			return runCommand(cmd.Context(), g, &command.AppsRemove{App: bundle}, commandOptions{})
		},
	}
	cmd.Flags().StringVar(&bundleID, "bundle-id", "", "the bundle ID of the app to forget")
	return cmd
}
