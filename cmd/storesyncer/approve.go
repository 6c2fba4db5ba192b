package main

import (
	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/command"
)

func newApproveCmd(g *globals) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "approve KEY...|--all",
		Short: "Release the uploads that wait for approval",
		Long: `approve releases the app's jobs that wait for approval ([sync] auto = false, or a change
bigger than approve_over): the jobs that change the given keys, or all of them with --all.
While a daemon runs it asks the daemon, which uploads them next; without one it releases
them in the state, and the daemon uploads them when it starts. storesyncer queue says why
each job waits.
A key is LOCALE/FIELD (de-DE/keyword) or LOCALE/screenshot|preview/TYPE.`,
		Example: `  storesyncer approve --all
  storesyncer approve de-DE/keyword ja/screenshot/APP_IPHONE_67`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) > 0) {
				return usageError("usage", "", "give the keys to approve or --all (not both)")
			}
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			return runCommand(cmd.Context(), g, &command.Approve{App: bundle, Keys: args}, commandOptions{})
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "approve every waiting job of the app")
	return cmd
}
