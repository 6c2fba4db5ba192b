package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/state"
)

// completions runs the shell's completion request and returns the values and the directive.
func completions(tb testing.TB, args ...string) (values []string, directive string) {
	tb.Helper()
	exit, out, stderr := runValidateCLI(tb, append([]string{cobra.ShellCompRequestCmd}, args...)...)
	if exit != 0 {
		tb.Fatalf("__complete %v: exit %d %s", args, exit, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[:len(lines)-1], lines[len(lines)-1]
}

func TestCompletions(t *testing.T) {
	cfg, _ := offlineApp(t)
	t.Setenv("STORESYNCER_CONFIG", cfg)
	t.Chdir(t.TempDir())

	// A conflict the daemon held, in the state the config names.
	st, err := state.Open(filepath.Join(filepath.Dir(cfg), "state"), state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, in := range []state.JobIntent{
		{App: "com.example.offline", Resource: "de-DE/appStoreVersionLocalizations", Keys: []string{"de-DE/keyword", "de-DE/description"}, IntentHash: "a", HoldReason: "conflict: settle with `storesyncer resolve KEY --keep local|remote`: de-DE/keyword"},
		{App: "com.example.offline", Resource: "ja/screenshot/APP_IPHONE_67", Keys: []string{"ja/screenshot/APP_IPHONE_67"}, IntentHash: "b", HoldReason: "held: 25 operations need approval"},
	} {
		if _, err := st.Upsert(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	noFiles := ":4"
	tests := []struct {
		args []string
		want []string
		dir  string
	}{
		{[]string{"export", "--format", ""}, []string{"template", "fastlane"}, noFiles},
		{[]string{"import", "x.zip", "--only", ""}, []string{"text", "media", "all"}, noFiles},
		{[]string{"import", "x.zip", "--platform", ""}, []string{"IOS", "MAC_OS", "TV_OS", "VISION_OS"}, noFiles},
		{[]string{"resolve", "--keep", ""}, []string{"local", "remote"}, noFiles},
		{[]string{"collections", "create", "x", "--from", ""}, []string{"live", "zip", "collection", "template"}, noFiles},
		{[]string{"--app", ""}, []string{"com.example.offline"}, noFiles},
		{[]string{"export", "--collection", ""}, []string{"christmas", "main"}, noFiles},
		{[]string{"import", "x.zip", "--into", ""}, []string{"christmas", "main"}, noFiles},
		{[]string{"export", "--collection", "./"}, nil, ":16"}, // a folder: the shell completes it
		{[]string{"collections", "activate", ""}, []string{"christmas", "main"}, noFiles},
		{[]string{"collections", "delete", "main", ""}, nil, noFiles},
		{[]string{"resolve", ""}, []string{"de-DE/keyword", "de-DE/description"}, noFiles},
		{[]string{"resolve", "de-DE/keyword", ""}, []string{"de-DE/description"}, noFiles},
	}
	for _, tt := range tests {
		got, dir := completions(t, tt.args...)
		if diff := cmp.Diff(tt.want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b }), cmpopts.EquateEmpty()); diff != "" || dir != tt.dir {
			t.Errorf("complete %q: directive %s (want %s), values (-want +got):\n%s", tt.args, dir, tt.dir, diff)
		}
	}
}

// TestHelpExamples: every command a user may ask --help of has examples, the completion
// command and the service subcommands included.
func TestHelpExamples(t *testing.T) {
	root := newRootCmd(&globals{})
	walk(root, func(cmd *cobra.Command) {
		if cmd.Hidden || !cmd.IsAvailableCommand() && cmd != root || cmd.Name() == "help" {
			return
		}
		if cmd.Example == "" {
			t.Errorf("%s has no examples in --help", cmd.CommandPath())
		}
	})
}
