package main

// This file holds commands whose owners have not written them yet. Each owner moves its
// command into a file of its own (one file per command) and deletes it here.

import (
	"errors"

	"github.com/spf13/cobra"
)

func notYet(use, short string) *cobra.Command {
	return &cobra.Command{
		Use:    use,
		Short:  short,
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return failure("not_implemented", "", errors.New(use+" is not implemented yet"))
		},
	}
}

func newInitCmd(*globals) *cobra.Command     { return notYet("init", "Write a commented config") }
func newValidateCmd(*globals) *cobra.Command { return notYet("validate", "Check a collection") }
func newTemplateCmd(*globals) *cobra.Command { return notYet("template", "Write a template file") }
func newImportCmd(*globals) *cobra.Command   { return notYet("import", "Merge into a collection") }
func newExportCmd(*globals) *cobra.Command   { return notYet("export", "Export a collection") }
func newDoctorCmd(*globals) *cobra.Command   { return notYet("doctor", "Check the set-up") }
func newSimulatorCmd(*globals) *cobra.Command {
	return notYet("simulator", "Run the App Store Connect simulator")
}
func newAppsCmd(*globals) *cobra.Command        { return notYet("apps", "Manage apps") }
func newVersionsCmd(*globals) *cobra.Command    { return notYet("versions", "Manage versions") }
func newCollectionsCmd(*globals) *cobra.Command { return notYet("collections", "Manage collections") }
func newPlanCmd(*globals) *cobra.Command        { return notYet("plan", "Show what a push would do") }
func newPushCmd(*globals) *cobra.Command        { return notYet("push", "Sync now") }
func newPullCmd(*globals) *cobra.Command        { return notYet("pull", "Pull App Store Connect") }
func newResolveCmd(*globals) *cobra.Command     { return notYet("resolve", "Settle conflicts") }
func newRunCmd(*globals) *cobra.Command         { return notYet("run", "Run the daemon") }
func newServiceCmd(*globals) *cobra.Command     { return notYet("service", "Manage the OS service") }
func newStatusCmd(*globals) *cobra.Command      { return notYet("status", "Ask the daemon") }
func newQueueCmd(*globals) *cobra.Command       { return notYet("queue", "Ask the daemon") }
func newHistoryCmd(*globals) *cobra.Command     { return notYet("history", "Ask the daemon") }
func newDemoCmd(*globals) *cobra.Command        { return notYet("demo", "Run the demo") }
