package workspace

import (
	"fmt"
	"path/filepath"
	"strings"
)

// AppChoiceError says that no single app could be chosen; the caller exits 2 and shows
// Apps (the bundle IDs in the workspace) so the user can pass --app.
type AppChoiceError struct {
	// Flag is the --app value that matched no app; empty when none was given.
	Flag string
	Apps []string
}

// Error explains what to pass.
func (e *AppChoiceError) Error() string {
	switch {
	case len(e.Apps) == 0 && e.Flag != "":
		return fmt.Sprintf("no app %s: the workspace has no apps (add one with `storesyncer apps add --bundle-id %s`)", e.Flag, e.Flag)
	case len(e.Apps) == 0:
		return "the workspace has no apps (add one with `storesyncer apps add --bundle-id ID`)"
	case e.Flag != "":
		return fmt.Sprintf("no app %s in the workspace (apps: %s)", e.Flag, strings.Join(e.Apps, ", "))
	}
	return fmt.Sprintf("more than one app: choose one with --app (apps: %s)", strings.Join(e.Apps, ", "))
}

// ResolveApp chooses the app a command works on: flagApp when given, else the only app,
// else the app whose folder holds cwd. Otherwise it returns *AppChoiceError; a bad
// app.toml is returned as read by Apps.
func (w *Workspace) ResolveApp(flagApp, cwd string) (App, error) {
	apps, err := w.Apps()
	if err != nil && flagApp == "" {
		return App{}, err
	}
	ids := make([]string, len(apps))
	for i, a := range apps {
		ids[i] = a.BundleID
	}
	if flagApp != "" {
		app, aerr := w.App(flagApp)
		if aerr == nil {
			return app, nil
		}
		if _, bad := aerr.(*AppFileError); bad {
			return App{}, aerr
		}
		return App{}, &AppChoiceError{Flag: flagApp, Apps: ids}
	}
	if len(apps) == 1 {
		return apps[0], nil
	}
	if cwd != "" {
		for _, a := range apps {
			if within(w.AppDir(a.BundleID), cwd) {
				return a, nil
			}
		}
	}
	return App{}, &AppChoiceError{Apps: ids}
}

// within reports whether path is dir or inside it, following symlinks where it can (the
// shell's cwd may be a symlinked path to the workspace).
func within(dir, path string) bool {
	for _, p := range [][2]string{{dir, path}, {evalOr(dir), evalOr(path)}} {
		rel, err := filepath.Rel(p[0], p[1])
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func evalOr(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}
