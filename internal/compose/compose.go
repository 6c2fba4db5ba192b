// Package compose is StoreSyncer's composition root: it turns a loaded config into the parts
// every command and the daemon work with — the workspace, the state, the App Store Connect
// clients with their shared per-account budget and metrics observer, and the engine — so the
// CLI, the daemon, demo and the tests build them one way.
package compose

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/metrics"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// Config configures Open. Config is required; every other field has a default.
type Config struct {
	// Config is the loaded configuration.
	Config *config.Config
	// Workspace is the opened workspace; nil opens Config.Workspace, making the folder.
	Workspace *workspace.Workspace
	// Logger receives every part's logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock of every part; nil is time.Now.
	Now func() time.Time
	// Metrics, when set, observes every App Store Connect exchange.
	Metrics *metrics.Metrics
	// AssetPollInterval is how often a set whose uploads process is re-read (0 is remote's
	// default); tests shorten it.
	AssetPollInterval time.Duration
	// ReadFallback opens the state read-only when another process holds its lock, for a
	// command that only reads; without it a held lock is a *StateError wrapping
	// *state.LockedError.
	ReadFallback bool
}

// Runtime is what Open built. Close it when done; its fields are not to be replaced.
type Runtime struct {
	Config    *config.Config
	Workspace *workspace.Workspace
	Store     *state.Store
	Remotes   *Remotes
	Engine    *engine.Engine
}

// StateError is a state dir that could not be opened; it wraps *state.LockedError when
// another process holds the lock.
type StateError struct {
	Dir string
	Err error
}

// Error returns the cause's message.
func (e *StateError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *StateError) Unwrap() error { return e.Err }

// Open opens the workspace and the state (taking the state dir's lock) and builds the
// remotes and the engine on them. Errors: *StateError for the state; a workspace error from
// workspace.Open; anything else is the engine's.
func Open(cfg Config) (*Runtime, error) {
	if cfg.Config == nil {
		return nil, errors.New("compose: no config")
	}
	c := cfg.Config
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	ws := cfg.Workspace
	if ws == nil {
		if err := os.MkdirAll(c.Workspace, 0o755); err != nil {
			return nil, fmt.Errorf("workspace: %w", err)
		}
		var err error
		if ws, err = workspace.Open(c.Workspace); err != nil {
			return nil, err
		}
	}
	st, err := openState(c.Daemon.StateDir, cfg)
	if err != nil {
		return nil, err
	}
	rem := NewRemotes(RemotesConfig{Config: c, Store: st, Now: cfg.Now, Logger: cfg.Logger, Metrics: cfg.Metrics, AssetPollInterval: cfg.AssetPollInterval})
	eng, err := engine.New(engine.Config{
		Workspace: ws, Store: st, Remote: rem.engineRemote,
		Collection: collection.Options{ExtraLocales: c.Collection.ExtraLocales, ExtraDisplayTypes: c.Collection.ExtraDisplayTypes, Quiet: c.Collection.Quiet},
		Sync:       c.Sync, Logger: cfg.Logger, Now: cfg.Now,
	})
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	return &Runtime{Config: c, Workspace: ws, Store: st, Remotes: rem, Engine: eng}, nil
}

// openState takes the lock of dir and opens the state; with cfg.ReadFallback a lock held by
// another process opens the state read-only instead.
func openState(dir string, cfg Config) (*state.Store, error) {
	opts := state.Options{Now: cfg.Now, Logger: cfg.Logger}
	st, err := state.Open(dir, opts)
	if err == nil {
		return st, nil
	}
	var le *state.LockedError
	if !errors.As(err, &le) || !cfg.ReadFallback {
		return nil, &StateError{Dir: dir, Err: err}
	}
	cfg.Logger.Debug("state dir in use: reading it read-only", "dir", dir, "pid", le.PID)
	st, err = state.OpenReadOnly(dir, opts)
	if err != nil {
		return nil, &StateError{Dir: dir, Err: err}
	}
	return st, nil
}

// Close closes the state, releasing its lock.
func (r *Runtime) Close() error { return r.Store.Close() }
