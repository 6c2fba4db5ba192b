package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestManPages: `storesyncer man --dir` writes one section-1 page per visible command, with
// its examples, dated by SOURCE_DATE_EPOCH, and none for the hidden man command itself.
func TestManPages(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1764590400") // 2025-12-01
	dir := t.TempDir()
	code, out, stderr := runCLI(t, "man", "--dir", dir)
	if code != 0 {
		t.Fatalf("man: exit %d\n%s%s", code, out, stderr)
	}
	var want []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !c.IsAvailableCommand() && c.HasParent() {
			return
		}
		want = append(want, strings.ReplaceAll(c.CommandPath(), " ", "-")+".1")
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(&globals{}))
	for _, name := range want {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("no man page %s: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "storesyncer-man.1")); err == nil {
		t.Error("the hidden man command has a page")
	}
	page, err := os.ReadFile(filepath.Join(dir, "storesyncer-service-install.1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`.TH "STORESYNCER" "1" "Dec 2025"`, ".SH EXAMPLE", "service install --dry-run", "--run-as storesyncer"} {
		if !strings.Contains(string(page), s) {
			t.Errorf("storesyncer-service-install.1 lacks %q:\n%s", s, page)
		}
	}
}

// TestCompletion: each shell gets its script, with help that says how to load it, and the
// completions the scripts ask for (`storesyncer __complete …`) name the commands.
func TestCompletion(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash":       "__start_storesyncer",
		"zsh":        "#compdef storesyncer",
		"fish":       "complete -c storesyncer",
		"powershell": "Register-ArgumentCompleter",
	} {
		code, out, stderr := runCLI(t, "completion", shell)
		if code != 0 || !strings.Contains(out, marker) {
			t.Errorf("completion %s: exit %d, output lacks %q\n%s", shell, code, marker, stderr)
		}
		code, out, _ = runCLI(t, "completion", shell, "--help")
		if code != 0 || !strings.Contains(out, "To load completions in the current shell session") || !strings.Contains(out, "Examples:") {
			t.Errorf("completion %s --help:\n%s", shell, out)
		}
	}
	code, out, stderr := runCLI(t, "__complete", "service", "")
	for _, sub := range []string{"install", "uninstall", "start", "stop", "restart", "status"} {
		if code != 0 || !strings.Contains(out, "\n"+sub+"\t") && !strings.HasPrefix(out, sub+"\t") {
			t.Errorf("__complete service lacks %q: exit %d\n%s%s", sub, code, out, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "completion", "tcsh"); code != exitUsage {
		t.Errorf("completion tcsh: exit %d, want %d\n%s", code, exitUsage, stderr)
	}
}

// TestServiceSubcommandsHaveExamples: every service action shows examples in --help.
func TestServiceSubcommandsHaveExamples(t *testing.T) {
	for _, a := range []string{"install", "uninstall", "start", "stop", "restart", "status"} {
		code, out, _ := runCLI(t, "service", a, "--help")
		if code != 0 || !strings.Contains(out, "Examples:\n  storesyncer service "+a) && !strings.Contains(out, "Examples:\n  sudo storesyncer service "+a) {
			t.Errorf("service %s --help has no example:\n%s", a, out)
		}
	}
}
