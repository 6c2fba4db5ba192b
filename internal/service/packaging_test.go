package service

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

//go:generate go test -run TestPackaging -update

var update = flag.Bool("update", false, "rewrite the files in packaging/ from the templates")

// packagingDir is the repository's packaging/ folder, relative to this package.
const packagingDir = "../../packaging"

// packaged lists the files in packaging/ and the placeholder paths they are rendered with;
// packaging/README.md documents them.
var packaged = []struct {
	file   string
	goos   string
	system bool
	params Params
}{
	// The systemd units are the ones the .deb and .rpm install (packaging/release.toml).
	// The user unit serves every user: without --config, each reads their own default.
	{"systemd/storesyncer.service", Linux, false, Params{
		Executable: "/usr/bin/storesyncer",
	}},
	{"systemd/storesyncer-system.service", Linux, true, Params{
		Executable: "/usr/bin/storesyncer",
		ConfigPath: "/etc/storesyncer/config.toml",
		User:       "storesyncer",
		// The packages make the system user storesyncer with this home, which holds its
		// workspace (~/StoreSyncer) and its state dir (~/.local/state/storesyncer).
		Env:            map[string]string{"HOME": "/var/lib/storesyncer"},
		ReadWritePaths: []string{"/var/lib/storesyncer"},
	}},
	{"launchd/com.storesyncer.agent.plist", Darwin, false, Params{
		Executable: "/usr/local/bin/storesyncer",
		ConfigPath: "/Users/USER/Library/Application Support/storesyncer/config.toml",
		LogDir:     "/Users/USER/Library/Logs/StoreSyncer",
	}},
	{"launchd/com.storesyncer.daemon.plist", Darwin, true, Params{
		Executable: "/usr/local/bin/storesyncer",
		ConfigPath: "/usr/local/etc/storesyncer/config.toml",
	}},
}

// TestPackaging checks that packaging/ holds exactly what Render makes, so the shipped
// files and `service install` can never drift apart. Run with -update after changing a
// template.
func TestPackaging(t *testing.T) {
	for _, p := range packaged {
		t.Run(p.file, func(t *testing.T) {
			got, err := Render(p.goos, p.system, p.params)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			path := filepath.Join(packagingDir, p.file)
			if *update {
				must(t, os.MkdirAll(filepath.Dir(path), 0o755))
				must(t, os.WriteFile(path, got, 0o644))
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/service -run TestPackaging -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from Render's output; run go test ./internal/service -run TestPackaging -update\n--- rendered:\n%s", path, got)
			}
		})
	}
}

// packagedParams returns the placeholder parameters of the packaged file.
func packagedParams(t testing.TB, file string) Params {
	t.Helper()
	for _, p := range packaged {
		if p.file == file {
			return p.params
		}
	}
	t.Fatalf("no packaged file %s", file)
	return Params{}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
