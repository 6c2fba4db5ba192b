package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/statusapi"
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
			side := plan.Side(keep)
			if side != plan.KeepLocal && side != plan.KeepRemote {
				return usageError("usage", "", "--keep must be local or remote")
			}
			if all == (len(args) > 0) {
				return usageError("usage", "", "give the keys to resolve or --all (not both)")
			}
			keys := make([]plan.Key, 0, len(args))
			for _, a := range args {
				k, err := plan.ParseKey(a)
				if err != nil {
					return usageError("usage", "", "%v", err)
				}
				keys = append(keys, k)
			}
			ctx := cmd.Context()
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			if ok, err := viaDaemon(ctx, g, func(c *statusapi.Client) (statusapi.OpResult, error) {
				return c.Resolve(ctx, statusapi.ResolveRequest{App: bundle, Keys: args, All: all, Keep: keep})
			}); ok {
				return err
			}
			s, app, err := openApp(g, openSession)
			if err != nil {
				return err
			}
			defer s.Close()
			res, err := s.eng.Resolve(ctx, app.BundleID, keys, side)
			if err != nil {
				return engineError(err)
			}
			if g.json {
				out := map[string]any{"keep": keep, "resolved": engine.Outcomes(res.Resolved), "failed": engine.FailureOutcomes(res.Failed)}
				if err := writeJSON(g.stdout, out); err != nil {
					return err
				}
			} else {
				if len(res.Resolved)+len(res.Failed) == 0 {
					fmt.Fprintln(g.stdout, "no key is in conflict")
				}
				for _, op := range res.Resolved {
					what := "the next push sends the local value"
					if side == plan.KeepRemote {
						what = "the remote value is in the collection"
					}
					fmt.Fprintf(g.stdout, "resolved  %s (%s): %s\n", op.Key, op.Reason, what)
				}
				for _, f := range res.Failed {
					fmt.Fprintf(g.stdout, "failed    %s: %v\n", f.Op.Key, f.Err)
				}
			}
			if len(res.Failed) > 0 {
				return &cliError{Exit: exitFailure, Code: "resolve.failed", Silent: true, Err: fmt.Errorf("%d key(s) failed", len(res.Failed))}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "settle every conflict")
	cmd.Flags().StringVar(&keep, "keep", "", "local or remote")
	return cmd
}
