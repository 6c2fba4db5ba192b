package main

import (
	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/command"
)

func newResolveCmd(g *globals) *cobra.Command {
	var all bool
	var keep string
	cmd := &cobra.Command{
		Use:   "resolve KEY...|--all --keep local|remote",
		Short: "Settle conflicts by keeping the local or the remote side",
		Long: `resolve settles keys in conflict (plan and push list them, with exit 4).
--keep local: the next push sends the local value over App Store Connect's.
--keep remote: App Store Connect's value is written into the collection now (a text into its
file, a set's images downloaded into its folder; a value deleted on the web removes the
file).
A key is LOCALE/FIELD (de-DE/keyword) or LOCALE/screenshot|preview/TYPE.`,
		Example: `  storesyncer resolve de-DE/keyword --keep remote
  storesyncer resolve --all --keep local && storesyncer push`,
		RunE: func(cmd *cobra.Command, args []string) error {
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			return runCommand(cmd.Context(), g, &command.Resolve{App: bundle, Keys: args, All: all, Keep: keep}, commandOptions{})
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "settle every conflict")
	cmd.Flags().StringVar(&keep, "keep", "", "local or remote")
	return cmd
}
