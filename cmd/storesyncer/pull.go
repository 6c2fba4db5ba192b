package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/statusapi"
)

func newPullCmd(g *globals) *cobra.Command {
	var into string
	cmd := &cobra.Command{
		Use:   "pull [--into COLLECTION]",
		Short: "Write App Store Connect's state into a collection (made if absent)",
		Long: `pull reads the target version and writes every text into its file and every set's
screenshots and previews into its folder (named 01_…, 02_… in order), replacing what the
folders held. Local text files of fields that are empty on App Store Connect are kept.
Pulled images are re-encoded by Apple; their checksums are recorded in the collection's
.storesyncer/ folder, so pushing them back uploads nothing.

Without --into it pulls into the active collection and also records what it pulled as the
base of every key.`,
		Example: `  storesyncer pull
  storesyncer pull --into snapshot-2025-06`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			if ok, err := viaDaemon(ctx, g, func(c *statusapi.Client) (statusapi.OpResult, error) {
				return c.Pull(ctx, statusapi.PullRequest{App: bundle, Into: into})
			}); ok {
				return err
			}
			s, app, err := openApp(g, openSession)
			if err != nil {
				return err
			}
			defer s.Close()
			res, err := s.eng.Pull(ctx, app.BundleID, into)
			if err != nil {
				return engineError(err)
			}
			if g.json {
				return writeJSON(g.stdout, map[string]any{"app": app.BundleID, "collection": res.Collection, "dir": res.Dir,
					"created": res.Created, "version": res.Version.String, "texts": emptyIfNil(res.Texts), "sets": emptyIfNil(res.Sets),
					"unchanged": res.Unchanged, "downloaded_bytes": res.Downloaded, "calls": res.Calls, "bases": res.Bases})
			}
			for _, k := range res.Texts {
				fmt.Fprintf(g.stdout, "pulled    %s\n", k)
			}
			for _, k := range res.Sets {
				fmt.Fprintf(g.stdout, "pulled    %s\n", k)
			}
			made := ""
			if res.Created {
				made = " (new)"
			}
			fmt.Fprintf(g.stdout, "pulled version %s into %s%s: %d text(s) and %d set(s) written, %d unchanged; %d API call(s), %d byte(s) downloaded\n",
				res.Version.String, res.Dir, made, len(res.Texts), len(res.Sets), res.Unchanged, res.Calls, res.Downloaded)
			return nil
		},
	}
	cmd.Flags().StringVar(&into, "into", "", "the collection to pull into (default: the active one)")
	return cmd
}
