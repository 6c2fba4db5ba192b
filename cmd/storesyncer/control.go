package main

import (
	"strconv"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/command"
)

// This file holds the commands that steer the daemon's queue: pause, resume, rescan and jobs
// retry (approve has its own file). Without a daemon they write the state, which the daemon
// reads when it starts.

func newPauseCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "pause",
		Short:   "Hold every upload until resume (survives restarts)",
		Example: "  storesyncer pause\n  storesyncer resume",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCommand(cmd.Context(), g, &command.Pause{}, commandOptions{})
		},
	}
}

func newResumeCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "resume",
		Short:   "Release the uploads held by pause",
		Example: "  storesyncer resume",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCommand(cmd.Context(), g, &command.Resume{}, commandOptions{})
		},
	}
}

func newRescanCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "rescan",
		Short:   "Make the running daemon rescan every watched collection now",
		Example: "  storesyncer rescan",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCommand(cmd.Context(), g, &command.Rescan{}, commandOptions{})
		},
	}
}

func newJobsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "jobs",
		Short:   "Act on the daemon's jobs (storesyncer queue lists them)",
		Example: "  storesyncer jobs retry 42",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(&cobra.Command{
		Use:     "retry ID",
		Short:   "Make a failed or waiting job due now",
		Example: "  storesyncer jobs retry 42",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usageError("usage", "", "job id %q is not a positive number (storesyncer queue lists them)", args[0])
			}
			return runCommand(cmd.Context(), g, &command.JobsRetry{ID: id}, commandOptions{})
		},
	})
	return cmd
}
