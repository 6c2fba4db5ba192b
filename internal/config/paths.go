package config

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// env is what the defaults depend on, gathered once so tests can choose it.
type env struct {
	goos   string
	home   string
	getenv func(string) string
}

func currentEnv() env {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "" // paths stay relative to the working directory; doctor reports it
	}
	return env{goos: runtime.GOOS, home: home, getenv: os.Getenv}
}

// stateDir is the OS state dir: $XDG_STATE_HOME/storesyncer or ~/.local/state/storesyncer
// on Linux and other unixes, ~/Library/Application Support/StoreSyncer on macOS,
// %LocalAppData%\StoreSyncer on Windows.
func (e env) stateDir() string {
	switch e.goos {
	case "darwin":
		return joinHome(e.home, "Library", "Application Support", "StoreSyncer")
	case "windows":
		if d := e.getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "StoreSyncer")
		}
		return joinHome(e.home, "AppData", "Local", "StoreSyncer")
	}
	if d := e.getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "storesyncer")
	}
	return joinHome(e.home, ".local", "state", "storesyncer")
}

func joinHome(home string, elem ...string) string {
	return filepath.Join(append([]string{home}, elem...)...)
}

func joinPath(dir, name string) string { return filepath.Join(dir, name) }

// resolvePath expands a leading ~ to home and makes a relative path absolute against base
// (the config file's folder).
func resolvePath(p, base, home string) string {
	switch {
	case p == "~":
		p = home
	case strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`):
		p = filepath.Join(home, p[2:])
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(base, p)
	}
	return filepath.Clean(p)
}
