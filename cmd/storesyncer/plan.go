package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/state"
)

func newPlanCmd(g *globals) *cobra.Command {
	var only string
	var all bool
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what a push would do, key by key, with the API calls it needs",
		Long: `plan compares the active collection with App Store Connect and the last synced state
(the base) and prints one line per key: what a push would do, why, and what it costs in API
calls, then the totals (keys already in sync are counted, and listed with --all). It writes
nothing to the collection or App Store Connect; in the state it only records the base of keys
it finds in sync (so a later web edit of them is pulled, not a conflict). While a daemon runs
it reads the state beside it.

Exit codes: 4 when a key is in conflict (settle it with resolve), 3 when a key is held
because of a validation error, 0 otherwise.`,
		Example: `  storesyncer plan
  storesyncer plan --only text
  storesyncer plan --all            # also list the keys that are in sync
  storesyncer plan --json | jq '.ops[] | select(.kind != "in_sync")'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := parseOnly(only)
			if err != nil {
				return err
			}
			s, app, err := openApp(g, openReadSession)
			if err != nil {
				return err
			}
			defer s.Close()
			pr, err := s.eng.Plan(cmd.Context(), app.BundleID, engine.PlanOptions{Only: o, Full: true})
			if err != nil {
				return engineError(err)
			}
			// Keys seen in sync get their base (beside a daemon the state is read-only: the
			// daemon records them itself).
			if err := s.eng.RecordSeen(cmd.Context(), pr); err != nil && !errors.Is(err, state.ErrReadOnly) {
				g.logger.Warn("record the bases of keys in sync", "error", err)
			}
			if g.json {
				if err := writeJSON(g.stdout, planJSON(pr)); err != nil {
					return err
				}
			} else {
				printPlanProblems(g.stderr, pr)
				printPlan(g.stdout, pr, all)
			}
			return planExit(pr.Plan.Ops, pr.Problems)
		},
	}
	cmd.Flags().StringVar(&only, "only", "all", "text, media or all")
	cmd.Flags().BoolVar(&all, "all", false, "also list the keys that are in sync")
	return cmd
}

func parseOnly(s string) (plan.Only, error) {
	switch plan.Only(s) {
	case "", plan.OnlyAll:
		return plan.OnlyAll, nil
	case plan.OnlyText, plan.OnlyMedia:
		return plan.Only(s), nil
	}
	return "", usageError("usage", "", "unknown --only %q: want text, media or all", s)
}

// planOutput is plan's --json document.
type planOutput struct {
	App         string               `json:"app"`
	Collection  string               `json:"collection"`
	Version     planVersion          `json:"version"`
	Rebaselined bool                 `json:"rebaselined,omitempty"`
	Ops         []plan.Op            `json:"ops"`
	Unmanaged   []plan.Key           `json:"unmanaged,omitempty"`
	Calls       plan.Calls           `json:"calls"`
	Problems    []collection.Problem `json:"problems"`
	Warnings    []string             `json:"warnings"`
}

// planVersion is the target version in plan's --json document, named as in versions list.
type planVersion struct {
	ID           string `json:"id"`
	Version      string `json:"version"`
	State        string `json:"state"`
	FirstVersion bool   `json:"firstVersion"`
	Live         bool   `json:"live"`
}

func planJSON(pr *engine.PlanResult) planOutput {
	v := pr.Snapshot.Version
	return planOutput{App: pr.App.BundleID, Collection: pr.Collection,
		Version:     planVersion{ID: v.ID, Version: v.String, State: v.State, FirstVersion: v.FirstVersion, Live: v.Live},
		Rebaselined: pr.Rebaselined, Ops: emptyIfNil(pr.Plan.Ops), Unmanaged: pr.Plan.Unmanaged,
		Calls: pr.Plan.Calls(), Problems: emptyIfNil(pr.Problems), Warnings: emptyIfNil(pr.Warnings)}
}

// printPlan prints one line per key that needs something (every key with all), then the
// totals.
func printPlan(w io.Writer, pr *engine.PlanResult, all bool) {
	v := pr.Snapshot.Version
	fmt.Fprintf(w, "%s: collection %s → version %s (%s)\n", pr.App.BundleID, pr.Collection, v.String, v.State)
	if pr.Rebaselined {
		fmt.Fprintf(w, "rebaselined: target version is now %s (was %s)\n", v.String, pr.PreviousTarget.String)
	}
	counts := map[plan.Kind]int{}
	for _, op := range pr.Plan.Ops {
		counts[op.Kind]++
		if op.Kind == plan.InSync && !all {
			continue
		}
		line := fmt.Sprintf("%-9s %-44s %s", op.Kind, op.Key, op.Reason)
		if c := describeCalls(op.Calls); c != "" {
			line += " [" + c + "]"
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	var parts []string
	for _, k := range []plan.Kind{plan.Create, plan.Update, plan.Reorder, plan.Delete, plan.Pull, plan.Conflict, plan.Held, plan.InSync} {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], strings.ReplaceAll(string(k), "_", " ")))
		}
	}
	if len(parts) == 0 {
		parts = []string{"nothing managed"}
	}
	total := pr.Plan.Calls()
	calls := fmt.Sprintf("%d API call(s)", total.Total())
	if d := describeCalls(total); d != "" {
		calls += ": " + d
	}
	fmt.Fprintf(w, "total: %s; %s\n", strings.Join(parts, ", "), calls)
	if len(pr.Plan.Unmanaged) > 0 {
		fmt.Fprintf(w, "%d remote key(s) not in the collection are left alone (push --prune deletes their localizations and sets)\n", len(pr.Plan.Unmanaged))
	}
}

// describeCalls spells out the non-zero counts ("1 patch, 2 reserve").
func describeCalls(c plan.Calls) string {
	var parts []string
	for _, p := range []struct {
		n    int
		name string
	}{{c.Create, "create"}, {c.Patch, "patch"}, {c.Delete, "delete"}, {c.Reserve, "reserve"}, {c.Commit, "commit"}, {c.Poll, "poll"}, {c.Reorder, "reorder"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.name))
		}
	}
	return strings.Join(parts, ", ")
}

// printPlanProblems prints the collection's problems and the engine's warnings to w.
func printPlanProblems(w io.Writer, pr *engine.PlanResult) {
	for _, p := range pr.Problems {
		fmt.Fprintln(w, p.String())
	}
	for _, m := range pr.Warnings {
		fmt.Fprintln(w, "warning: "+m)
	}
}

// planExit is the exit a plan deserves: 4 when a key is in conflict, 3 when a key is held
// by a validation error, else 0. The details are printed already.
func planExit(ops []plan.Op, problems []collection.Problem) error {
	code := exitOK
	conflicts := 0
	for _, op := range ops {
		if op.Kind == plan.Conflict {
			conflicts++
		}
	}
	if collection.HasErrors(problems) {
		code = rankExit(code, exitValidation)
	}
	if conflicts > 0 {
		code = rankExit(code, exitConflict)
	}
	switch code {
	case exitConflict:
		return &cliError{Exit: exitConflict, Code: "conflict", Silent: true,
			Err: fmt.Errorf("%d key(s) in conflict: settle them with `storesyncer resolve KEY --keep local|remote`", conflicts)}
	case exitValidation:
		return &cliError{Exit: exitValidation, Code: "validation.failed", Silent: true,
			Err: fmt.Errorf("the collection has validation errors; those keys are held")}
	}
	return nil
}
