// Package watcher turns fsnotify's raw events on the workspace into debounced batches of
// changed paths: it watches folders recursively, drops editor and Finder litter, waits until
// a path is quiet (or has waited too long), holds removals back so a rename-save is not a
// delete, and asks for a full rescan whenever events may have been lost.
package watcher

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/watcher/clock"
)

// Defaults for the zero fields of Config (DESIGN.md §4 [watch]).
const (
	DefaultQuietPeriod    = 2 * time.Second
	DefaultMaxWait        = 30 * time.Second
	DefaultDeleteDelay    = 10 * time.Second
	DefaultRescanInterval = time.Hour
	DefaultMaxPending     = 512
)

// Config configures a Watcher. Zero durations and counts take the defaults above.
type Config struct {
	// Roots are folders watched recursively: the daemon passes each app's active collection.
	// A root that does not exist yet is watched as soon as it appears inside a watched app
	// folder.
	Roots []string
	// Workspace, if set, is watched with its immediate app folders (not recursively), and
	// <Workspace>/<app>/app.toml changes are reported with Kind KindAppConfig.
	Workspace string

	// QuietPeriod: a path is flushed once it had no event for this long (default 2 s).
	QuietPeriod time.Duration
	// MaxWait: a path that keeps changing is flushed this long after its first event
	// (default 30 s), unless it is still growing (a copy in progress).
	MaxWait time.Duration
	// DeleteDelay: a removal is reported only when the path stayed absent this long
	// (default 10 s), so a rename-save is not a delete.
	DeleteDelay time.Duration
	// RescanInterval is the mean time between periodic full rescans; each wait is drawn
	// from 75–125 % of it. Negative disables periodic rescans.
	RescanInterval time.Duration
	// MaxPending is the number of pending paths past which they roll up into one rescan.
	MaxPending int

	// Clock defaults to the wall clock.
	Clock clock.Clock
	// Rand returns a number in [0, 1) for the rescan jitter; defaults to math/rand/v2.
	Rand func() float64
	// Logger defaults to a logger that discards everything.
	Logger *slog.Logger
	// Ignore reports whether one path component (a file or folder name) is litter to drop.
	// It is applied to every component below a root. Defaults to collection.IsIgnored, so
	// the watcher and the validator never disagree.
	Ignore func(name string) bool
	// Metrics defaults to no metrics.
	Metrics Metrics
}

// Watcher watches a workspace and emits debounced batches. Create it with New (the zero value
// is not usable), run it with Run, read Batches. SetRoots, Rescan, PendingPaths and
// WatchedDirs are safe to call from any goroutine, before or during Run; all state is owned
// by Run's goroutine.
type Watcher struct {
	cfg     Config
	log     *slog.Logger
	metrics Metrics
	clock   clock.Clock

	out     chan Batch
	wake    chan chan struct{} // a timer fired; the loop closes the channel once it has handled it
	rescanc chan struct{}      // Rescan was called
	rootsc  chan struct{}      // SetRoots was called
	probes  chan func(*loop)   // tests run code on the owning goroutine
	done    chan struct{}      // closed when Run returns
	started atomic.Bool

	pendingN atomic.Int64
	dirsN    atomic.Int64

	mu        sync.Mutex
	nextRoots []string // set by SetRoots, taken by the loop
}

// ErrAlreadyRunning is returned by Run on a Watcher that has already been run.
var ErrAlreadyRunning = errors.New("watcher: already running")

// New checks cfg, fills in its defaults and returns a Watcher that watches nothing until Run.
func New(cfg Config) (*Watcher, error) {
	if cfg.QuietPeriod == 0 {
		cfg.QuietPeriod = DefaultQuietPeriod
	}
	if cfg.MaxWait == 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	if cfg.DeleteDelay == 0 {
		cfg.DeleteDelay = DefaultDeleteDelay
	}
	if cfg.RescanInterval == 0 {
		cfg.RescanInterval = DefaultRescanInterval
	}
	if cfg.MaxPending == 0 {
		cfg.MaxPending = DefaultMaxPending
	}
	switch {
	case cfg.QuietPeriod < 0 || cfg.MaxWait < 0 || cfg.DeleteDelay < 0:
		return nil, errors.New("watcher config: quiet_period, max_wait and delete_delay must be positive")
	case cfg.MaxWait < cfg.QuietPeriod:
		return nil, fmt.Errorf("watcher config: max_wait %v is shorter than quiet_period %v", cfg.MaxWait, cfg.QuietPeriod)
	case cfg.MaxPending < 0:
		return nil, fmt.Errorf("watcher config: max_pending %d is negative", cfg.MaxPending)
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Float64
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Ignore == nil {
		cfg.Ignore = collection.IsIgnored
	}
	if cfg.Metrics == nil {
		cfg.Metrics = nopMetrics{}
	}
	roots, err := cleanRoots(cfg.Roots)
	if err != nil {
		return nil, err
	}
	cfg.Roots = roots
	if cfg.Workspace != "" {
		if cfg.Workspace, err = filepath.Abs(cfg.Workspace); err != nil {
			return nil, fmt.Errorf("watcher config: workspace: %w", err)
		}
	}
	return &Watcher{
		cfg:     cfg,
		log:     cfg.Logger.With("component", "watcher"),
		metrics: cfg.Metrics,
		clock:   cfg.Clock,
		out:     make(chan Batch),
		wake:    make(chan chan struct{}),
		rescanc: make(chan struct{}, 1),
		rootsc:  make(chan struct{}, 1),
		probes:  make(chan func(*loop)),
		done:    make(chan struct{}),
	}, nil
}

// cleanRoots makes roots absolute, clean, sorted and unique.
func cleanRoots(roots []string) ([]string, error) {
	out := make([]string, 0, len(roots))
	for _, r := range roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			return nil, fmt.Errorf("watcher root %q: %w", r, err)
		}
		out = append(out, abs)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Batches returns the channel batches are sent on. It is closed when Run returns. A slow
// reader never blocks the watcher: batches queue up, and a long queue collapses into one
// rescan batch.
func (w *Watcher) Batches() <-chan Batch { return w.out }

// SetRoots replaces the watched roots (a collection was activated, an app added or removed).
// When the set changes, the watcher emits a rescan batch with TriggerRoots.
func (w *Watcher) SetRoots(roots []string) error {
	clean, err := cleanRoots(roots)
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.nextRoots = clean
	w.mu.Unlock()
	select {
	case w.rootsc <- struct{}{}:
	default: // a poke is already queued; the loop takes the latest roots
	}
	return nil
}

// takeRoots returns the roots given to SetRoots since the last call, or nil.
func (w *Watcher) takeRoots() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	r := w.nextRoots
	w.nextRoots = nil
	return r
}

// Rescan asks for a full rescan (TriggerManual) as soon as the watcher gets to it.
func (w *Watcher) Rescan() {
	select {
	case w.rescanc <- struct{}{}:
	default:
	}
}

// PendingPaths returns how many paths are waiting to be flushed.
func (w *Watcher) PendingPaths() int { return int(w.pendingN.Load()) }

// WatchedDirs returns how many folders are watched.
func (w *Watcher) WatchedDirs() int { return int(w.dirsN.Load()) }

// Run watches until ctx is done, then closes Batches and returns nil. It returns an error
// only when the OS watcher cannot be created at all. A Watcher runs once.
func (w *Watcher) Run(ctx context.Context) error {
	if !w.started.CompareAndSwap(false, true) {
		return ErrAlreadyRunning
	}
	defer close(w.out)
	defer close(w.done)
	l, err := newLoop(w)
	if err != nil {
		return err
	}
	return l.run(ctx)
}

// fire is the debounce and rescan timers' callback: it hands control to the owning
// goroutine and waits until it has flushed and re-armed its timer, so a fake clock's Advance
// sees the next timer before it moves on.
func (w *Watcher) fire() {
	handled := make(chan struct{})
	select {
	case w.wake <- handled:
	case <-w.done:
		return
	}
	select {
	case <-handled:
	case <-w.done:
	}
}
