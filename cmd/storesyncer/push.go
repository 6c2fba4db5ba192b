package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

func newPushCmd(g *globals) *cobra.Command {
	var only string
	var yes, prune bool
	cmd := &cobra.Command{
		Use:   "push",
		Short: "Sync now: make App Store Connect match the active collection",
		Long: `push plans like plan and executes the plan: local changes go to App Store Connect (one
PATCH per localization, only the screenshots that changed), web-side text changes are
written into the files, conflicts are held. Exit 4 when a conflict is held (settle it with
resolve), 3 when a key is held by a validation error, 1 when a key failed.

--prune also deletes remote localizations and sets the collection lacks (never of the
primary locale); it asks first unless --yes.`,
		Example: `  storesyncer push
  storesyncer push --only text
  storesyncer push --prune --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := parseOnly(only)
			if err != nil {
				return err
			}
			if prune && !yes && g.json {
				return usageError("usage", "", "push --prune --json needs --yes (there is no one to ask)")
			}
			ctx := cmd.Context()
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			if ok, err := viaDaemon(ctx, g, func(c *statusapi.Client) (statusapi.OpResult, error) {
				return c.Push(ctx, statusapi.PushRequest{App: bundle, Only: string(o), Prune: prune, Yes: yes})
			}); ok {
				return err
			}
			s, err := openSession(g)
			if err != nil {
				return err
			}
			defer s.Close()
			app, err := s.app(g)
			if err != nil {
				return err
			}
			p := newPushProgress(g)
			opts := engine.PushOptions{Only: o, Prune: prune, Progress: p.report}
			if prune && !yes {
				opts.Confirm = func(pr *engine.PlanResult) bool { return confirmPrune(g, pr) }
			}
			res, err := s.eng.Push(ctx, app.BundleID, opts)
			p.finish()
			if err != nil {
				if res != nil && err == engine.ErrNotConfirmed {
					return &cliError{Exit: exitFailure, Code: "push.not_confirmed", Err: err}
				}
				return engineError(err)
			}
			if g.json {
				if err := writeJSON(g.stdout, pushJSON(res)); err != nil {
					return err
				}
			} else {
				printPlanProblems(g.stderr, res.Plan)
				printPush(g.stdout, res)
			}
			return pushExit(res)
		},
	}
	cmd.Flags().StringVar(&only, "only", "all", "text, media or all")
	cmd.Flags().BoolVar(&yes, "yes", false, "do not ask before --prune deletes")
	cmd.Flags().BoolVar(&prune, "prune", false, "also delete remote localizations and sets the collection lacks (never the primary locale)")
	return cmd
}

// confirmPrune lists what --prune deletes and asks on stdin; anything but y/yes declines.
func confirmPrune(g *globals, pr *engine.PlanResult) bool {
	dels := pr.Deletes()
	fmt.Fprintf(g.stderr, "push --prune deletes %d remote key(s):\n", len(dels))
	for _, op := range dels {
		fmt.Fprintf(g.stderr, "  %s (%s)\n", op.Key, op.Reason)
	}
	fmt.Fprint(g.stderr, "Delete them? [y/N] ")
	line, _ := bufio.NewReader(g.stdin).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}

// pushProgress shows a push's progress: a bar on a terminal (bytes while there are uploads,
// items otherwise), plain lines elsewhere, nothing with --json.
type pushProgress struct {
	g   *globals
	tty bool

	mu            sync.Mutex
	bar           *progressbar.ProgressBar
	bytes         bool
	items, nItems int
}

func newPushProgress(g *globals) *pushProgress {
	f, ok := g.stderr.(*os.File)
	return &pushProgress{g: g, tty: ok && term.IsTerminal(int(f.Fd()))}
}

func (p *pushProgress) report(ev engine.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.g.json {
		return
	}
	switch ev.Phase {
	case engine.PhaseStart:
		p.nItems = ev.Items
		if !p.tty || ev.Items == 0 {
			return
		}
		opts := []progressbar.Option{progressbar.OptionSetWriter(p.g.stderr), progressbar.OptionClearOnFinish(),
			progressbar.OptionSetDescription(fmt.Sprintf("pushing 0/%d", ev.Items))}
		if ev.Bytes > 0 {
			p.bytes = true
			p.bar = progressbar.NewOptions64(ev.Bytes, append(opts, progressbar.OptionShowBytes(true))...)
		} else {
			p.bar = progressbar.NewOptions(ev.Items, append(opts, progressbar.OptionShowCount())...)
		}
	case engine.PhaseUploaded:
		if p.bar != nil && p.bytes {
			_ = p.bar.Add64(ev.Bytes)
		} else if !p.tty {
			fmt.Fprintf(p.g.stderr, "uploaded %s (%s)\n", ev.FileName, ev.Key)
		}
	case engine.PhaseDone, engine.PhaseFailed:
		p.items++
		if p.bar != nil {
			p.bar.Describe(fmt.Sprintf("pushing %d/%d", p.items, p.nItems))
			if !p.bytes {
				_ = p.bar.Add(1)
			}
			return
		}
		if ev.Phase == engine.PhaseFailed {
			fmt.Fprintf(p.g.stderr, "failed %s: %v\n", ev.Key, ev.Err)
		} else {
			fmt.Fprintf(p.g.stderr, "%s %s\n", pastTense(ev.Kind), ev.Key)
		}
	}
}

func (p *pushProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}

func pastTense(k plan.Kind) string {
	switch k {
	case plan.Create:
		return "created"
	case plan.Update:
		return "updated"
	case plan.Delete:
		return "deleted"
	case plan.Reorder:
		return "reordered"
	case plan.Pull:
		return "pulled"
	}
	return string(k)
}

// pushOutput is push's --json document.
type pushOutput struct {
	App       string        `json:"app"`
	Version   string        `json:"version"`
	Pushed    []keyOutcome  `json:"pushed"`
	Pulled    []keyOutcome  `json:"pulled"`
	Failed    []keyOutcome  `json:"failed"`
	Conflicts []keyOutcome  `json:"conflicts"`
	Held      []keyOutcome  `json:"held"`
	Calls     int           `json:"calls"`
	Uploaded  int64         `json:"uploaded_bytes"`
	Warnings  []string      `json:"warnings"`
	Problems  []problemJSON `json:"problems"`
}

type keyOutcome struct {
	Key    plan.Key  `json:"key"`
	Kind   plan.Kind `json:"kind"`
	Reason string    `json:"reason,omitempty"`
	Error  string    `json:"error,omitempty"`
}

type problemJSON struct {
	Path     string `json:"path"`
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

func outcomes(ops []plan.Op) []keyOutcome {
	out := make([]keyOutcome, 0, len(ops))
	for _, op := range ops {
		out = append(out, keyOutcome{Key: op.Key, Kind: op.Kind, Reason: op.Reason})
	}
	return out
}

func pushJSON(res *engine.PushResult) pushOutput {
	out := pushOutput{App: res.Plan.App.BundleID, Version: res.Plan.Snapshot.Version.String,
		Pushed: outcomes(res.Pushed), Pulled: outcomes(res.Pulled), Conflicts: outcomes(res.Conflicts),
		Held: outcomes(res.Held), Failed: []keyOutcome{}, Calls: res.Calls, Uploaded: res.Uploaded,
		Warnings: emptyIfNil(res.Plan.Warnings), Problems: []problemJSON{}}
	for _, f := range res.Failed {
		out.Failed = append(out.Failed, keyOutcome{Key: f.Op.Key, Kind: f.Op.Kind, Reason: f.Op.Reason, Error: f.Err.Error()})
	}
	for _, p := range res.Plan.Problems {
		out.Problems = append(out.Problems, problemJSON{Path: p.Path, Code: p.Code, Severity: string(p.Severity), Message: p.Message})
	}
	return out
}

func printPush(w io.Writer, res *engine.PushResult) {
	for _, op := range res.Pushed {
		fmt.Fprintf(w, "%-9s %s\n", pastTense(op.Kind), op.Key)
	}
	for _, op := range res.Pulled {
		fmt.Fprintf(w, "pulled    %s (%s)\n", op.Key, op.Reason)
	}
	for _, f := range res.Failed {
		fmt.Fprintf(w, "failed    %s: %v\n", f.Op.Key, f.Err)
	}
	for _, op := range res.Conflicts {
		fmt.Fprintf(w, "conflict  %s (%s): storesyncer resolve %s --keep local|remote\n", op.Key, op.Reason, op.Key)
	}
	for _, op := range res.Held {
		fmt.Fprintf(w, "held      %s (%s)\n", op.Key, op.Reason)
	}
	if len(res.Pushed)+len(res.Pulled)+len(res.Failed) == 0 {
		fmt.Fprintf(w, "nothing to push: App Store Connect matches %s", res.Plan.Collection)
		if n := len(res.Conflicts) + len(res.Held); n > 0 {
			fmt.Fprintf(w, " except %d key(s) above", n)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "total: %d pushed, %d pulled, %d failed, %d conflict(s), %d held; %d API call(s), %d byte(s) uploaded\n",
		len(res.Pushed), len(res.Pulled), len(res.Failed), len(res.Conflicts), len(res.Held), res.Calls, res.Uploaded)
}

// pushExit: 1 when a key failed, else 4 with a held conflict, else 3 with a validation error.
func pushExit(res *engine.PushResult) error {
	if len(res.Failed) > 0 {
		return &cliError{Exit: exitFailure, Code: "push.failed", Silent: true,
			Err: fmt.Errorf("%d key(s) failed", len(res.Failed))}
	}
	return planExit(res.Plan.Plan.Ops, res.Plan.Problems)
}
