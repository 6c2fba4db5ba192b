package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/daemon"
	"github.com/storesyncer/storesyncer/internal/service"
	"github.com/storesyncer/storesyncer/internal/state"
)

var _ daemon.Notifier = (*service.SystemdNotifier)(nil)

func newRunCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "Run the daemon in the foreground",
		Long: `Run the StoreSyncer daemon in the foreground until SIGTERM or Ctrl-C: it watches every
app's active collection, validates each change, queues the uploads and sends them to App Store
Connect, polls App Store Connect for web-side edits, and serves the status API and metrics.
This is what the OS service runs. A bad config exits 2, so a service manager does not
restart-loop on it.`,
		Example: "  storesyncer run\n  storesyncer run --config ~/StoreSyncer/config.toml",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(g)
			if err != nil {
				return err
			}
			logger := newLogger(g.stderr, cfg.Daemon.LogLevel, cfg.Daemon.LogFormat)
			if err := service.CheckReadable(cfg.Workspace); err != nil {
				// Shown in status too; the daemon still serves its API so the user can see why.
				logger.Error("workspace is not readable", "error", err)
			}
			dcfg := daemon.Config{Config: cfg, Logger: logger, Version: readBuildInfo().Version}
			// Under systemd (Type=notify): READY=1, STATUS= lines and watchdog pings.
			if n, every := service.NewSystemdNotifier(logger); n != nil {
				dcfg.Notifier, dcfg.NotifyInterval = n, every
			}
			d, err := daemon.New(dcfg)
			if errors.Is(err, state.ErrLocked) {
				return failure("daemon.locked", cfg.Daemon.StateDir, err)
			}
			if err != nil {
				return failure("daemon.start", "", err)
			}
			logger.Info("daemon starting", "workspace", cfg.Workspace, "state_dir", cfg.Daemon.StateDir, "api", cfg.API.Listen)
			if err := d.Run(cmd.Context()); err != nil {
				return failure("daemon.failed", "", err)
			}
			logger.Info("daemon stopped")
			return nil
		},
	}
}
