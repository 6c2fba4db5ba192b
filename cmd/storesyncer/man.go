package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd writes a man page per command, for the packages (packaging/cmd/release runs it).
// It is hidden: users read the pages it writes.
func newManCmd(g *globals) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:    "man --dir DIR",
		Short:  "Write storesyncer's man pages (section 1) into DIR",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if dir == "" {
				return usageError("usage", "", "say where: storesyncer man --dir DIR")
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return failure("man.write", dir, err)
			}
			when := manDate()
			root := c.Root()
			root.DisableAutoGenTag = true
			header := &doc.GenManHeader{
				Title: "STORESYNCER", Section: "1", Date: &when,
				Source: "StoreSyncer " + readBuildInfo().Version, Manual: "StoreSyncer Manual",
			}
			if err := doc.GenManTree(root, header, dir); err != nil {
				return failure("man.write", dir, err)
			}
			_, err := fmt.Fprintf(g.stdout, "wrote the man pages to %s\n", dir)
			return err
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "folder to write the pages into")
	return cmd
}

// manDate is the pages' date: the release's build date, else SOURCE_DATE_EPOCH (for
// reproducible builds), else today.
func manDate() time.Time {
	if t, err := time.Parse(time.RFC3339, readBuildInfo().Date); err == nil {
		return t.UTC()
	}
	if s, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		return time.Unix(s, 0).UTC()
	}
	return time.Now().UTC()
}
