package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// Config configures New. Workspace, Store and Remote are required.
type Config struct {
	// Workspace holds the apps' app.toml files and collections.
	Workspace *workspace.Workspace
	// Store keeps bases, history, events and settings.
	Store *state.Store
	// Remote returns the App Store Connect side of an account ("" is the default account).
	// It is called at most once per account per Engine.
	Remote func(account string) (Remote, error)
	// Collection are the options collections are loaded with (extra locales, a file cache).
	// Platform is taken from each app's app.toml.
	Collection collection.Options
	// Sync holds the [sync] settings used here: Concurrency (groups applied at once, default
	// 4) and EditInReview.
	Sync config.Sync
	// Logger receives progress at debug level and problems at warn; nil discards.
	Logger *slog.Logger
	// Now is the clock for history, events and settings; nil is time.Now.
	Now func() time.Time
}

// Engine syncs the apps of one workspace. Create it with New; the zero value is not usable.
// It is safe for concurrent use, but two operations on the same app at once are not
// coordinated: the daemon runs one operation per app at a time.
type Engine struct {
	ws    *workspace.Workspace
	store *state.Store
	mkRem func(string) (Remote, error)
	opts  collection.Options
	sync  config.Sync
	log   *slog.Logger
	now   func() time.Time

	// files is the loader's file-hash cache in the state; nil when opts.Cache is set.
	files *fileCache
	// baseMu guards baseMemo: the bases last decoded, by app and version ID, then by key.
	baseMu   sync.Mutex
	baseMemo map[string]map[string]decodedBase
	// localMu guards locals: the last read of each collection folder, for PlanOptions.Reuse.
	localMu sync.Mutex
	locals  map[string]localRead

	// mu guards remotes, one per account.
	mu      sync.Mutex
	remotes map[string]Remote
}

// New returns an Engine for cfg.
func New(cfg Config) (*Engine, error) {
	switch {
	case cfg.Workspace == nil:
		return nil, errors.New("new engine: no workspace")
	case cfg.Store == nil:
		return nil, errors.New("new engine: no state store")
	case cfg.Remote == nil:
		return nil, errors.New("new engine: no remote")
	}
	e := &Engine{ws: cfg.Workspace, store: cfg.Store, mkRem: cfg.Remote, opts: cfg.Collection,
		sync: cfg.Sync, log: cfg.Logger, now: cfg.Now, remotes: map[string]Remote{}, locals: map[string]localRead{},
		baseMemo: map[string]map[string]decodedBase{}}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	e.log = e.log.With("component", "engine")
	if e.now == nil {
		e.now = time.Now
	}
	if e.opts.Cache == nil {
		e.files = newFileCache(e.store, e.log)
	}
	if e.sync.Concurrency < 1 {
		e.sync.Concurrency = config.DefaultConcurrency
	}
	return e, nil
}

// Workspace returns the workspace the engine works in.
func (e *Engine) Workspace() *workspace.Workspace { return e.ws }

// remote returns the Remote of account, made once.
func (e *Engine) remote(account string) (Remote, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r, ok := e.remotes[account]; ok {
		return r, nil
	}
	r, err := e.mkRem(account)
	if err != nil {
		return nil, err
	}
	e.remotes[account] = r
	return r, nil
}

// app reads the app.toml of bundleID and returns it with its remote side.
func (e *Engine) app(bundleID string) (workspace.App, Remote, remote.App, error) {
	a, err := e.ws.App(bundleID)
	if err != nil {
		return workspace.App{}, nil, remote.App{}, err
	}
	r, err := e.remote(a.Account)
	if err != nil {
		if ae, ok := AsAppCheck(bundleID, e.appFile(bundleID), err); ok {
			err = ae
		}
		return workspace.App{}, nil, remote.App{}, err
	}
	if a.AppID == "" {
		return workspace.App{}, nil, remote.App{}, fmt.Errorf("app %s: app.toml has no app_id: run `storesyncer apps add --bundle-id %s` again", bundleID, bundleID)
	}
	return a, r, remoteApp(a), nil
}

func remoteApp(a workspace.App) remote.App {
	return remote.App{ID: a.AppID, BundleID: a.BundleID, Platform: string(a.Platform), PrimaryLocale: a.PrimaryLocale, Name: a.Name}
}

// collectionOptions returns the load options for app.
func (e *Engine) collectionOptions(a workspace.App) collection.Options {
	o := e.opts
	o.Platform = a.Platform
	return o
}

// localRead is the last read of one collection folder and the platform it was checked for.
type localRead struct {
	c        *collection.Collection
	problems []collection.Problem
	platform collection.Platform
}

// loadCollection reads the collection in dir for app through the file-hash cache. With reuse
// it starts from the engine's last read of dir and reads again only the files of changed
// (collection.Reload), or nothing at all when none changed; without a last read, or without
// reuse, it reads the whole collection. Either way the result becomes the last read of dir.
func (e *Engine) loadCollection(ctx context.Context, dir string, a workspace.App, reuse bool, changed []plan.Key) (*collection.Collection, []collection.Problem, error) {
	opts := e.collectionOptions(a)
	var prev *localRead
	if reuse {
		e.localMu.Lock()
		if lr, ok := e.locals[dir]; ok && lr.platform == a.Platform {
			prev = &lr
		}
		e.localMu.Unlock()
	}
	if prev != nil && len(changed) == 0 {
		return prev.c, prev.problems, nil // nothing changed: not even a folder is listed
	}
	keys := make([]collection.Key, len(changed))
	for i, k := range changed {
		keys[i] = collection.Key(k)
	}
	var l *load
	if e.files != nil {
		l = e.files.begin(ctx, dir)
		opts.Cache = l
	}
	var last *collection.Collection
	if prev != nil {
		last = prev.c
	}
	c, problems, err := collection.Reload(dir, opts, last, keys)
	if err != nil {
		return nil, nil, err
	}
	if l != nil {
		if n := l.commit(ctx, prev == nil); n > 0 {
			e.log.Debug("media files read", "dir", dir, "files", n)
		}
	}
	e.localMu.Lock()
	e.locals[dir] = localRead{c: c, problems: problems, platform: a.Platform}
	e.localMu.Unlock()
	return c, problems, nil
}

// LocalProblems reads app's active collection again as a whole, through the file-hash cache
// (an unchanged file costs one Lstat), makes it the last read, and returns its problems. It
// is for a change that names no key (a README, a typo'd name): a later Reload starts from a
// listing that has it. dir is the folder it read.
func (e *Engine) LocalProblems(ctx context.Context, bundleID string) (dir string, problems []collection.Problem, err error) {
	a, err := e.ws.App(bundleID)
	if err != nil {
		return "", nil, err
	}
	dir = e.ws.CollectionDir(a.BundleID, a.Active)
	_, problems, err = e.loadCollection(ctx, dir, a, false, nil)
	return dir, problems, err
}

// forgetLocal drops the last read of dir: the engine is about to write into it, and the next
// plan must read what it wrote.
func (e *Engine) forgetLocal(dir string) {
	e.localMu.Lock()
	delete(e.locals, dir)
	e.localMu.Unlock()
}
