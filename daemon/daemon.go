package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/compose"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/dashboard"
	"github.com/storesyncer/storesyncer/internal/metrics"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/internal/workspace"
	"github.com/storesyncer/storesyncer/watcher"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// Config configures New. Config is required; every other field has a default, so a Config
// holding only Config works.
type Config struct {
	// Config is the loaded configuration (workspace, state dir, [api], [watch], [sync]).
	Config *config.Config
	// Logger receives the daemon's logs; nil discards them. Secrets never reach it.
	Logger *slog.Logger
	// Clock runs the daemon's timers (remote poll, lease heartbeat, retries); nil is the wall
	// clock. The watcher keeps the wall clock unless WatchClock is set.
	Clock clock.Clock
	// WatchClock is the watcher's clock; nil is the wall clock.
	WatchClock clock.Clock
	// Rand returns numbers in [0, 1) for jitter; nil is math/rand/v2.
	Rand func() float64
	// Version is StoreSyncer's version, shown in status and metrics.
	Version string
	// Host and PID identify this daemon in lease files; empty and 0 mean os.Hostname and
	// os.Getpid.
	Host string
	PID  int
	// Metrics receives the daemon's metrics; nil makes a new private registry.
	Metrics *metrics.Metrics
	// AssetPollInterval is how often a set whose uploads process is re-read (0 is remote's
	// default, 2 s); tests shorten it.
	AssetPollInterval time.Duration
	// Notifier hears when the daemon is ready, its status and its liveness (systemd's
	// sd_notify); nil tells no one.
	Notifier Notifier
	// NotifyInterval is how often the Notifier gets the status and a liveness ping: half
	// the service manager's watchdog timeout. 0 is 30 s.
	NotifyInterval time.Duration
}

// Daemon is StoreSyncer's background service for one state dir. Create it with New (the zero
// value is not usable) and run it once with Run; Snapshot, Subscribe and the Backend methods
// are safe to call from any goroutine while it runs.
type Daemon struct {
	cfg     *config.Config
	log     *slog.Logger
	clock   clock.Clock
	wclock  clock.Clock
	rand    func() float64
	version string
	lease   leaseHolder
	store   *state.Store
	ws      *workspace.Workspace
	eng     Engine
	// queue turns plans into jobs; dispatch runs them.
	queue    *jobQueue
	dispatch *dispatcher
	// cmds runs the CLI's commands sent to the status API.
	cmds    *command.Dispatcher
	metrics *metrics.Metrics
	// budget reports the account budget with the least left; the remote poll slows down on it.
	budget func() (ascapi.RateLimit, bool)
	// spent reports an account whose budget is spent and when its requests resume; nil in
	// unit tests.
	spent     func() (ascapi.RateLimit, time.Time, bool)
	hub       *hub
	api       *statusapi.Server
	dash      *dashboard.Dashboard
	startedAt time.Time
	ready     chan struct{}

	notifier    Notifier
	notifyEvery time.Duration
	// pipelineProbe and dispatchProbe take a channel that the pipeline and the dispatcher
	// close from their loops: the watchdog's proof that they still turn.
	pipelineProbe chan chan struct{}
	dispatchProbe chan chan struct{}

	reloadc chan struct{} // the pipeline re-reads the workspace's apps
	workc   chan struct{} // the dispatcher looks for due jobs
	pollc   chan struct{} // the poller polls now
	paused  atomic.Bool
	running atomic.Bool
	closeMu sync.Mutex
	closed  bool

	// apps is the app registry: the apps, their leases and what Snapshot reports.
	apps *registry
}

// New opens the state dir (taking its lock: a second daemon for the same state dir gets an
// error wrapping state.ErrLocked), the workspace and the API token, and builds the engine.
// Nothing runs until Run. Call Close when Run is never called.
func New(cfg Config) (*Daemon, error) {
	if cfg.Config == nil {
		return nil, errors.New("new daemon: no config")
	}
	c := cfg.Config
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.WatchClock == nil {
		cfg.WatchClock = clock.Real{}
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Float64
	}
	if cfg.Host == "" {
		h, err := os.Hostname()
		if err != nil {
			h = "unknown-host"
		}
		cfg.Host = h
	}
	if cfg.PID == 0 {
		cfg.PID = os.Getpid()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New(metrics.Config{Version: cfg.Version, Now: cfg.Clock.Now, Logger: cfg.Logger})
	}
	if cfg.NotifyInterval <= 0 {
		cfg.NotifyInterval = defaultNotifyInterval
	}
	log := cfg.Logger.With("component", "daemon")
	if c.API.TokenFile == "" {
		cp := *c
		cp.API.TokenFile = filepath.Join(c.Daemon.StateDir, config.TokenFileName)
		c = &cp
	}
	rt, err := compose.Open(compose.Config{Config: c, Logger: cfg.Logger, Now: cfg.Clock.Now, Metrics: cfg.Metrics,
		AssetPollInterval: cfg.AssetPollInterval})
	if err != nil {
		return nil, fmt.Errorf("new daemon: %w", err)
	}
	store, ws := rt.Store, rt.Workspace
	d := &Daemon{
		cfg: c, log: log, clock: cfg.Clock, wclock: cfg.WatchClock, rand: cfg.Rand, version: cfg.Version,
		lease: leaseHolder{host: cfg.Host, pid: cfg.PID}, store: store, ws: ws, metrics: cfg.Metrics,
		startedAt: cfg.Clock.Now(), ready: make(chan struct{}),
		reloadc: make(chan struct{}, 1), workc: make(chan struct{}, 1), pollc: make(chan struct{}, 1),
		notifier: cfg.Notifier, notifyEvery: cfg.NotifyInterval,
		pipelineProbe: make(chan chan struct{}), dispatchProbe: make(chan chan struct{}),
	}
	d.budget, d.spent = rt.Remotes.LowestBudget, rt.Remotes.SpentBudget
	d.hub = newHub(store, cfg.Clock, log.With("part", "events"))
	d.eng = engineAdapter{rt.Engine}
	d.apps = newRegistry(d)
	d.queue, d.dispatch = newJobQueue(d), newDispatcher(d)
	d.cmds = command.NewDispatcher(command.Env{Engine: rt.Engine, Store: store, Workspace: ws, Daemon: commands{d}, Now: cfg.Clock.Now})
	d.dash, err = dashboard.New(dashboard.Config{
		Workspace: ws, Reader: backend{d}, Commands: backend{d}, Versions: dashboardVersions(rt.Engine), RemoteTexts: d.dashboardRemoteTexts(rt.Engine), PlanActivation: d.dashboardActivation(rt.Engine), RemoteImages: d.dashboardRemoteImages(rt.Engine),
		Collection: collection.Options{ExtraLocales: c.Collection.ExtraLocales, ExtraDisplayTypes: c.Collection.ExtraDisplayTypes, Quiet: c.Collection.Quiet},
		TokenFile:  c.API.TokenFile, ThumbDir: filepath.Join(c.Daemon.StateDir, "thumbs"), Logger: cfg.Logger, Now: cfg.Clock.Now,
		Team: dashboardTeam{team{d}},
	})
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("new daemon: %w", err)
	}
	d.api, err = statusapi.New(statusapi.Config{
		Listen: c.API.Listen, TokenFile: c.API.TokenFile, MetricsHandler: d.metrics.Handler(),
		MetricsAuth: c.API.MetricsAuth, Backend: backend{d}, Logger: cfg.Logger, Now: cfg.Clock.Now,
		Pages: d.dash, LoginCode: d.dash.LoginCode, Team: team{d}, TLS: apiTLS(c), PublicNames: c.API.PublicNames,
	})
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("new daemon: %w", err)
	}
	d.metrics.SetQueueSource(d.queueCounts)
	d.metrics.SetStateDBSizeSource(d.dbSize)
	d.metrics.SetAppsSource(d.appStats)
	d.metrics.ConfigReloaded(true)
	return d, nil
}

// Run starts every part under one errgroup — the watcher, the pipeline, the workers, the
// remote poll, the lease heartbeat, the event stream and the status API — and runs until ctx
// is done or a part fails; then it cancels the others, waits for them, releases the app
// leases and closes the state. A Daemon runs once.
func (d *Daemon) Run(ctx context.Context) error {
	if !d.running.CompareAndSwap(false, true) {
		return errors.New("daemon: Run called twice")
	}
	defer d.Close()
	if n, err := d.store.ResetInFlight(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // stopped before it started
		}
		return err
	} else if n > 0 {
		d.log.Info("resuming jobs interrupted by the last stop", "jobs", n)
	}
	if v, ok, err := d.store.Setting(ctx, state.KeyPaused); err == nil && ok && v == "true" {
		d.paused.Store(true)
	}
	roots := d.apps.reloadApps(ctx)
	w, err := watcher.New(watcher.Config{
		Roots: roots, Workspace: d.ws.Root,
		QuietPeriod: d.cfg.Watch.QuietPeriod, MaxWait: d.cfg.Watch.MaxWait,
		DeleteDelay: d.cfg.Watch.DeleteDelay, RescanInterval: d.cfg.Watch.RescanInterval,
		Clock: d.wclock, Rand: d.rand, Logger: d.log, Metrics: watcherMetrics{d},
	})
	if err != nil {
		return fmt.Errorf("daemon: %w", err)
	}
	d.apps.setWatcher(w)
	d.metrics.SetPendingPathsSource(w.PendingPaths)
	d.metrics.SetWatcherUp(true)
	d.hub.add(ctx, EventDaemonStarted, "", map[string]any{"message": "daemon started", "version": d.version})

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		err := w.Run(gctx)
		if err != nil {
			d.apps.setWatchError(err)
		}
		return err
	})
	g.Go(func() error { return d.runPipeline(gctx, w) })
	g.Go(func() error { return d.dispatch.run(gctx) })
	g.Go(func() error { return d.runPoller(gctx) })
	g.Go(func() error { return d.runHeartbeat(gctx) })
	g.Go(func() error { return d.hub.run(gctx) })
	g.Go(func() error { return d.api.Run(gctx) })
	g.Go(func() error { return d.runNotify(gctx) })
	g.Go(func() error {
		select {
		case <-d.api.Ready():
			close(d.ready)
		case <-gctx.Done():
		}
		return nil
	})
	err = g.Wait()
	d.apps.releaseLeases()
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		err = nil
	}
	return err
}

// Ready returns a channel closed once the daemon serves its API and watches the workspace.
func (d *Daemon) Ready() <-chan struct{} { return d.ready }

// APIAddr is the status API's address once Ready ("127.0.0.1:7420").
func (d *Daemon) APIAddr() string { return d.api.Addr() }

// DashboardURL returns a one-time URL that logs a browser in to the dashboard; it is a secret
// until used. It is valid once the API listens (after Ready).
func (d *Daemon) DashboardURL() (string, error) {
	code, err := d.dash.LoginCode()
	if err != nil {
		return "", err
	}
	return d.api.DashboardURL(code), nil
}

// TokenFile is the file holding the status API's bearer token.
func (d *Daemon) TokenFile() string { return d.cfg.API.TokenFile }

// Backend returns the daemon's status API backend, for callers in the same process (demo).
func (d *Daemon) Backend() statusapi.Backend { return backend{d} }

// Subscribe returns the daemon's events as they are recorded, and a function that ends the
// subscription (see statusapi.Backend.Subscribe).
func (d *Daemon) Subscribe(ctx context.Context) (<-chan statusapi.Event, func()) {
	return d.hub.subscribe(ctx)
}

// Close closes the state dir (releasing its lock). Run calls it when it returns; calling it
// again does nothing.
func (d *Daemon) Close() error {
	d.closeMu.Lock()
	defer d.closeMu.Unlock()
	if d.closed {
		return nil
	}
	d.closed = true
	return d.store.Close()
}

// poke sends a non-blocking wake-up on c.
func poke(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// queueCounts is the metrics' queue source.
func (d *Daemon) queueCounts() (metrics.QueueCounts, error) {
	ctx := context.Background()
	c, err := d.store.Counts(ctx)
	if err != nil {
		return metrics.QueueCounts{}, err
	}
	q := metrics.QueueCounts{Pending: c.Pending, InFlight: c.InFlight, RetryWait: c.RetryWait, Failed: c.Failed, Held: c.Held}
	if jobs, err := d.store.Jobs(ctx, state.JobFilter{States: []state.JobState{state.JobPending}, Limit: 1}); err == nil && len(jobs) > 0 {
		q.OldestPending = jobs[0].CreatedAt
	}
	return q, nil
}

// dbSize is the metrics' state database size source.
func (d *Daemon) dbSize() (int64, error) {
	var total int64
	for _, name := range []string{state.DBFile, state.DBFile + "-wal"} {
		fi, err := os.Stat(filepath.Join(d.store.Dir(), name))
		if err == nil {
			total += fi.Size()
		}
	}
	return total, nil
}

// holds reports whether this daemon holds app's lease, and the app's active collection folder.
func (d *Daemon) holds(app string) (dir string, ok bool) { return d.apps.holds(app) }
