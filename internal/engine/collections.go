package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/safefile"
	"github.com/storesyncer/storesyncer/internal/transfer"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// CollectionInfo is one collection of `collections list`.
type CollectionInfo struct {
	Name   string `json:"name"`
	Active bool   `json:"active"`
	// Files counts the files Load would read (texts and media), not StoreSyncer's notes.
	Files int `json:"files"`
}

// Collections lists the app's collections.
func (e *Engine) Collections(bundleID string) ([]CollectionInfo, error) {
	a, err := e.ws.App(bundleID)
	if err != nil {
		return nil, err
	}
	names, err := e.ws.Collections(bundleID)
	if err != nil {
		return nil, err
	}
	out := make([]CollectionInfo, 0, len(names))
	for _, n := range names {
		files, err := countFiles(e.ws.CollectionDir(bundleID, n))
		if err != nil {
			return nil, err
		}
		out = append(out, CollectionInfo{Name: n, Active: n == a.Active, Files: files})
	}
	return out, nil
}

// countFiles counts the files of a collection folder, skipping ignored names and dot folders.
func countFiles(dir string) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && collection.IsIgnored(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count files of %s: %w", dir, err)
	}
	return n, nil
}

// SourceKind says where a new collection's content comes from.
type SourceKind string

// The sources of collections create --from.
const (
	FromLive       SourceKind = "live"
	FromZip        SourceKind = "zip"
	FromCollection SourceKind = "collection"
	FromTemplate   SourceKind = "template"
)

// Source is the content of a new collection: Path is the ZIP (FromZip), Collection the
// collection to copy (FromCollection).
type Source struct {
	Kind       SourceKind
	Path       string
	Collection string
}

// CreateCollection makes collection name of the app from src: the target version's state
// (FromLive, a pull), a template ZIP or folder imported into it (FromZip), a copy of another
// collection, notes included (FromCollection), or an empty template layout with the locales
// of the active collection (FromTemplate). An existing name wraps workspace.ErrExists; on
// any failure the new folder is removed.
func (e *Engine) CreateCollection(ctx context.Context, bundleID, name string, src Source) (dir string, err error) {
	a, err := e.ws.App(bundleID)
	if err != nil {
		return "", err
	}
	if src.Kind == FromLive {
		if err := workspace.ValidateCollectionName(name); err != nil {
			return "", err
		}
		if _, err := os.Stat(e.ws.CollectionDir(bundleID, name)); err == nil {
			return "", fmt.Errorf("create collection %s of %s: %w", name, bundleID, workspace.ErrExists)
		}
		res, err := e.Pull(ctx, bundleID, PullOptions{Into: name})
		if err != nil {
			if res != nil && res.Created {
				_ = os.RemoveAll(res.Dir)
			}
			return "", err
		}
		return res.Dir, nil
	}
	var from string
	switch src.Kind {
	case FromZip:
		if src.Path == "" {
			return "", errors.New("create collection: --from zip needs a file")
		}
		from = src.Path
	case FromCollection:
		if err := workspace.ValidateCollectionName(src.Collection); err != nil {
			return "", err
		}
		from = e.ws.CollectionDir(bundleID, src.Collection)
		if _, err := os.Stat(from); err != nil {
			return "", fmt.Errorf("create collection %s from %s: %w", name, src.Collection, workspace.ErrNotFound)
		}
	case FromTemplate:
	default:
		return "", fmt.Errorf("create collection: unknown source %q; want live, zip, collection or template", src.Kind)
	}
	dir, err = e.ws.CreateCollection(bundleID, name)
	if err != nil {
		return "", err
	}
	created := dir // a failing return sets dir to ""
	defer func() {
		if err != nil {
			_ = os.RemoveAll(created)
		}
	}()
	switch src.Kind {
	case FromZip:
		var rep transfer.Report
		rep, err = transfer.Import(from, dir, transfer.ImportOptions{Platform: string(a.Platform), ExtraLocales: e.opts.ExtraLocales, Logger: e.log})
		if err == nil && len(rep.Rejected) > 0 {
			// A new collection is all or nothing: one missing screenshot would shrink its set.
			var lines []string
			for _, r := range rep.Rejected {
				lines = append(lines, r.Path+": "+strings.TrimPrefix(r.Reason, r.Path+": "))
			}
			err = fmt.Errorf("%d file(s) of %s could not be imported (fix them, or import the rest with storesyncer import):\n  %s", len(lines), from, strings.Join(lines, "\n  "))
		}
	case FromCollection:
		err = copyTree(from, dir)
	case FromTemplate:
		err = e.templateInto(ctx, a, dir)
	}
	if err != nil {
		return "", fmt.Errorf("create collection %s of %s: %w", name, bundleID, err)
	}
	e.event(ctx, "collection_created", bundleID, map[string]any{"collection": name, "from": src.Kind})
	return dir, nil
}

// templateInto lays out an empty template in dir: the platform's default folders for the
// locales of the active collection (the primary locale when it has none).
func (e *Engine) templateInto(ctx context.Context, a workspace.App, dir string) error {
	locales := []string{a.PrimaryLocale}
	if c, _, err := e.loadCollection(ctx, e.ws.CollectionDir(a.BundleID, a.Active), a, true, nil); err == nil && len(c.Locales()) > 0 {
		locales = c.Locales()
	}
	if locales[0] == "" {
		locales = []string{"en-US"}
	}
	f, err := os.CreateTemp(filepath.Dir(dir), ".template-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	err = transfer.Template(f, transfer.TemplateOptions{Platform: a.Platform, Locales: locales,
		ExtraLocales: e.opts.ExtraLocales, ExtraDisplayTypes: e.opts.ExtraDisplayTypes})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if _, err = transfer.Import(f.Name(), dir, transfer.ImportOptions{AllowEmpty: true, Logger: e.log}); err != nil {
		return err
	}
	for _, fld := range collection.Fields { // the text folders, empty: nothing is managed yet
		if err := os.MkdirAll(filepath.Join(dir, fld.Dir), 0o755); err != nil {
			return err
		}
	}
	return nil
}

// copyTree copies the regular files and folders of src into dst (which exists).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil || rel == "." {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case !d.Type().IsRegular() || strings.HasPrefix(d.Name(), ".pull-"):
			return nil
		}
		return copyFile(p, target)
	})
}

func copyFile(src, dst string) error {
	in, _, err := safefile.Open(filepath.Dir(src), filepath.Base(src)) // a link swapped in is not copied
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// Activate makes collection name the app's desired state: the next push (or the daemon)
// makes App Store Connect match it. Activating main restores the store.
func (e *Engine) Activate(ctx context.Context, bundleID, name string) error {
	if err := e.ws.SetActive(bundleID, name); err != nil {
		return err
	}
	e.event(ctx, "collection_activated", bundleID, map[string]any{"collection": name})
	return nil
}

// DeleteCollection removes a collection folder, and its files' entries in the file-hash
// cache; the active one is refused (workspace.ErrActive).
func (e *Engine) DeleteCollection(ctx context.Context, bundleID, name string) error {
	dir := e.ws.CollectionDir(bundleID, name)
	if err := e.ws.DeleteCollection(bundleID, name); err != nil {
		return err
	}
	if e.files != nil {
		e.files.forget(ctx, dir)
	}
	e.event(ctx, "collection_deleted", bundleID, map[string]any{"collection": name})
	return nil
}
