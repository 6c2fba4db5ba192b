package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// chooseApp resolves --app (else the only app, else the app whose folder holds the current
// directory); an ambiguous or unknown app is a usage error listing the apps.
func chooseApp(g *globals, ws *workspace.Workspace) (workspace.App, error) {
	cwd, _ := os.Getwd()
	app, err := ws.ResolveApp(g.app, cwd)
	if err == nil {
		return app, nil
	}
	var ce *workspace.AppChoiceError
	var fe *workspace.AppFileError
	switch {
	case errors.As(err, &ce):
		return workspace.App{}, &cliError{Exit: exitUsage, Code: "app.choice", Err: err}
	case errors.As(err, &fe):
		return workspace.App{}, &cliError{Exit: exitUsage, Code: "app.invalid", Path: fe.Path, Err: err}
	}
	return workspace.App{}, failure("app.read", "", err)
}

// currentApp resolves the app a command works on from the workspace alone (no lock), so a
// request to the daemon names it.
func currentApp(g *globals) (string, error) {
	_, ws, err := openWorkspace(g, false)
	if err != nil {
		return "", err
	}
	app, err := chooseApp(g, ws)
	if err != nil {
		return "", err
	}
	return app.BundleID, nil
}

// session is what a command that works on App Store Connect needs: the config, the
// workspace, the state store (whose lock it holds, unless openReadSession opened it
// read-only) and an engine.
type session struct {
	cfg   *config.Config
	ws    *workspace.Workspace
	store *state.Store
	eng   *engine.Engine
}

// openWorkspace loads the config and opens the workspace; with create (apps add) a missing
// workspace folder is made, otherwise it is a usage error that says to run init.
func openWorkspace(g *globals, create bool) (*config.Config, *workspace.Workspace, error) {
	cfg, err := loadConfig(g)
	if err != nil {
		return nil, nil, err
	}
	if create {
		if err := os.MkdirAll(cfg.Workspace, 0o755); err != nil {
			return nil, nil, usageError("config.invalid", cfg.Path, "workspace %s: %v", cfg.Workspace, err)
		}
	}
	ws, err := workspace.Open(cfg.Workspace)
	if err != nil {
		return nil, nil, usageError("config.invalid", cfg.Path, "%v (run `storesyncer init`, or `storesyncer apps add`)", err)
	}
	return cfg, ws, nil
}

// openSession takes the state dir's lock and builds the engine, for a command that changes
// state. Close it when done.
func openSession(g *globals) (*session, error) { return startSession(g, false, false) }

// openSessionWith is openSession; createWorkspace makes a missing workspace folder.
func openSessionWith(g *globals, createWorkspace bool) (*session, error) {
	return startSession(g, createWorkspace, false)
}

// openReadSession is openSession for a command that only reads the state (plan, apps list,
// versions list, collections list). It takes the lock when it is free; while another
// process holds it (a running daemon, or a command in progress) it reads the state beside
// that process instead of failing, through a store whose writes fail with
// state.ErrReadOnly, so a read command that starts writing is caught rather than racing
// the owner.
func openReadSession(g *globals) (*session, error) { return startSession(g, false, true) }

// startSession opens the workspace, the state and the engine; with readFallback a held
// lock makes it open the state read-only.
func startSession(g *globals, createWorkspace, readFallback bool) (*session, error) {
	cfg, ws, err := openWorkspace(g, createWorkspace)
	if err != nil {
		return nil, err
	}
	st, err := openState(g, cfg.Daemon.StateDir, readFallback)
	if err != nil {
		return nil, err
	}
	eng, err := engine.New(engine.Config{
		Workspace:  ws,
		Store:      st,
		Remote:     remoteFactory(g, cfg, st),
		Collection: collection.Options{ExtraLocales: cfg.Collection.ExtraLocales, ExtraDisplayTypes: cfg.Collection.ExtraDisplayTypes, Quiet: cfg.Collection.Quiet},
		Sync:       cfg.Sync,
		Logger:     g.logger,
		Now:        g.now,
	})
	if err != nil {
		_ = st.Close()
		return nil, failure("engine", "", err)
	}
	return &session{cfg: cfg, ws: ws, store: st, eng: eng}, nil
}

// openState takes the lock of the state dir dir and opens the state; with readFallback a
// lock held by another process makes it open the state read-only instead.
func openState(g *globals, dir string, readFallback bool) (*state.Store, error) {
	opts := state.Options{Now: g.now, Logger: g.logger}
	st, err := state.Open(dir, opts)
	if err == nil {
		return st, nil
	}
	var le *state.LockedError
	if !errors.As(err, &le) {
		return nil, failure("state.open", dir, err)
	}
	if !readFallback {
		return nil, failure("state.locked", dir, fmt.Errorf("%w; if a daemon runs, check its [api] listen address and token file", err))
	}
	g.logger.Debug("state dir in use: reading it read-only", "dir", dir, "pid", le.PID)
	st, err = state.OpenReadOnly(dir, opts)
	if err != nil {
		return nil, failure("state.open", dir, err)
	}
	return st, nil
}

func (s *session) Close() { _ = s.store.Close() }

// app resolves the app a command works on.
func (s *session) app(g *globals) (workspace.App, error) { return chooseApp(g, s.ws) }

// openApp opens a session with open (openSession or openReadSession) and chooses the app the
// command works on. The caller closes the session.
func openApp(g *globals, open func(*globals) (*session, error)) (*session, workspace.App, error) {
	s, err := open(g)
	if err != nil {
		return nil, workspace.App{}, err
	}
	app, err := s.app(g)
	if err != nil {
		s.Close()
		return nil, workspace.App{}, err
	}
	return s, app, nil
}

// remoteFactory builds the App Store Connect side of an account from the config.
func remoteFactory(g *globals, cfg *config.Config, st *state.Store) func(string) (*remote.Remote, error) {
	return func(name string) (*remote.Remote, error) {
		a, err := cfg.Account(name)
		if err != nil {
			return nil, &cliError{Exit: exitUsage, Code: "config.account", Path: cfg.Path, Err: err}
		}
		pemBytes, err := a.LoadKey()
		if err != nil {
			return nil, &cliError{Exit: exitUsage, Code: "config.key", Path: a.PrivateKeyPath, Err: err}
		}
		key, err := ascapi.ParseKey(pemBytes)
		if err != nil {
			return nil, &cliError{Exit: exitUsage, Code: "config.key", Path: a.PrivateKeyPath, Err: fmt.Errorf("%s: %w", a.PrivateKeyPath, err)}
		}
		opts := []ascapi.ClientOption{
			ascapi.WithClock(g.now),
			ascapi.WithLogger(g.logger),
			ascapi.WithHTTPClient(&http.Client{Timeout: 2 * time.Minute}),
		}
		if a.APIBaseURL != "" {
			opts = append(opts, ascapi.WithBaseURL(a.APIBaseURL+"/"))
		}
		c, err := ascapi.NewClient(ascapi.Credentials{IssuerID: a.IssuerID, Individual: a.Individual, KeyID: a.KeyID, PrivateKey: key}, opts...)
		if err != nil {
			return nil, &cliError{Exit: exitUsage, Code: "config.account", Path: cfg.Path, Err: err}
		}
		return remote.New(remote.Config{Client: c, Logger: g.logger, Now: g.now, Uploads: remote.StateJournal{Store: st}})
	}
}
