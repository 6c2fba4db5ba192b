package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/plan"
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
			keys := make([]string, 0, len(args))
			for _, a := range args {
				k, err := plan.ParseKey(a)
				if err != nil {
					return usageError("usage", "", "%v", err)
				}
				keys = append(keys, string(k))
			}
			ctx := cmd.Context()
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			cfg, err := loadConfig(g)
			if err != nil {
				return err
			}
			var n int
			if d, err := newDaemonConn(cfg); err == nil && d.client.Running(ctx) {
				if n, err = d.client.Approve(ctx, bundle, keys...); err != nil {
					return d.fail(err)
				}
			} else {
				s, app, err := openApp(g, openSession)
				if err != nil {
					return err
				}
				defer s.Close()
				m, err := s.store.ApproveKeys(ctx, app.BundleID, keys)
				if err != nil {
					return failure("approve", "", err)
				}
				n = int(m)
			}
			if g.json {
				return writeJSON(g.stdout, map[string]any{"app": bundle, "approved": n})
			}
			if n == 0 {
				fmt.Fprintln(g.stdout, "no job waits for approval")
				return nil
			}
			fmt.Fprintf(g.stdout, "approved %d job(s) of %s: they are uploaded next\n", n, bundle)
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "approve every waiting job of the app")
	return cmd
}
