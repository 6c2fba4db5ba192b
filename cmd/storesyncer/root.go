package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// globals holds what every command shares: the global flags and the process's I/O.
type globals struct {
	configPath string
	app        string
	json       bool

	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
	logger *slog.Logger
}

// run builds the command tree, runs it with args and returns the error that decides the exit
// code. It never calls os.Exit.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now}
	g.logger = newLogger(stderr, "info", "")
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err != nil {
		var ce *cliError
		if !errors.As(err, &ce) {
			// cobra's own errors (unknown flag, wrong arguments) are usage errors.
			if isCobraUsage(err) {
				err = &cliError{Exit: exitUsage, Code: "usage", Err: err}
			}
		}
		reportError(stdout, stderr, g.json, err)
	}
	return err
}

func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires ", "invalid argument", "flag needs an argument", "required flag"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func newRootCmd(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "storesyncer",
		Short: "Keep an app's App Store product page in step with a folder on disk",
		Long: `StoreSyncer keeps App Store metadata — names, descriptions, keywords, screenshots and
previews in every language — in a plain folder, validates it against Apple's rules and
uploads exactly what changed through the App Store Connect API.`,
		Example: `  storesyncer demo                 # try everything against the built-in simulator
  storesyncer validate ./main      # check a collection folder
  storesyncer template -o new.zip  # a template file to fill in`,
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("{{.Version}}\n")
	pf := root.PersistentFlags()
	pf.StringVar(&g.configPath, "config", "", "config file (default $STORESYNCER_CONFIG, else the OS config dir's storesyncer/config.toml)")
	pf.StringVar(&g.app, "app", "", "bundle ID of the app to work on (default: the only app, or the one whose folder holds the current directory)")
	pf.BoolVar(&g.json, "json", false, "print machine-readable JSON")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &cliError{Exit: exitUsage, Code: "usage", Err: err}
	})

	root.AddCommand(
		// Collections on disk (no App Store Connect needed).
		newInitCmd(g),
		newValidateCmd(g),
		newTemplateCmd(g),
		newImportCmd(g),
		newExportCmd(g),
		// App Store Connect.
		newDoctorCmd(g),
		newSimulatorCmd(g),
		newAppsCmd(g),
		newVersionsCmd(g),
		newCollectionsCmd(g),
		newPlanCmd(g),
		newPushCmd(g),
		newPullCmd(g),
		newResolveCmd(g),
		newApproveCmd(g),
		newPauseCmd(g),
		newResumeCmd(g),
		newRescanCmd(g),
		newJobsCmd(g),
		newMembersCmd(g),
		newLoginCmd(g),
		// The daemon.
		newRunCmd(g),
		newServiceCmd(g),
		newStatusCmd(g),
		newQueueCmd(g),
		newHistoryCmd(g),
		newDashboardCmd(g),
		newDemoCmd(g),
		newVersionCmd(g),
		newCompletionCmd(g),
		newManCmd(g),
	)
	root.CompletionOptions.DisableDefaultCmd = true // newCompletionCmd, with per-shell help
	registerCompletions(g, root)
	return root
}
