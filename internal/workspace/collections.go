package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
)

// Collections lists the app's collections: the folders beside app.toml, sorted, without
// dot folders (such as .storesyncer).
func (w *Workspace) Collections(bundleID string) ([]string, error) {
	if _, err := w.App(bundleID); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(w.AppDir(bundleID))
	if err != nil {
		return nil, fmt.Errorf("list collections of %s: %w", bundleID, err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// CreateCollection makes an empty collection folder and returns its path. An existing
// collection wraps ErrExists.
func (w *Workspace) CreateCollection(bundleID, name string) (string, error) {
	if err := ValidateCollectionName(name); err != nil {
		return "", err
	}
	if _, err := w.App(bundleID); err != nil {
		return "", err
	}
	dir := w.CollectionDir(bundleID, name)
	err := os.Mkdir(dir, 0o755)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("create collection %s of %s: %w", name, bundleID, ErrExists)
	}
	if err != nil {
		return "", fmt.Errorf("create collection %s of %s: %w", name, bundleID, err)
	}
	return dir, nil
}

// DeleteCollection removes a collection folder and everything in it. It refuses the
// active collection (ErrActive) and a missing one (ErrNotFound).
func (w *Workspace) DeleteCollection(bundleID, name string) error {
	if err := ValidateCollectionName(name); err != nil {
		return err
	}
	app, err := w.App(bundleID)
	if err != nil {
		return err
	}
	if app.Active == name {
		return fmt.Errorf("delete collection %s of %s: %w (activate another one first)", name, bundleID, ErrActive)
	}
	if err := w.mustExist(bundleID, name); err != nil {
		return fmt.Errorf("delete collection: %w", err)
	}
	if err := os.RemoveAll(w.CollectionDir(bundleID, name)); err != nil {
		return fmt.Errorf("delete collection %s of %s: %w", name, bundleID, err)
	}
	return nil
}

// SetActive makes name the app's active collection by rewriting app.toml. The collection
// must exist (ErrNotFound).
func (w *Workspace) SetActive(bundleID, name string) error {
	if err := ValidateCollectionName(name); err != nil {
		return err
	}
	app, err := w.App(bundleID)
	if err != nil {
		return err
	}
	if err := w.mustExist(bundleID, name); err != nil {
		return fmt.Errorf("activate collection: %w", err)
	}
	app.Active = name
	return w.WriteApp(app)
}

func (w *Workspace) mustExist(bundleID, name string) error {
	fi, err := os.Stat(w.CollectionDir(bundleID, name))
	if errors.Is(err, fs.ErrNotExist) || err == nil && !fi.IsDir() {
		return fmt.Errorf("collection %s of %s: %w", name, bundleID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("collection %s of %s: %w", name, bundleID, err)
	}
	return nil
}
