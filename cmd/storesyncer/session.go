package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/storesyncer/storesyncer/internal/compose"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/engine"
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
	if d, err := loginConn(g); d != nil || err != nil {
		// A member's machine has no workspace: the app is the one they belong to.
		return g.app, err
	}
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
	rt    *compose.Runtime
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

// startSession opens the workspace, then the state and the engine through the composition
// root; with readFallback a held lock makes it open the state read-only.
func startSession(g *globals, createWorkspace, readFallback bool) (*session, error) {
	cfg, ws, err := openWorkspace(g, createWorkspace)
	if err != nil {
		return nil, err
	}
	rt, err := compose.Open(compose.Config{Config: cfg, Workspace: ws, Logger: g.logger, Now: g.now, ReadFallback: readFallback})
	if err != nil {
		var se *compose.StateError
		var le *state.LockedError
		switch {
		case errors.As(err, &se) && errors.As(err, &le):
			return nil, failure("state.locked", se.Dir, fmt.Errorf("%w; if a daemon runs, check its [api] listen address and token file", err))
		case errors.As(err, &se):
			return nil, failure("state.open", se.Dir, err)
		}
		return nil, failure("engine", "", err)
	}
	return &session{cfg: cfg, ws: ws, store: rt.Store, eng: rt.Engine, rt: rt}, nil
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
