package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// completionShells are the shells `storesyncer completion` writes scripts for, with how to
// load the script for the current session and for good.
var completionShells = []struct {
	name, load, install string
	gen                 func(root *cobra.Command, w io.Writer) error
}{
	{
		name: "bash",
		load: "source <(storesyncer completion bash)",
		install: `  # Linux (the packages install it for you):
  storesyncer completion bash > ~/.local/share/bash-completion/completions/storesyncer
  # macOS with Homebrew's bash-completion@2:
  storesyncer completion bash > $(brew --prefix)/etc/bash_completion.d/storesyncer`,
		gen: func(root *cobra.Command, w io.Writer) error { return root.GenBashCompletionV2(w, true) },
	},
	{
		name: "zsh",
		load: "source <(storesyncer completion zsh)",
		install: `  # completion must be on once: echo "autoload -U compinit; compinit" >> ~/.zshrc
  storesyncer completion zsh > "${fpath[1]}/_storesyncer"
  # macOS with Homebrew:
  storesyncer completion zsh > $(brew --prefix)/share/zsh/site-functions/_storesyncer`,
		gen: func(root *cobra.Command, w io.Writer) error { return root.GenZshCompletion(w) },
	},
	{
		name:    "fish",
		load:    "storesyncer completion fish | source",
		install: `  storesyncer completion fish > ~/.config/fish/completions/storesyncer.fish`,
		gen:     func(root *cobra.Command, w io.Writer) error { return root.GenFishCompletion(w, true) },
	},
	{
		name:    "powershell",
		load:    "storesyncer completion powershell | Out-String | Invoke-Expression",
		install: `  storesyncer completion powershell >> $PROFILE`,
		gen:     func(root *cobra.Command, w io.Writer) error { return root.GenPowerShellCompletionWithDesc(w) },
	},
}

// newCompletionCmd replaces cobra's default completion command with one whose help says,
// per shell, how to load the script now and for every new shell.
func newCompletionCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script for bash, zsh, fish or PowerShell",
		Long: `Print a script that completes storesyncer's commands, flags and arguments (bundle IDs,
collection names) in your shell. The .deb, .rpm and Homebrew packages install the bash, zsh
and fish scripts for you; otherwise load it in your shell's start-up file.
"storesyncer completion SHELL --help" says how for each shell.`,
		Example: `  source <(storesyncer completion bash)                      # bash, this session
  storesyncer completion bash > ~/.local/share/bash-completion/completions/storesyncer
  storesyncer completion zsh > "${fpath[1]}/_storesyncer"      # zsh, every session
  storesyncer completion fish > ~/.config/fish/completions/storesyncer.fish
  storesyncer export --format <TAB>        # template fastlane
  storesyncer --app <TAB>                  # the workspace's bundle IDs
  storesyncer collections activate <TAB>   # the app's collections
  storesyncer resolve <TAB>                # the keys in conflict`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return usageError("usage", "", "say which shell: storesyncer completion bash|zsh|fish|powershell")
		},
	}
	for _, sh := range completionShells {
		cmd.AddCommand(&cobra.Command{
			Use:   sh.name,
			Short: "Print the completion script for " + sh.name,
			Long: fmt.Sprintf(`Print the %s completion script on standard output.

To load completions in the current shell session:

  %s

To load them in every new session, write the script once:

%s`, sh.name, sh.load, sh.install),
			Example:               "  " + sh.load + "\n" + sh.install,
			Args:                  cobra.NoArgs,
			DisableFlagsInUseLine: true,
			ValidArgsFunction:     cobra.NoFileCompletions,
			RunE: func(c *cobra.Command, _ []string) error {
				return sh.gen(c.Root(), g.stdout)
			},
		})
	}
	return cmd
}
