package main

import (
	"context"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/state"
)

// completeFunc completes a flag's value or a command's arguments.
type completeFunc = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective)

// fixed completes one of a fixed list of values, nothing else.
func fixed(values ...string) completeFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// flagValues are the fixed values of flags, by flag name, wherever the flag appears.
var flagValues = map[string][]string{
	"format":   {"template", "fastlane"},
	"only":     {"text", "media", "all"},
	"platform": {"IOS", "MAC_OS", "TV_OS", "VISION_OS"},
	"keep":     {"local", "remote"},
	"from":     {"live", "zip", "collection", "template"},
}

// registerCompletions teaches the shell completions the values StoreSyncer's flags and
// arguments take: fixed values, the workspace's bundle IDs for --app, the app's collection
// names for --into, --collection and the collections subcommands, and the keys in conflict
// for resolve (read from the state, never written). It also gives the completion command and
// the service subcommands examples in --help.
func registerCompletions(g *globals, root *cobra.Command) {
	_ = root.RegisterFlagCompletionFunc("app", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return bundleIDs(g), cobra.ShellCompDirectiveNoFileComp
	})
	collectionNames := func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if looksLikePath(toComplete) {
			return nil, cobra.ShellCompDirectiveFilterDirs // a folder: let the shell complete it
		}
		return appCollections(g), cobra.ShellCompDirectiveNoFileComp
	}
	firstArg := func(f completeFunc) completeFunc {
		return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return f(cmd, args, toComplete)
		}
	}
	walk(root, func(cmd *cobra.Command) {
		for name, values := range flagValues {
			if cmd.LocalFlags().Lookup(name) != nil {
				_ = cmd.RegisterFlagCompletionFunc(name, fixed(values...))
			}
		}
		for _, name := range []string{"into", "collection"} {
			if cmd.LocalFlags().Lookup(name) != nil {
				_ = cmd.RegisterFlagCompletionFunc(name, collectionNames)
			}
		}
		switch cmd.CommandPath() {
		case "storesyncer collections activate", "storesyncer collections delete":
			cmd.ValidArgsFunction = firstArg(collectionNames)
		case "storesyncer resolve":
			cmd.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
				return without(conflictKeys(g), args), cobra.ShellCompDirectiveNoFileComp
			}
		case "storesyncer validate":
			cmd.ValidArgsFunction = firstArg(func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return nil, cobra.ShellCompDirectiveFilterDirs
			})
		}
	})
	addHelpExamples(root)
}

// walk calls f on cmd and every command below it.
func walk(cmd *cobra.Command, f func(*cobra.Command)) {
	f(cmd)
	for _, c := range cmd.Commands() {
		walk(c, f)
	}
}

// without returns list minus the values already given.
func without(list, given []string) []string {
	var out []string
	for _, v := range list {
		if !slices.Contains(given, v) {
			out = append(out, v)
		}
	}
	return out
}

// bundleIDs lists the workspace's apps; nothing when there is no config or workspace.
func bundleIDs(g *globals) []string {
	_, ws, err := contextWorkspace(g)
	if err != nil {
		return nil
	}
	apps, _ := ws.Apps()
	var out []string
	for _, a := range apps {
		out = append(out, a.BundleID)
	}
	return out
}

// appCollections lists the current app's collections.
func appCollections(g *globals) []string {
	app, ws, err := contextApp(g)
	if err != nil {
		return nil
	}
	names, _ := ws.Collections(app.BundleID)
	return names
}

// conflictKeys lists the keys of the current app that wait for a decision: the keys of its
// jobs held for a conflict. It opens the state read-only, beside a running daemon.
func conflictKeys(g *globals) []string {
	cfg, ws, err := contextWorkspace(g)
	if err != nil {
		return nil
	}
	app, err := chooseApp(g, ws)
	if err != nil {
		return nil
	}
	st, err := state.OpenReadOnly(cfg.Daemon.StateDir, state.Options{})
	if err != nil {
		return nil
	}
	defer st.Close()
	jobs, err := st.Jobs(context.Background(), state.JobFilter{App: app.BundleID, States: []state.JobState{state.JobHeld}})
	if err != nil {
		return nil
	}
	var out []string
	for _, j := range jobs {
		if !strings.HasPrefix(j.HeldReason, "conflict") {
			continue
		}
		for _, k := range j.Keys {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// helpExamples are the --help examples of commands whose own file leaves them out. A
// command that has examples keeps them (completion and the service subcommands have their own,
// in completioncmd.go and service.go).
var helpExamples = map[string]string{}

// addHelpExamples sets helpExamples on the commands that have none.
func addHelpExamples(root *cobra.Command) {
	walk(root, func(cmd *cobra.Command) {
		if ex, ok := helpExamples[cmd.CommandPath()]; ok && cmd.Example == "" {
			cmd.Example = ex
		}
	})
}
