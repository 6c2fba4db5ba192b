package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/storesyncer/storesyncer/internal/workspace"
)

// resolveCollectionDir turns a --into or --collection argument into a collection folder: a
// path when it looks like one (holds a separator, starts with '.', or is an existing folder),
// else the name of a collection of the current app (--app, the only app, or the app whose
// folder holds the current directory). Without a config or an app to resolve, a bare name is
// a folder too, so import and export keep working without a config.
func resolveCollectionDir(g *globals, arg string) (string, error) {
	if arg == "" {
		return "", usageError("usage", "", "a collection folder is required")
	}
	if looksLikePath(arg) || workspace.ValidateCollectionName(arg) != nil {
		return filepath.Clean(arg), nil
	}
	path, err := configFilePath(g)
	if err != nil {
		return filepath.Clean(arg), nil
	}
	if _, err := os.Stat(path); err != nil {
		return filepath.Clean(arg), nil
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return "", err
	}
	ws, err := workspace.Open(cfg.Workspace)
	if err != nil {
		return filepath.Clean(arg), nil
	}
	cwd, _ := os.Getwd()
	app, err := ws.ResolveApp(g.app, cwd)
	if err != nil {
		if g.app != "" {
			return "", &cliError{Exit: exitUsage, Code: "app.choice", Err: err}
		}
		return filepath.Clean(arg), nil
	}
	return ws.CollectionDir(app.BundleID, arg), nil
}

func looksLikePath(arg string) bool {
	if strings.ContainsAny(arg, `/\`) || strings.HasPrefix(arg, ".") {
		return true
	}
	fi, err := os.Stat(arg)
	return err == nil && fi.IsDir()
}
