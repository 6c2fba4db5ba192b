package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/safefile"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// App check codes: an app whose app.toml fails one is stopped, and nothing is written to it.
const (
	// CodeAppMismatch: the app found by app_id has another bundle ID, or no version on
	// app.toml's platform.
	CodeAppMismatch = "app.mismatch"
	// CodeAppActiveMissing: app.toml's active collection does not exist.
	CodeAppActiveMissing = "app.active_missing"
	// CodeAppAccountUnknown: app.toml's account is not in the config.
	CodeAppAccountUnknown = "app.account_unknown"
	// CodeAppCollectionLink: a collection folder is a symbolic link out of the app's folder
	// (or a special file), so its files would be read from, and pulled into, elsewhere.
	CodeAppCollectionLink = "app.collection_link"
)

// AppCheckError reports that app.toml does not describe an app StoreSyncer may write to: a
// wrong app_id or platform (wrapping a *remote.AppMismatchError), a missing active collection
// or an unknown account. The CLI exits 2 with it; the daemon stops the app and shows it in
// status.
type AppCheckError struct {
	BundleID string
	// Code is one of the CodeApp… constants.
	Code string
	// Path is the app.toml.
	Path string
	Err  error
}

// Error names the app and what is wrong.
func (e *AppCheckError) Error() string { return fmt.Sprintf("app %s: %v", e.BundleID, e.Err) }

// Unwrap returns the cause.
func (e *AppCheckError) Unwrap() error { return e.Err }

// AsAppCheck returns err as an *AppCheckError when it is one or wraps the causes one stands
// for (a *remote.AppMismatchError, an unknown account).
func AsAppCheck(bundleID, path string, err error) (*AppCheckError, bool) {
	var ae *AppCheckError
	if errors.As(err, &ae) {
		return ae, true
	}
	switch {
	case errors.Is(err, remote.ErrAppMismatch):
		return &AppCheckError{BundleID: bundleID, Code: CodeAppMismatch, Path: path, Err: err}, true
	case errors.Is(err, config.ErrNoAccount):
		return &AppCheckError{BundleID: bundleID, Code: CodeAppAccountUnknown, Path: path, Err: err}, true
	}
	return nil, false
}

// checkApp checks what app.toml names on this machine before any work on the app: the active
// collection exists. (The account is checked when its remote is made, the app ID against
// App Store Connect in the first read, remote.Versions.)
func (e *Engine) checkApp(a workspace.App) error {
	if err := e.checkCollectionDir(a.BundleID, a.Active); err != nil {
		return err
	}
	dir := e.ws.CollectionDir(a.BundleID, a.Active)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist), err == nil && !fi.IsDir():
		return &AppCheckError{BundleID: a.BundleID, Code: CodeAppActiveMissing, Path: e.appFile(a.BundleID),
			Err: fmt.Errorf("active collection %q in app.toml does not exist (%s): create it, or activate another with `storesyncer collections activate NAME`", a.Active, dir)}
	case err != nil:
		return fmt.Errorf("app %s: %w", a.BundleID, err)
	}
	return nil
}

func (e *Engine) appFile(bundleID string) string {
	return e.ws.AppDir(bundleID) + string(os.PathSeparator) + workspace.AppFile
}

// checkCollectionDir refuses a collection folder that is a link out of the app's folder, or
// to a folder that holds it: the collection's own links are checked against the collection,
// so the collection itself must be where it claims to be. A missing folder passes.
func (e *Engine) checkCollectionDir(bundleID, name string) error {
	_, err := safefile.Check(e.ws.AppDir(bundleID), name)
	if _, refused := safefile.IsRefused(err); refused {
		return &AppCheckError{BundleID: bundleID, Code: CodeAppCollectionLink, Path: e.ws.CollectionDir(bundleID, name),
			Err: fmt.Errorf("collection %q: %w; make it a real folder", name, err)}
	}
	return nil
}
