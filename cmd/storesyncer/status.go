package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// This file holds the commands that only read the running daemon: status, queue, history.

func newStatusCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show what the running daemon is doing",
		Long: `Status asks the running daemon for its apps (target version, state, active collection,
last sync), its queue, the problems of the watched collections and the conflicts that need a
decision.`,
		Example: "  storesyncer status\n  storesyncer status --app com.example.app --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := dialDaemon(g)
			if err != nil {
				return err
			}
			st, err := d.client.Status(cmd.Context())
			if err != nil {
				return d.fail(err)
			}
			if g.app != "" {
				if st, err = filterStatus(st, g.app); err != nil {
					return err
				}
			}
			if g.json {
				return writeJSON(g.stdout, st)
			}
			return printStatus(g.stdout, st, g.now())
		},
	}
}

func newQueueCmd(g *globals) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:     "queue",
		Short:   "List the running daemon's jobs",
		Example: "  storesyncer queue\n  storesyncer queue --app com.example.app --limit 10 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 0 {
				return usageError("usage", "", "--limit must be 0 (all) or more, not %d", limit)
			}
			d, err := dialDaemon(g)
			if err != nil {
				return err
			}
			jobs, err := d.client.Jobs(cmd.Context())
			if err != nil {
				return d.fail(err)
			}
			jobs = slices.DeleteFunc(jobs, func(j statusapi.Job) bool { return g.app != "" && j.App != g.app })
			if limit > 0 && len(jobs) > limit {
				jobs = jobs[:limit]
			}
			if g.json {
				return writeJSON(g.stdout, statusapi.JobList{Jobs: emptyIfNil(jobs)})
			}
			return printJobs(g.stdout, jobs, g.now())
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 0, "show at most N jobs (0: all)")
	return cmd
}

func newHistoryCmd(g *globals) *cobra.Command {
	var (
		limit  int
		before int64
		member string
	)
	cmd := &cobra.Command{
		Use:     "history",
		Short:   "List what the running daemon did, newest first",
		Example: "  storesyncer history\n  storesyncer history --app com.example.app --limit 50\n  storesyncer history --before 120 --json\n  storesyncer history --member Dana",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 1 {
				return usageError("usage", "", "--limit must be 1 or more, not %d", limit)
			}
			if before < 0 {
				return usageError("usage", "", "--before must be an entry id, not %d", before)
			}
			d, err := dialDaemon(g)
			if err != nil {
				return err
			}
			entries, err := d.client.HistoryOf(cmd.Context(), g.app, member, limit, before)
			if err != nil {
				return d.fail(err)
			}
			if g.json {
				return writeJSON(g.stdout, statusapi.HistoryList{Entries: emptyIfNil(entries)})
			}
			return printHistory(g.stdout, entries)
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 20, "show at most N entries")
	cmd.Flags().Int64Var(&before, "before", 0, "show entries older than this entry id (for paging)")
	cmd.Flags().StringVar(&member, "member", "", `show only what this member did ("local": edits saved in the folder; "web": changes found on App Store Connect)`)
	return cmd
}

// daemonConn is a client for the daemon of the config's state dir.
type daemonConn struct {
	client    *statusapi.Client
	stateDir  string
	listen    string
	tokenFile string
}

// dialDaemon reads the config and makes a client for its [api] address and token file. It
// does not contact the daemon.
func dialDaemon(g *globals) (*daemonConn, error) {
	if d, err := loginConn(g); d != nil || err != nil {
		return d, err
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return nil, err
	}
	return newDaemonConn(cfg)
}

func newDaemonConn(cfg *config.Config) (*daemonConn, error) {
	tokenFile := cfg.API.TokenFile
	if tokenFile == "" {
		tokenFile = filepath.Join(cfg.Daemon.StateDir, config.TokenFileName)
	}
	cc := statusapi.ClientConfig{Listen: cfg.API.Listen, TokenFile: tokenFile}
	if cfg.API.TLS() {
		// The daemon's certificate, generated or from the config, is pinned by its fingerprint.
		cert, _ := cfg.API.TLSFiles(cfg.Daemon.StateDir)
		fp, err := statusapi.CertFingerprint(cert)
		if err != nil {
			fp = "-" // no certificate yet: no daemon ever ran with TLS; the dial fails as not running
		}
		cc.Fingerprint = fp
	}
	c, err := statusapi.NewClient(cc)
	if err != nil {
		return nil, usageError("config.invalid", cfg.Path, "[api]: %v", err)
	}
	return &daemonConn{client: c, stateDir: cfg.Daemon.StateDir, listen: cfg.API.Listen, tokenFile: tokenFile}, nil
}

// fail turns a client error into the CLI error a user can act on.
func (d *daemonConn) fail(err error) error {
	var ae *statusapi.Error
	switch {
	case errors.Is(err, statusapi.ErrNotRunning):
		return failure("daemon.not_running", "", fmt.Errorf("no daemon is running for state dir %s: start it with `storesyncer run` or `storesyncer service start`", d.stateDir))
	case errors.As(err, &ae) && ae.Status == 403:
		return failure(ae.Code, "", errors.New(ae.Message))
	case errors.As(err, &ae) && ae.Status == 401:
		return failure("daemon.unauthorized", d.tokenFile, fmt.Errorf("the daemon at %s refused the token in %s: is it running with another state dir or config?", d.listen, d.tokenFile))
	case errors.Is(err, context.Canceled):
		return failure("interrupted", "", err)
	default:
		return failure("daemon.error", "", fmt.Errorf("ask the daemon at %s: %w", d.listen, err))
	}
}

// filterStatus keeps only app's part of st. An app the daemon does not sync is a usage error
// that lists the ones it does.
func filterStatus(st statusapi.Status, app string) (statusapi.Status, error) {
	i := slices.IndexFunc(st.Apps, func(a statusapi.AppStatus) bool { return a.BundleID == app })
	if i < 0 {
		var ids []string
		for _, a := range st.Apps {
			ids = append(ids, a.BundleID)
		}
		if len(ids) == 0 {
			return st, usageError("app.unknown", "", "the daemon syncs no apps, so not %s: add it with `storesyncer apps add --bundle-id %s`", app, app)
		}
		return st, usageError("app.unknown", "", "the daemon does not sync %s; it syncs: %s", app, strings.Join(ids, ", "))
	}
	st.Apps = st.Apps[i : i+1]
	st.Problems = slices.DeleteFunc(slices.Clone(st.Problems), func(p statusapi.Problem) bool { return p.App != app })
	st.Conflicts = slices.DeleteFunc(slices.Clone(st.Conflicts), func(c statusapi.Conflict) bool { return c.App != app })
	return st, nil
}

// printStatus writes the compact human summary of st.
func printStatus(w io.Writer, st statusapi.Status, now time.Time) error {
	p := &linePrinter{w: w}
	head := "daemon running"
	if st.Version != "" {
		head += " (" + st.Version + ")"
	}
	if !st.StartedAt.IsZero() {
		head += ", up " + since(now, st.StartedAt)
	}
	if st.StateDir != "" {
		head += ", state dir " + st.StateDir
	}
	p.line(head)
	if st.TLSFingerprint != "" {
		p.line("api TLS certificate SHA-256 " + st.TLSFingerprint)
	}
	if st.Paused {
		p.line("PAUSED: uploads are held until the daemon is resumed")
	}
	wt := st.Watcher
	watch := "watcher: up"
	if !wt.Up {
		watch = "watcher: DOWN (changes are found by rescans only)"
	}
	watch += fmt.Sprintf(", %s, %s pending", countNoun(wt.WatchedDirs, "folder"), countNoun(wt.PendingPaths, "path"))
	if wt.LastRescan != nil {
		watch += ", last rescan " + since(now, *wt.LastRescan) + " ago"
	}
	p.line(watch)
	if wt.Error != "" {
		p.line("  " + wt.Error)
	}
	if rl := st.RateLimit; rl.Known {
		line := fmt.Sprintf("rate limit: %d of %d requests left", rl.Remaining, rl.Limit)
		if rl.ResetHint != "" {
			line += " (" + rl.ResetHint + ")"
		}
		p.line(line)
	}
	q := st.Queue
	p.line(fmt.Sprintf("queue: %d pending, %d in flight, %d failed, %d held", q.Pending, q.InFlight, q.Failed, q.Held))
	for _, w := range q.Waiting {
		p.line(fmt.Sprintf("  %d waiting (%s): %s", w.Jobs, w.For, w.Why))
	}
	if len(st.Apps) == 0 {
		p.line("")
		p.line("no apps: add one with `storesyncer apps add --bundle-id ID`")
	}
	for _, a := range st.Apps {
		p.line("")
		printApp(p, a, st, now)
	}
	// Problems and conflicts of apps the daemon no longer lists still deserve a line.
	known := map[string]bool{}
	for _, a := range st.Apps {
		known[a.BundleID] = true
	}
	for _, pr := range st.Problems {
		if !known[pr.App] {
			p.line(fmt.Sprintf("%s: %s", pr.App, problemLine(pr)))
		}
	}
	for _, c := range st.Conflicts {
		if !known[c.App] {
			p.line(fmt.Sprintf("%s: conflict %s: %s", c.App, c.Key, c.Reason))
		}
	}
	return p.err
}

func printApp(p *linePrinter, a statusapi.AppStatus, st statusapi.Status, now time.Time) {
	p.line(fmt.Sprintf("%s (%s)", a.BundleID, a.Platform))
	version := "version unknown"
	if a.TargetVersion != "" {
		version = "version " + a.TargetVersion
		if a.VersionState != "" {
			version += " " + a.VersionState
		}
	}
	sync := "never synced"
	if a.LastSync != nil {
		sync = "last sync " + since(now, *a.LastSync) + " ago"
	}
	p.line(fmt.Sprintf("  %s, collection %s, %s", version, a.ActiveCollection, sync))
	if a.Paused {
		p.line("  paused")
	}
	if a.AwaitingApproval > 0 {
		p.line(fmt.Sprintf("  %s wait for approval", countNoun(a.AwaitingApproval, "operation")))
	}
	if l := a.Lease; l != nil && !l.Ours {
		p.line(fmt.Sprintf("  held by %s (pid %d, heartbeat %s ago): this daemon does not sync it", l.Host, l.PID, since(now, l.Heartbeat)))
	}
	if a.Error != "" {
		p.line("  " + a.Error)
	}
	var probs []statusapi.Problem
	for _, pr := range st.Problems {
		if pr.App == a.BundleID {
			probs = append(probs, pr)
		}
	}
	if len(probs) > 0 {
		p.line("  problems:")
		for _, pr := range probs {
			p.line("    " + problemLine(pr))
		}
	}
	var conflicts []statusapi.Conflict
	for _, c := range st.Conflicts {
		if c.App == a.BundleID {
			conflicts = append(conflicts, c)
		}
	}
	if len(conflicts) > 0 {
		p.line("  conflicts:")
		for _, c := range conflicts {
			p.line(fmt.Sprintf("    %s: %s", c.Key, c.Reason))
		}
		p.line(fmt.Sprintf("    decide with `storesyncer resolve --app %s KEY --keep local|remote` (or --all)", a.BundleID))
	}
}

// problemLine is "path: severity: code: message", as validate prints it.
func problemLine(pr statusapi.Problem) string {
	path := pr.Path
	if pr.Collection != "" && path != "" && !filepath.IsAbs(path) {
		path = pr.Collection + "/" + path
	}
	return fmt.Sprintf("%s: %s: %s: %s", path, pr.Severity, pr.Code, pr.Message)
}

// printJobs writes the queue as a table.
func printJobs(w io.Writer, jobs []statusapi.Job, now time.Time) error {
	if len(jobs) == 0 {
		_, err := fmt.Fprintln(w, "the queue is empty")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tTRIES\tAPP\tRESOURCE\tKEYS\tNEXT\tWAITS FOR / LAST ERROR")
	for _, j := range jobs {
		next := "-"
		if j.NextAttemptAt != nil {
			if d := j.NextAttemptAt.Sub(now); d > 0 {
				next = "in " + roundForReading(d).String()
			} else {
				next = "now"
			}
		}
		why := singleLine(j.LastError)
		if j.WaitingFor != "" {
			why = j.WaitingFor + ": " + singleLine(j.Why)
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", j.ID, j.State, j.Attempts, j.App, j.Resource, jobKeys(j.Keys), next, why)
	}
	return tw.Flush()
}

// printHistory writes history entries as a table, times in the local zone.
func printHistory(w io.Writer, entries []statusapi.HistoryEntry) error {
	if len(entries) == 0 {
		_, err := fmt.Fprintln(w, "no history")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIME\tAPP\tMEMBER\tACTION\tRESULT\tCALLS\tKEYS\tERROR")
	for _, e := range entries {
		keys := jobKeys(e.Keys)
		if keys == "-" && e.Resource != "" {
			keys = e.Resource
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", e.ID, e.Time.Local().Format(time.DateTime), e.App, orDash(e.Member), e.Action, e.Result, e.Calls, keys, singleLine(e.Error))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if last := entries[len(entries)-1]; last.ID > 1 {
		_, err := fmt.Fprintf(w, "older: storesyncer history --before %d\n", last.ID)
		return err
	}
	return nil
}

// linePrinter writes lines and keeps the first error.
type linePrinter struct {
	w   io.Writer
	err error
}

func (p *linePrinter) line(s string) {
	if p.err == nil {
		_, p.err = fmt.Fprintln(p.w, s)
	}
}

func jobKeys(keys []string) string {
	switch len(keys) {
	case 0:
		return "-"
	case 1, 2, 3:
		return strings.Join(keys, ",")
	default:
		return fmt.Sprintf("%s,… (%d keys)", strings.Join(keys[:2], ","), len(keys))
	}
}

func singleLine(s string) string {
	if s == "" {
		return "-"
	}
	return strings.Join(strings.Fields(s), " ")
}

func countNoun(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// age is how long ago t was, rounded for reading ("3m20s", "2h5m", "4d").
func since(now, t time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		d = 0
	}
	if d >= 48*time.Hour {
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
	return roundForReading(d).String()
}

func roundForReading(d time.Duration) time.Duration {
	switch {
	case d >= time.Hour:
		return d.Round(time.Minute)
	default:
		return d.Round(time.Second)
	}
}

func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// orDash shows an empty cell as "-".
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
