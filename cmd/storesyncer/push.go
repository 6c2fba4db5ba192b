package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/engine"
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
			bundle, err := currentApp(g)
			if err != nil {
				return err
			}
			p := newPushProgress(g)
			defer p.finish()
			return runCommand(cmd.Context(), g, &command.Push{App: bundle, Only: string(o), Prune: prune, Yes: yes},
				commandOptions{progress: p.report, confirm: func(pr *engine.PlanResult) bool { return confirmPrune(g, pr) }})
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
			progressbar.OptionSetDescription(fmt.Sprintf("pushing 0/%d key(s)", ev.Items))}
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
			p.bar.Describe(fmt.Sprintf("pushing %d/%d key(s)", p.items, p.nItems))
			if !p.bytes {
				_ = p.bar.Add(1)
			}
			return
		}
		if ev.Phase == engine.PhaseFailed {
			fmt.Fprintf(p.g.stderr, "failed %s: %v\n", ev.Key, ev.Err)
		} else {
			fmt.Fprintf(p.g.stderr, "%s %s\n", engine.PastTense(ev.Kind), ev.Key)
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
