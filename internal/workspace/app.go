package workspace

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/safefile"
)

// App is one app's app.toml: which App Store app it is and which collection is active.
// It is a plain value; the zero value is not valid (Validate says why).
type App struct {
	// BundleID is the app's bundle ID; it is also its folder's name.
	BundleID string `toml:"bundle_id"`
	// Platform is IOS, MAC_OS, TV_OS or VISION_OS.
	Platform collection.Platform `toml:"platform"`
	// Account names the config's [[account]]; empty means the default one.
	Account string `toml:"account,omitempty"`
	// Active is the collection that is watched and synced.
	Active string `toml:"active"`
	// AppID is Apple's ID of the app (the number in App Store Connect URLs); empty until
	// apps add found it.
	AppID string `toml:"app_id,omitempty"`
	// PrimaryLocale is the app's primary locale on App Store Connect.
	PrimaryLocale string `toml:"primary_locale,omitempty"`
	// Name is the app's name, for people.
	Name string `toml:"name,omitempty"`
}

// AppFileError is a problem in an app.toml, with its line when there is one. Apps, App and
// ResolveApp return it so callers can name the file.
type AppFileError struct {
	Path string
	Line int // 1-based; 0 when the problem has no single line
	Msg  string
}

// Error formats the problem as "path:line: msg".
func (e *AppFileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

var platforms = []collection.Platform{collection.IOS, collection.MacOS, collection.TVOS, collection.VisionOS}

// Validate checks the fields app.toml must hold. It does not check that Active exists.
func (a App) Validate() error {
	if err := ValidateBundleID(a.BundleID); err != nil {
		return err
	}
	known := false
	for _, p := range platforms {
		known = known || a.Platform == p
	}
	if !known {
		return fmt.Errorf("platform %q is not one of IOS, MAC_OS, TV_OS, VISION_OS", a.Platform)
	}
	if err := ValidateCollectionName(a.Active); err != nil {
		return fmt.Errorf("active: %w", err)
	}
	if a.AppID != "" {
		if _, err := strconv.ParseUint(a.AppID, 10, 64); err != nil {
			return fmt.Errorf("app_id %q is not Apple's numeric app ID", a.AppID)
		}
	}
	return nil
}

// Apps reads every <root>/*/app.toml, sorted by bundle ID; folders without one (and dot
// folders) are skipped. When some app.toml files are bad, it returns the good apps and an
// error joining one *AppFileError per bad file.
func (w *Workspace) Apps() ([]App, error) {
	entries, err := os.ReadDir(w.Root)
	if err != nil {
		return nil, fmt.Errorf("list apps: %w", err)
	}
	var apps []App
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		app, err := w.readApp(e.Name())
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			errs = append(errs, err)
		default:
			apps = append(apps, app)
		}
	}
	sort.Slice(apps, func(i, j int) bool { return apps[i].BundleID < apps[j].BundleID })
	return apps, errors.Join(errs...)
}

// App reads the app.toml of bundleID. A missing app wraps ErrNotFound; a bad file is an
// *AppFileError.
func (w *Workspace) App(bundleID string) (App, error) {
	if err := ValidateBundleID(bundleID); err != nil {
		return App{}, err
	}
	app, err := w.readApp(bundleID)
	if errors.Is(err, fs.ErrNotExist) {
		return App{}, fmt.Errorf("app %s: %w in workspace %s", bundleID, ErrNotFound, w.Root)
	}
	return app, err
}

func (w *Workspace) readApp(dir string) (App, error) {
	path := filepath.Join(w.Root, dir, AppFile)
	data, err := safefile.ReadRegular(path) // never a link out of the app's folder, never a FIFO
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return App{}, err
		}
		return App{}, &AppFileError{Path: path, Msg: err.Error()}
	}
	return parseApp(data, path, dir)
}

var tomlLinePattern = regexp.MustCompile(`^toml: line (\d+)[^:]*: (.*)$`)

// parseApp decodes an app.toml whose folder is dir.
func parseApp(data []byte, path, dir string) (App, error) {
	var a App
	md, err := toml.Decode(string(data), &a)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return App{}, &AppFileError{Path: path, Line: pe.Position.Line, Msg: pe.Message}
		}
		if m := tomlLinePattern.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return App{}, &AppFileError{Path: path, Line: line, Msg: m[2]}
		}
		return App{}, &AppFileError{Path: path, Msg: err.Error()}
	}
	if und := md.Undecoded(); len(und) > 0 {
		key := und[0].String()
		return App{}, &AppFileError{Path: path, Line: keyLine(data, und[0][len(und[0])-1]), Msg: fmt.Sprintf("unknown key %s (app.toml holds bundle_id, platform, account, active, app_id, primary_locale, name)", key)}
	}
	if a.BundleID != dir {
		return App{}, &AppFileError{Path: path, Line: keyLine(data, "bundle_id"), Msg: fmt.Sprintf("bundle_id %q does not match its folder %q", a.BundleID, dir)}
	}
	if err := a.Validate(); err != nil {
		return App{}, &AppFileError{Path: path, Line: keyLine(data, fieldKey(err)), Msg: err.Error()}
	}
	return a, nil
}

// fieldKey guesses which key a Validate error is about from its first word.
func fieldKey(err error) string {
	msg := err.Error()
	for _, k := range []string{"platform", "active", "app_id"} {
		if strings.HasPrefix(msg, k) {
			return k
		}
	}
	return "bundle_id"
}

// keyLine returns the 1-based line where key is assigned, or 0.
func keyLine(data []byte, key string) int {
	for i, line := range bytes.Split(data, []byte("\n")) {
		k, _, ok := bytes.Cut(line, []byte("="))
		if ok && strings.Trim(strings.TrimSpace(string(k)), `"'`) == key {
			return i + 1
		}
	}
	return 0
}

// WriteApp validates app and writes its app.toml atomically, creating the app's folder.
func (w *Workspace) WriteApp(app App) error {
	if err := app.Validate(); err != nil {
		return fmt.Errorf("write app %s: %w", app.BundleID, err)
	}
	dir := w.AppDir(app.BundleID)
	if err := safefile.CheckWrite(w.Root, dir); err != nil { // the app's folder may be a link from git
		return fmt.Errorf("write app %s: %w", app.BundleID, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write app %s: %w", app.BundleID, err)
	}
	var buf bytes.Buffer
	buf.WriteString("# Written by StoreSyncer; safe to edit and to keep in git.\n")
	if err := toml.NewEncoder(&buf).Encode(app); err != nil {
		return fmt.Errorf("write app %s: %w", app.BundleID, err)
	}
	return WriteFileAtomic(filepath.Join(dir, AppFile), buf.Bytes(), 0o644)
}

// RemoveApp forgets the app: it deletes its app.toml, so the daemon stops syncing it. The
// collections stay on disk (they are the user's files); a missing app wraps ErrNotFound.
func (w *Workspace) RemoveApp(bundleID string) error {
	if err := ValidateBundleID(bundleID); err != nil {
		return err
	}
	err := os.Remove(filepath.Join(w.AppDir(bundleID), AppFile))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove app %s: %w", bundleID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("remove app %s: %w", bundleID, err)
	}
	return nil
}
