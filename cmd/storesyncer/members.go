package main

import (
	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/command"
)

func newMembersCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "members",
		Short: "List, invite, change and remove the team members of an app",
		Long: `members manages an app's team. The user running the daemon ("local") is the Owner of
every app; the others join through a single-use invitation URL of the daemon's API address
and get a role: owner, app-manager, designer (screenshots and previews only) or
content-manager (description and what's new only). Every command checks the role.`,
		Example: `  storesyncer members list
  storesyncer members invite --role designer --email dana@example.com
  storesyncer members set-role Dana content-manager
  storesyncer members remove Dana`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:     "list",
			Short:   "List the app's members and their roles",
			Example: "  storesyncer members list --app com.example.app",
			Args:    cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				return runCommand(cmd.Context(), g, &command.MembersList{App: g.app}, commandOptions{})
			},
		},
		newMembersInviteCmd(g),
		&cobra.Command{
			Use:     "set-role NAME ROLE",
			Short:   "Change a member's role",
			Example: "  storesyncer members set-role Dana app-manager",
			Args:    cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runCommand(cmd.Context(), g, &command.MembersSetRole{App: g.app, Member: args[0], Role: args[1]}, commandOptions{})
			},
		},
		&cobra.Command{
			Use:     "remove NAME",
			Short:   "Remove a member: their sessions and tokens end at once",
			Example: "  storesyncer members remove Dana",
			Args:    cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runCommand(cmd.Context(), g, &command.MembersRemove{App: g.app, Member: args[0]}, commandOptions{})
			},
		},
	)
	return cmd
}

func newMembersInviteCmd(g *globals) *cobra.Command {
	var role, email, expires string
	cmd := &cobra.Command{
		Use:   "invite --role ROLE [--email ADDRESS]",
		Short: "Print a single-use invitation URL (needs the running daemon)",
		Long: `members invite prints a URL of the running daemon's API address that lets one person join
the app's team with ROLE. It is single-use and expires (7 days unless --expires); the daemon
keeps only its hash. No mail is sent: --email is a label.`,
		Example: `  storesyncer members invite --role designer --email dana@example.com
  storesyncer members invite --role content-manager --expires 48h`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCommand(cmd.Context(), g, &command.MembersInvite{App: g.app, Role: role, Email: email, Expires: expires}, commandOptions{})
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "owner, app-manager, designer or content-manager")
	cmd.Flags().StringVar(&email, "email", "", "the member's e-mail address, as a label")
	cmd.Flags().StringVar(&expires, "expires", "", "how long the invitation stays open (default 168h)")
	return cmd
}
