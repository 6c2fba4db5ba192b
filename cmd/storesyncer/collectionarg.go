package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// collectionArgRule is how --into and --collection read their value, for the help texts.
const collectionArgRule = `a folder when it holds a slash or starts with "." or "~" (./main,
~/StoreSyncer/com.example.app/christmas), else the name of a collection of the app (--app,
the only app, or the one whose folder holds the current directory), even when the current
directory holds a folder of that name; without the flag, the app's active collection`

// resolveCollectionDir turns a --into or --collection value into a collection folder, by
// collectionArgRule: a path is used as it is; a bare name, or no value, needs a config and an
// app, and names one of its collections (must it exist: mustExist). flag names the flag in
// messages. Every failure is a usage error (exit 2).
func resolveCollectionDir(g *globals, flag, arg string, mustExist bool) (string, error) {
	if looksLikePath(arg) {
		return filepath.Clean(expandHome(arg)), nil
	}
	if arg != "" {
		if err := workspace.ValidateCollectionName(arg); err != nil {
			return "", usageError("usage", "", "%s %s: %v; a folder needs ./ or a slash (./%s)", flag, arg, err, arg)
		}
	}
	app, ws, why := contextApp(g)
	if why != nil {
		if arg == "" {
			return "", &cliError{Exit: exitUsage, Code: "usage", Err: fmt.Errorf("%s is needed here: %w; give a folder (%s ./main)", flag, why, flag)}
		}
		return "", &cliError{Exit: exitUsage, Code: "usage", Err: fmt.Errorf("%s %s names a collection of an app, but %w; for the folder, write %s ./%s", flag, arg, why, flag, arg)}
	}
	name := arg
	if name == "" {
		name = app.Active
	}
	dir := ws.CollectionDir(app.BundleID, name)
	if mustExist {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return "", &cliError{Exit: exitUsage, Code: "not_found", Path: dir,
				Err: fmt.Errorf("%s has no collection %s (storesyncer collections list shows them; a folder needs ./ or a slash)", app.BundleID, name)}
		}
	}
	return dir, nil
}

// contextApp finds the app a command that needs no App Store Connect works on, if there is
// one: the config must exist and parse, and the workspace must resolve an app. why says what
// was missing.
func contextApp(g *globals) (workspace.App, *workspace.Workspace, error) {
	_, ws, err := contextWorkspace(g)
	if err != nil {
		return workspace.App{}, nil, err
	}
	cwd, _ := os.Getwd()
	app, err := ws.ResolveApp(g.app, cwd)
	if err != nil {
		return workspace.App{}, nil, fmt.Errorf("no app is chosen (%w)", err)
	}
	return app, ws, nil
}

// contextWorkspace loads the config, when there is one, and opens its workspace; the error
// says what was missing.
func contextWorkspace(g *globals) (*config.Config, *workspace.Workspace, error) {
	path, err := configFilePath(g)
	if err != nil {
		return nil, nil, errors.New("no config file was found")
	}
	if _, err := os.Stat(path); err != nil {
		return nil, nil, fmt.Errorf("there is no config file %s", path)
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return nil, nil, err
	}
	ws, err := workspace.Open(cfg.Workspace)
	if err != nil {
		return nil, nil, fmt.Errorf("the workspace cannot be read: %w", err)
	}
	return cfg, ws, nil
}

// looksLikePath reports whether a --into or --collection value is a folder: it holds a
// separator or starts with "." or "~".
func looksLikePath(arg string) bool {
	return strings.ContainsAny(arg, `/\`) || strings.HasPrefix(arg, ".") || strings.HasPrefix(arg, "~")
}

// expandHome replaces a leading "~/" with the home folder, for values a shell did not expand.
func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}
