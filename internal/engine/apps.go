package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// MainCollection is the collection apps add makes from the target version: the restore point.
const MainCollection = "main"

// ErrAppExists is wrapped when apps add finds the app already in the workspace.
var ErrAppExists = errors.New("app is already in the workspace")

// AddResult is what apps add did.
type AddResult struct {
	App  workspace.App
	Pull *PullResult
}

// AddApp finds the app with exactly bundleID on platform (IOS when empty) with account's key,
// writes its app.toml with collection main active, and pulls the target version into main,
// recording the bases. An app already in the workspace wraps ErrAppExists; an unknown one is
// remote's *AppNotFoundError.
func (e *Engine) AddApp(ctx context.Context, bundleID, platform, account string) (*AddResult, error) {
	if err := workspace.ValidateBundleID(bundleID); err != nil {
		return nil, err
	}
	if _, err := e.ws.App(bundleID); err == nil {
		return nil, fmt.Errorf("apps add %s: %w (remove it first with `storesyncer apps remove --app %s`)", bundleID, ErrAppExists, bundleID)
	}
	r, err := e.remote(account)
	if err != nil {
		return nil, err
	}
	found, err := r.FindApp(ctx, bundleID, platform)
	if err != nil {
		return nil, fmt.Errorf("apps add: %w", err)
	}
	a := workspace.App{BundleID: bundleID, Platform: collection.Platform(found.Platform), Account: account,
		Active: MainCollection, AppID: found.ID, PrimaryLocale: found.PrimaryLocale, Name: found.Name}
	if err := e.ws.WriteApp(a); err != nil {
		return nil, err
	}
	pull, err := e.Pull(ctx, bundleID, PullOptions{Into: MainCollection})
	if err != nil {
		return &AddResult{App: a, Pull: pull}, fmt.Errorf("apps add %s: app.toml written, but the pull failed (run `storesyncer pull` to retry): %w", bundleID, err)
	}
	e.event(ctx, "app_added", bundleID, map[string]any{"platform": a.Platform, "version": pull.Version.String})
	return &AddResult{App: a, Pull: pull}, nil
}

// RemoveApp forgets the app: its app.toml goes (the collections stay on disk, they are the
// user's files) and so do its bases and recorded target.
func (e *Engine) RemoveApp(ctx context.Context, bundleID string) error {
	if err := e.ws.RemoveApp(bundleID); err != nil {
		return err
	}
	if _, err := e.store.DeleteBasesExcept(ctx, bundleID, ""); err != nil {
		return err
	}
	if err := e.store.DeleteSetting(ctx, targetKey(bundleID)); err != nil {
		return err
	}
	e.event(ctx, "app_removed", bundleID, map[string]any{})
	return nil
}

// AppInfo is one app of the workspace as `apps list` shows it, read without App Store
// Connect: the target version is the one recorded by the last pull or push.
type AppInfo struct {
	App workspace.App
	// Target is the recorded target version; zero when none was recorded.
	Target Target
	// LastSync is the last push or pull into the active collection; zero when never.
	LastSync time.Time
}

// Apps lists the workspace's apps. Bad app.toml files are returned as the error, with the
// good apps.
func (e *Engine) Apps(ctx context.Context) ([]AppInfo, error) {
	apps, appsErr := e.ws.Apps()
	out := make([]AppInfo, 0, len(apps))
	for _, a := range apps {
		info := AppInfo{App: a}
		t, ok, err := e.RecordedTarget(ctx, a.BundleID)
		if err != nil {
			return nil, err
		}
		if ok {
			info.Target = t
		}
		s, ok, err := e.store.Setting(ctx, state.KeyLastSync(a.BundleID))
		if err != nil {
			return nil, err
		}
		if ok {
			info.LastSync, _ = time.Parse(time.RFC3339, s)
		}
		out = append(out, info)
	}
	return out, appsErr
}
