package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func newDashboardCmd(g *globals) *cobra.Command {
	var open bool
	cmd := &cobra.Command{
		Use:   "dashboard",
		Short: "Open the running daemon's web page",
		Long: `Dashboard asks the running daemon for a one-time login link to its web page and prints it
(and opens it in the browser when run on a terminal that has one). The link works once, for a
few minutes; after login the page keeps a session cookie and the link leaves the address bar.
The page can also be opened at the API address and logged in with the API token.`,
		Example: `  storesyncer dashboard
  storesyncer dashboard --open=false   # only print the link`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := dialDaemon(g)
			if err != nil {
				return err
			}
			url, err := d.client.DashboardLogin(cmd.Context())
			if err != nil {
				return d.fail(err)
			}
			if g.json {
				return writeJSON(g.stdout, map[string]string{"url": url})
			}
			fmt.Fprintln(g.stdout, url)
			if f, ok := g.stdout.(*os.File); open && ok && term.IsTerminal(int(f.Fd())) {
				openBrowser(url)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&open, "open", true, "open the link in the browser when on a terminal")
	return cmd
}

// openBrowser hands url to the OS's opener, if it has one; failing to open is not an error,
// the link is printed.
func openBrowser(url string) {
	name := "xdg-open"
	if runtime.GOOS == "darwin" {
		name = "open"
	}
	if p, err := exec.LookPath(name); err == nil {
		_ = exec.Command(p, url).Start()
	}
}
