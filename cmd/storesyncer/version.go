package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version, commit and date are stamped at release time (packaging/cmd/release):
// -ldflags "-X main.version=v1.2.3 -X main.commit=<sha> -X main.date=2026-12-01T12:00:00Z".
// Without them, the commit and date come from the VCS information Go records in the binary.
var (
	version = "dev"
	commit  = ""
	date    = ""
)

type buildInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date,omitempty"`
	GoVersion string `json:"go_version"`
	Modified  bool   `json:"modified,omitempty"`
}

func readBuildInfo() buildInfo {
	bi := buildInfo{Version: version, Commit: "unknown"}
	if info, ok := debug.ReadBuildInfo(); ok {
		bi.fromVCS(info)
	}
	if commit != "" {
		bi.Commit = commit
	}
	if date != "" {
		bi.Date = date
	}
	return bi
}

// fromVCS fills in what Go recorded about the module and its checkout.
func (bi *buildInfo) fromVCS(info *debug.BuildInfo) {
	bi.GoVersion = info.GoVersion
	if bi.Version == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		bi.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			bi.Commit = s.Value
		case "vcs.time":
			bi.Date = s.Value
		case "vcs.modified":
			bi.Modified = s.Value == "true"
		}
	}
}

func versionString() string {
	bi := readBuildInfo()
	s := fmt.Sprintf("storesyncer %s (commit %s", bi.Version, bi.Commit)
	if bi.Date != "" {
		s += ", built " + bi.Date
	}
	s += ", " + bi.GoVersion + ")"
	if bi.Modified {
		s += " with local changes"
	}
	return s
}

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print StoreSyncer's version, commit and Go version",
		Example: "  storesyncer version\n  storesyncer version --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if g.json {
				return writeJSON(g.stdout, readBuildInfo())
			}
			_, err := fmt.Fprintln(g.stdout, versionString())
			return err
		},
	}
}
