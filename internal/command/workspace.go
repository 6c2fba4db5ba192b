package command

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// This file holds the commands that change the workspace and the app's versions: apps
// add|remove, versions create|set, collections create|activate|delete.

func init() {
	register(func() Request { return &AppsAdd{} })
	register(func() Request { return &AppsRemove{} })
	register(func() Request { return &VersionsCreate{} })
	register(func() Request { return &VersionsSet{} })
	register(func() Request { return &CollectionsCreate{} })
	register(func() Request { return &CollectionsActivate{} })
	register(func() Request { return &CollectionsDelete{} })
}

// AppsAdd finds an app on App Store Connect and pulls it into collection main.
type AppsAdd struct {
	BundleID string `json:"bundle_id"`
	Platform string `json:"platform,omitempty"`
	Account  string `json:"account,omitempty"`
}

// Name is "apps.add".
func (*AppsAdd) Name() string              { return "apps.add" }
func (r *AppsAdd) scope() (scope, *string) { return newApp, &r.BundleID }
func (r *AppsAdd) validate() error {
	if r.BundleID == "" {
		return Usage("usage", "--bundle-id is required")
	}
	return nil
}
func (r *AppsAdd) run(ctx context.Context, e *Env) (Report, error) {
	res, err := e.Engine.AddApp(ctx, r.BundleID, r.Platform, r.Account)
	if err != nil {
		return nil, err
	}
	e.changed(r.BundleID, AppAdded)
	rep := AppsAddReport{App: AppRow{BundleID: res.App.BundleID, Platform: string(res.App.Platform), Name: res.App.Name, Active: res.App.Active},
		Version: res.Pull.Version.String, State: res.Pull.Version.State, Texts: len(res.Pull.Texts), Sets: len(res.Pull.Sets), Dir: res.Pull.Dir,
		Conflicts: append([]engine.PullConflict{}, res.Pull.Conflicts...)}
	if len(rep.Conflicts) > 0 {
		// A folder that was already there (a teammate's clone): what differs is left alone.
		return rep, &Error{Exit: statusapi.ExitConflict, Code: "pull.conflict", Silent: true,
			Err: fmt.Errorf("%d key(s) of the existing folder differ from App Store Connect and were left alone", len(rep.Conflicts))}
	}
	return rep, nil
}

// AppRow is an app as apps add reports it.
type AppRow struct {
	BundleID string `json:"bundle_id"`
	Platform string `json:"platform"`
	Name     string `json:"name"`
	Active   string `json:"active"`
}

// AppsAddReport is what apps add did.
type AppsAddReport struct {
	App     AppRow `json:"app"`
	Version string `json:"version"`
	State   string `json:"state"`
	Texts   int    `json:"texts"`
	Sets    int    `json:"sets"`
	Dir     string `json:"dir"`
	// Conflicts are the keys of a folder that existed before whose files differ from App
	// Store Connect: left alone (see engine.Pull).
	Conflicts []engine.PullConflict `json:"conflicts"`
}

// Lines is the app and what was pulled, then a line per key left alone.
func (r AppsAddReport) Lines() []string {
	lines := []string{fmt.Sprintf("added %s (%s, %s): pulled version %s (%s) into %s: %d text(s), %d set(s)",
		r.App.BundleID, r.App.Name, r.App.Platform, r.Version, r.State, r.Dir, r.Texts, r.Sets)}
	for _, c := range r.Conflicts {
		lines = append(lines, fmt.Sprintf("conflict  %s (%s)", c.Key, c.Reason))
	}
	return lines
}

// AppsRemove forgets an app: its app.toml and bases go, its collections stay. The app is
// never guessed.
type AppsRemove struct {
	App string `json:"app"`
}

// Name is "apps.remove".
func (*AppsRemove) Name() string              { return "apps.remove" }
func (r *AppsRemove) scope() (scope, *string) { return existingApp, &r.App }
func (r *AppsRemove) validate() error {
	if r.App == "" {
		return Usage("usage", "apps remove needs --bundle-id ID (it is never guessed)")
	}
	return nil
}
func (r *AppsRemove) run(ctx context.Context, e *Env) (Report, error) {
	if err := e.Engine.RemoveApp(ctx, r.App); err != nil {
		return nil, err
	}
	e.changed(r.App, AppRemoved)
	return AppsRemoveReport{Removed: r.App, dir: e.Workspace.AppDir(r.App)}, nil
}

// AppsRemoveReport names the app removed.
type AppsRemoveReport struct {
	Removed string `json:"removed"`
	dir     string
}

// Lines says where the collections stay.
func (r AppsRemoveReport) Lines() []string {
	return []string{fmt.Sprintf("removed %s; its collections stay in %s", r.Removed, r.dir)}
}

// VersionRow is an App Store version as the versions commands print it.
type VersionRow struct {
	ID       string `json:"id"`
	Version  string `json:"version"`
	State    string `json:"state"`
	Platform string `json:"platform"`
	Created  string `json:"created,omitempty"`
	Target   bool   `json:"target"`
}

// NewVersionRow returns v's row; target marks the app's target version.
func NewVersionRow(v remote.Version, target bool) VersionRow {
	r := VersionRow{ID: v.ID, Version: v.String, State: v.State, Platform: v.Platform, Target: target}
	if !v.CreatedDate.IsZero() {
		r.Created = v.CreatedDate.UTC().Format(time.RFC3339)
	}
	return r
}

// VersionsCreate opens a new App Store version, which becomes the target version.
type VersionsCreate struct {
	App     string `json:"app,omitempty"`
	Version string `json:"version"`
}

// Name is "versions.create".
func (*VersionsCreate) Name() string              { return "versions.create" }
func (r *VersionsCreate) scope() (scope, *string) { return existingApp, &r.App }
func (r *VersionsCreate) run(ctx context.Context, e *Env) (Report, error) {
	v, err := e.Engine.CreateVersion(ctx, r.App, r.Version)
	if err != nil {
		return nil, err
	}
	e.changed(r.App, Replan)
	return VersionReport{Version: NewVersionRow(v, true), line: fmt.Sprintf("created version %s (%s); the next push re-baselines onto it", v.String, v.State)}, nil
}

// VersionsSet renames the open (editable) version.
type VersionsSet struct {
	App     string `json:"app,omitempty"`
	Version string `json:"version"`
}

// Name is "versions.set".
func (*VersionsSet) Name() string              { return "versions.set" }
func (r *VersionsSet) scope() (scope, *string) { return existingApp, &r.App }
func (r *VersionsSet) run(ctx context.Context, e *Env) (Report, error) {
	v, err := e.Engine.SetVersion(ctx, r.App, r.Version)
	if err != nil {
		return nil, err
	}
	e.changed(r.App, Replan)
	return VersionReport{Version: NewVersionRow(v, true), line: fmt.Sprintf("the open version is now %s (%s)", v.String, v.State)}, nil
}

// VersionReport is the version a versions command made or renamed.
type VersionReport struct {
	Version VersionRow `json:"version"`
	line    string
}

// Lines is one line about the version.
func (r VersionReport) Lines() []string { return []string{r.line} }

// CollectionsCreate makes collection Name of the app from live, a zip file or folder
// (Path, absolute), another collection or the empty template.
type CollectionsCreate struct {
	App        string            `json:"app,omitempty"`
	Collection string            `json:"collection"`
	From       engine.SourceKind `json:"from"`
	Path       string            `json:"path,omitempty"`
	Source     string            `json:"source,omitempty"`
}

// Name is "collections.create".
func (*CollectionsCreate) Name() string              { return "collections.create" }
func (r *CollectionsCreate) scope() (scope, *string) { return existingApp, &r.App }
func (r *CollectionsCreate) validate() error {
	if r.From == engine.FromZip && !filepath.IsAbs(r.Path) {
		// The daemon's working folder is not the user's: the CLI sends absolute paths.
		return Usage("usage", "--from zip: the path %q must be absolute", r.Path)
	}
	return nil
}
func (r *CollectionsCreate) run(ctx context.Context, e *Env) (Report, error) {
	dir, err := e.Engine.CreateCollection(ctx, r.App, r.Collection, engine.Source{Kind: r.From, Path: r.Path, Collection: r.Source})
	if err != nil {
		return nil, err
	}
	return CollectionReport{Collection: r.Collection, Dir: dir, From: string(r.From),
		line: fmt.Sprintf("created collection %s in %s (from %s)", r.Collection, dir, r.From)}, nil
}

// CollectionReport is the collection a collections command made.
type CollectionReport struct {
	Collection string `json:"collection"`
	Dir        string `json:"dir"`
	From       string `json:"from"`
	line       string
}

// Lines is one line about the collection.
func (r CollectionReport) Lines() []string { return []string{r.line} }

// CollectionsActivate makes a collection the app's desired state.
type CollectionsActivate struct {
	App        string `json:"app,omitempty"`
	Collection string `json:"collection"`
}

// Name is "collections.activate".
func (*CollectionsActivate) Name() string              { return "collections.activate" }
func (r *CollectionsActivate) scope() (scope, *string) { return existingApp, &r.App }
func (r *CollectionsActivate) run(ctx context.Context, e *Env) (Report, error) {
	if err := e.Engine.Activate(ctx, r.App, r.Collection); err != nil {
		return nil, err
	}
	e.changed(r.App, Replan)
	return ActivateReport{App: r.App, Active: r.Collection}, nil
}

// ActivateReport names the app's active collection.
type ActivateReport struct {
	App    string `json:"app"`
	Active string `json:"active"`
}

// Lines is one line: what is active and what happens next.
func (r ActivateReport) Lines() []string {
	return []string{fmt.Sprintf("%s is now active for %s; `storesyncer plan` shows what the next push changes", r.Active, r.App)}
}

// CollectionsDelete deletes a collection folder, never the active one.
type CollectionsDelete struct {
	App        string `json:"app,omitempty"`
	Collection string `json:"collection"`
}

// Name is "collections.delete".
func (*CollectionsDelete) Name() string              { return "collections.delete" }
func (r *CollectionsDelete) scope() (scope, *string) { return existingApp, &r.App }
func (r *CollectionsDelete) run(ctx context.Context, e *Env) (Report, error) {
	if err := e.Engine.DeleteCollection(ctx, r.App, r.Collection); err != nil {
		return nil, err
	}
	return DeleteReport{Deleted: r.Collection}, nil
}

// DeleteReport names the collection deleted.
type DeleteReport struct {
	Deleted string `json:"deleted"`
}

// Lines is one line.
func (r DeleteReport) Lines() []string { return []string{"deleted collection " + r.Deleted} }
