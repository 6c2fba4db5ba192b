// Package workspace reads and writes the self-describing workspace folder: one folder per
// app holding app.toml and the app's collections (DESIGN.md §4).
package workspace

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Sentinel errors, wrapped with the name they concern.
var (
	// ErrNotFound: the app or collection does not exist.
	ErrNotFound = errors.New("not found")
	// ErrExists: the collection already exists.
	ErrExists = errors.New("already exists")
	// ErrActive: the collection is the app's active one.
	ErrActive = errors.New("is the active collection")
)

// AppFile is the name of an app's settings file inside its folder.
const AppFile = "app.toml"

// Workspace is a workspace folder on disk. It holds no state besides its root, so it is
// safe for concurrent use; concurrent writers of one app.toml are the last to win (each
// write is atomic). The zero value is not usable: call Open.
type Workspace struct {
	// Root is the workspace folder, absolute.
	Root string
}

// Open returns the workspace at root, which must be an existing folder (`storesyncer init`
// makes it). The error wraps fs.ErrNotExist when it is missing.
func Open(root string) (*Workspace, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("open workspace %s: %w", root, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("open workspace: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("open workspace %s: not a folder", abs)
	}
	return &Workspace{Root: abs}, nil
}

// AppDir is the folder of the app with bundleID.
func (w *Workspace) AppDir(bundleID string) string {
	return filepath.Join(w.Root, bundleID)
}

// CollectionDir is the folder of collection name of the app with bundleID. It does not
// check that either exists.
func (w *Workspace) CollectionDir(bundleID, name string) string {
	return filepath.Join(w.Root, bundleID, name)
}
