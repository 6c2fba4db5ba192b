package main

import (
	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/command"
)

func newPullCmd(g *globals) *cobra.Command {
	var into string
	var force bool
	cmd := &cobra.Command{
		Use:   "pull [--into COLLECTION]",
		Short: "Write App Store Connect's state into a collection (made if absent)",
		Long: `pull reads the target version and writes every text into its file and every set's
screenshots and previews into its folder (named 01_…, 02_… in order), replacing what the
folders held. Local text files of fields that are empty on App Store Connect are kept.
Pulled images are re-encoded by Apple; their checksums are recorded in the collection's
.storesyncer/ folder, so pushing them back uploads nothing.

Without --into it pulls into the active collection and also records what it pulled as the
base of every key.

pull never writes over a local edit: a file (or set folder) that holds neither App Store
Connect's value nor what was last synced is left alone and reported as a conflict (exit 4),
and so is, in a collection that is not active, any file that differs from App Store Connect.
--force takes App Store Connect's value for those too (so does resolve KEY --keep remote).`,
		Example: `  storesyncer pull
  storesyncer pull --into snapshot-2025-06
  storesyncer pull --force          # drop local edits, take App Store Connect's values`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			return runCommand(cmd.Context(), g, &command.Pull{App: bundle, Into: into, Force: force}, commandOptions{})
		},
	}
	cmd.Flags().StringVar(&into, "into", "", "the collection to pull into (default: the active one)")
	cmd.Flags().BoolVar(&force, "force", false, "write App Store Connect's values over local edits too")
	return cmd
}
