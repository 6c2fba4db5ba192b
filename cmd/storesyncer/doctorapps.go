package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/compose"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// appCheckPrefix starts the name of every per-app check; a failed one makes doctor exit 2,
// as plan and push do for the same app.toml.
const appCheckPrefix = "app "

// checkStateModes warns about a state dir or database file that others can read: the
// database holds every text base.
func (d *doctor) checkStateModes(dir string) {
	if d.goos == "windows" || dir == "" {
		return
	}
	if _, err := os.Stat(dir); err != nil {
		return // not made yet: Open makes it private
	}
	bad := state.CheckModes(dir)
	if len(bad) == 0 {
		d.add("state permissions", checkOK, "%s and its database are private (0700, 0600)", dir)
		return
	}
	for _, msg := range bad {
		d.add("state permissions", checkWarn, "%s", msg)
	}
}

// checkApps checks every app.toml of the workspace as the engine does before a write: the
// account exists, the active collection exists, and the app that app_id names on App Store
// Connect has app.toml's bundle ID and a version on its platform (one request per app).
func (d *doctor) checkApps(ctx context.Context, cfg *config.Config) {
	ws, err := workspace.Open(cfg.Workspace)
	if err != nil {
		return // checkWorkspace said why
	}
	apps, err := ws.Apps()
	if err != nil {
		d.add("apps", checkFail, "%v", err)
	}
	rem := compose.NewRemotes(compose.RemotesConfig{Config: cfg, Now: d.g.now, Logger: d.g.logger})
	for _, a := range apps {
		name := appCheckPrefix + a.BundleID
		if _, err := cfg.Account(a.Account); err != nil {
			d.add(name, checkFail, "account in app.toml: %v", err)
			continue
		}
		if info, err := os.Stat(ws.CollectionDir(a.BundleID, a.Active)); err != nil || !info.IsDir() {
			d.add(name, checkFail, "active collection %q in app.toml does not exist: create it, or activate another with `storesyncer collections activate NAME`", a.Active)
			continue
		}
		if a.AppID == "" {
			d.add(name, checkFail, "app.toml has no app_id: run `storesyncer apps add --bundle-id %s` again", a.BundleID)
			continue
		}
		client, _, err := rem.Client(a.Account, ascapi.WithMaxRetries(1), ascapi.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}))
		if err != nil {
			continue // the account's own checks said why
		}
		r, err := remote.New(remote.Config{Client: client, Logger: d.g.logger, Now: d.g.now})
		if err != nil {
			d.add(name, checkFail, "%v", err)
			continue
		}
		_, err = r.Versions(ctx, remote.App{ID: a.AppID, BundleID: a.BundleID, Platform: string(a.Platform)})
		var mismatch *remote.AppMismatchError
		switch {
		case errors.As(err, &mismatch):
			d.add(name, checkFail, "%v", mismatch)
		case err != nil:
			d.add(name, checkWarn, "cannot check app_id %s: %v", a.AppID, err)
		default:
			d.add(name, checkOK, "app_id %s is %s on %s; active collection %q", a.AppID, a.BundleID, a.Platform, a.Active)
		}
	}
}

// appChecksFailed reports whether a per-app check failed.
func (d *doctor) appChecksFailed() bool {
	for _, c := range d.checks {
		if c.Status == checkFail && strings.HasPrefix(c.Name, appCheckPrefix) {
			return true
		}
	}
	return false
}
