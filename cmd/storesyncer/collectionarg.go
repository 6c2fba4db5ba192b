package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// resolveCollectionDir turns a --into or --collection argument into a collection folder: a
// path when it looks like one (holds a separator, starts with '.', or is an existing folder),
// else the name of a collection of the current app (--app, the only app, or the app whose
// folder holds the current directory). Without a config or an app to resolve, a bare name is
// a folder too, so import and export keep working without a config.
func resolveCollectionDir(g *globals, arg string) (string, error) {
	if arg == "" {
		return "", usageError("usage", "", "a collection folder is required")
	}
	if looksLikePath(arg) || workspace.ValidateCollectionName(arg) != nil {
		return filepath.Clean(arg), nil
	}
	path, err := configFilePath(g)
	if err != nil {
		return filepath.Clean(arg), nil
	}
	if _, err := os.Stat(path); err != nil {
		return filepath.Clean(arg), nil
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return "", err
	}
	ws, err := workspace.Open(cfg.Workspace)
	if err != nil {
		return filepath.Clean(arg), nil
	}
	cwd, _ := os.Getwd()
	app, err := ws.ResolveApp(g.app, cwd)
	if err != nil {
		if g.app != "" {
			return "", &cliError{Exit: exitUsage, Code: "app.choice", Err: err}
		}
		return filepath.Clean(arg), nil
	}
	return ws.CollectionDir(app.BundleID, arg), nil
}

func looksLikePath(arg string) bool {
	if strings.ContainsAny(arg, `/\`) || strings.HasPrefix(arg, ".") {
		return true
	}
	fi, err := os.Stat(arg)
	return err == nil && fi.IsDir()
}

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
// workspace, the state store (whose lock it holds) and an engine.
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

// openSession takes the state dir's lock and builds the engine. Close it when done.
func openSession(g *globals) (*session, error) { return openSessionWith(g, false) }

// openSessionWith is openSession; createWorkspace makes a missing workspace folder.
func openSessionWith(g *globals, createWorkspace bool) (*session, error) {
	cfg, ws, err := openWorkspace(g, createWorkspace)
	if err != nil {
		return nil, err
	}
	st, err := state.Open(cfg.Daemon.StateDir, state.Options{Now: g.now, Logger: g.logger})
	if err != nil {
		var le *state.LockedError
		if errors.As(err, &le) {
			return nil, failure("state.locked", cfg.Daemon.StateDir, fmt.Errorf("%w; if a daemon runs, check its [api] listen address and token file", err))
		}
		return nil, failure("state.open", cfg.Daemon.StateDir, err)
	}
	eng, err := engine.New(engine.Config{
		Workspace:  ws,
		Store:      st,
		Remote:     remoteFactory(g, cfg, st),
		Collection: collection.Options{ExtraLocales: cfg.Collection.ExtraLocales, ExtraDisplayTypes: cfg.Collection.ExtraDisplayTypes},
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

func (s *session) Close() { _ = s.store.Close() }

// app resolves the app a command works on.
func (s *session) app(g *globals) (workspace.App, error) { return chooseApp(g, s.ws) }

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

// viaDaemon runs a state-changing command in the daemon when one is running for the config's
// state dir: it sends the request, prints the daemon's answer and returns the exit it asks
// for. ok is false when no daemon runs; the caller then works in-process.
func viaDaemon(ctx context.Context, g *globals, send func(*statusapi.Client) (statusapi.OpResult, error)) (ok bool, err error) {
	cfg, err := loadConfig(g)
	if err != nil {
		return false, err
	}
	d, err := newDaemonConn(cfg)
	if err != nil || !d.client.Running(ctx) {
		return false, nil
	}
	res, err := send(d.client)
	if err != nil {
		return true, d.fail(err)
	}
	return true, printOpResult(g, res)
}

// printOpResult prints what the daemon answered and turns its exit code into the error.
func printOpResult(g *globals, res statusapi.OpResult) error {
	if g.json && len(res.Output) > 0 {
		if _, err := fmt.Fprintf(g.stdout, "%s\n", strings.TrimRight(string(res.Output), "\n")); err != nil {
			return err
		}
	} else if !g.json || res.Error == nil {
		for _, l := range res.Lines {
			fmt.Fprintln(g.stdout, l)
		}
	}
	if res.ExitCode == exitOK {
		return nil
	}
	ce := &cliError{Exit: res.ExitCode, Code: "daemon", Silent: res.Error == nil, Err: fmt.Errorf("the daemon ended the command with exit %d", res.ExitCode)}
	if res.Error != nil {
		ce.Code, ce.Path, ce.Err = res.Error.Code, res.Error.Path, errors.New(res.Error.Message)
	}
	return ce
}

// engineError maps the engine's errors to exit codes.
func engineError(err error) error {
	var ce *cliError
	var ke *plan.KeyError
	var nf *remote.AppNotFoundError
	var vo *remote.VersionOpenError
	var nc *engine.NotInConflictError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		return err
	case errors.As(err, &ke):
		return &cliError{Exit: exitUsage, Code: "usage", Err: err}
	case errors.As(err, &nc):
		return &cliError{Exit: exitUsage, Code: "resolve.not_in_conflict", Err: err}
	case errors.As(err, &nf):
		return failure("app.not_found", "", err)
	case errors.As(err, &vo):
		msg := fmt.Errorf("cannot create version %s: %w", vo.Wanted, vo)
		if vo.Open.ID != "" {
			msg = fmt.Errorf("version %s is open (%s): rename it with `storesyncer versions set %s`", vo.Open.String, vo.Open.State, vo.Wanted)
		}
		return failure("version.open", "", msg)
	case errors.Is(err, workspace.ErrNotFound):
		return &cliError{Exit: exitUsage, Code: "not_found", Err: err}
	case errors.Is(err, workspace.ErrExists), errors.Is(err, engine.ErrAppExists):
		return failure("exists", "", err)
	case errors.Is(err, workspace.ErrActive):
		return failure("collection.active", "", err)
	case errors.Is(err, context.Canceled):
		return failure("interrupted", "", err)
	}
	return failure("error", "", err)
}
