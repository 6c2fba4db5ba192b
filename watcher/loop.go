package watcher

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/storesyncer/storesyncer/watcher/clock"
)

const (
	// eventBuffer is how many raw events may wait between the receiver and the loop; past
	// it, events are dropped and a rescan is requested instead (as syncthing does). It
	// matches Linux's default fs.inotify.max_queued_events.
	eventBuffer = 16384
	// maxOutbox is how many batches may wait for a slow reader before they collapse into
	// one rescan batch.
	maxOutbox = 64
)

// loop is the state of one Run; only the goroutine running loop.run touches it.
type loop struct {
	w    *Watcher
	cfg  *Config
	fs   *fsnotify.Watcher
	evc  chan []fsnotify.Event
	errc chan error
	ovfc chan struct{}

	roots   []string
	dirs    map[string]bool // folders watched (inside roots, and the workspace with its app folders)
	appDirs map[string]bool // <workspace>/<app> folders
	pending map[string]*entry
	rescan  rescanState
	outbox  []Batch

	timer    clock.Timer
	timerAt  time.Time
	periodic time.Time // next periodic rescan; zero when disabled

	// add is fs.Add; tests replace it to make watches fail.
	add func(dir string) error
	// addFailed is set when a folder could not be watched; the watches are retried at
	// retryAt, after 1 min doubling to 60 min (syncthing's monitorWatch), with a rescan.
	addFailed    bool
	retryAt      time.Time
	retryBackoff time.Duration
}

// Retry pauses for folders that could not be watched.
const (
	minRetryBackoff = time.Minute
	maxRetryBackoff = time.Hour
)

func newLoop(w *Watcher) (*loop, error) {
	fs, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("start file watcher: %w", err)
	}
	return &loop{
		add:     fs.Add,
		w:       w,
		cfg:     &w.cfg,
		fs:      fs,
		evc:     make(chan []fsnotify.Event),
		errc:    make(chan error, 16),
		ovfc:    make(chan struct{}, 1),
		roots:   w.cfg.Roots,
		dirs:    map[string]bool{},
		appDirs: map[string]bool{},
		pending: map[string]*entry{},
	}, nil
}

// receive drains fsnotify's channels and never blocks on the loop: fsnotify's Add can block
// while its events are not read (fsnotify#502), and the loop calls Add. Events are handed
// over in slices; past eventBuffer waiting events they are dropped for a rescan.
func (l *loop) receive() {
	var buf []fsnotify.Event
	for {
		var out chan []fsnotify.Event
		if len(buf) > 0 {
			out = l.evc
		}
		select {
		case ev, ok := <-l.fs.Events:
			if !ok {
				return
			}
			if len(buf) >= eventBuffer {
				buf = buf[:0]
				l.signalOverflow()
				continue
			}
			buf = append(buf, ev)
		case out <- buf:
			buf = nil
		case err, ok := <-l.fs.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				l.signalOverflow()
				continue
			}
			select {
			case l.errc <- err:
			default: // a rescan is already coming for the queued errors
			}
		}
	}
}

func (l *loop) signalOverflow() {
	select {
	case l.ovfc <- struct{}{}:
	default:
	}
}

func (l *loop) run(ctx context.Context) error {
	recvDone := make(chan struct{})
	go func() { defer close(recvDone); l.receive() }()
	defer func() {
		if l.timer != nil {
			l.timer.Stop()
		}
		_ = l.fs.Close()
		<-recvDone
	}()

	now := l.w.clock.Now()
	l.syncWatches(now)
	l.emitRescan(TriggerStartup)
	l.schedulePeriodic(now)
	l.arm(now)

	for {
		var out chan Batch
		var next Batch
		if len(l.outbox) > 0 {
			out, next = l.w.out, l.outbox[0]
		}
		select {
		case <-ctx.Done():
			return nil
		case out <- next:
			l.outbox[0] = Batch{}
			l.outbox = l.outbox[1:]
			continue
		case evs := <-l.evc:
			now := l.w.clock.Now()
			for _, ev := range evs {
				l.handle(ev, now)
			}
		case <-l.ovfc:
			l.w.metrics.Overflow()
			l.w.log.Warn("file event queue overflowed; rescanning")
			now := l.w.clock.Now()
			l.syncWatches(now)
			l.startRescan(TriggerOverflow, now)
		case err := <-l.errc:
			l.w.metrics.Error("watch")
			l.w.log.Warn("file watcher error; rescanning", "err", err)
			l.syncWatches(l.w.clock.Now())
			l.emitRescan(TriggerWatchError)
		case <-l.w.rescanc:
			l.syncWatches(l.w.clock.Now())
			l.emitRescan(TriggerManual)
		case <-l.w.rootsc:
			l.setRoots(l.w.takeRoots(), l.w.clock.Now())
		case handled := <-l.w.wake:
			now := l.w.clock.Now()
			l.onTimer(now)
			l.w.pendingN.Store(int64(len(l.pending)))
			l.arm(now)
			close(handled)
			continue
		case f := <-l.w.probes:
			f(l)
			continue
		}
		l.w.pendingN.Store(int64(len(l.pending)))
		l.arm(l.w.clock.Now())
	}
}

// onTimer flushes what is due and starts a periodic rescan when its time has come.
func (l *loop) onTimer(now time.Time) {
	if !l.retryAt.IsZero() && !now.Before(l.retryAt) {
		l.retryAt, l.addFailed = time.Time{}, false
		l.syncWatches(now)
		l.emitRescan(TriggerWatchError)
		if !l.addFailed {
			l.retryBackoff = 0
			l.w.log.Info("all folders are watched again")
		}
	}
	if !l.periodic.IsZero() && !now.Before(l.periodic) {
		l.syncWatches(now)
		l.emitRescan(TriggerPeriodic)
		l.schedulePeriodic(now)
	}
	l.flushDue(now)
}

// schedulePeriodic draws the next periodic rescan from 75–125 % of RescanInterval.
func (l *loop) schedulePeriodic(now time.Time) {
	if l.cfg.RescanInterval < 0 {
		return
	}
	jitter := 0.75 + 0.5*l.cfg.Rand()
	l.periodic = now.Add(time.Duration(float64(l.cfg.RescanInterval) * jitter))
}

// arm makes sure the timer fires at the earliest due time, and no later.
func (l *loop) arm(now time.Time) {
	if l.addFailed && l.retryAt.IsZero() {
		l.retryBackoff = min(max(2*l.retryBackoff, minRetryBackoff), maxRetryBackoff)
		l.retryAt = now.Add(l.retryBackoff)
	}
	at := l.nextDue()
	for _, t := range []time.Time{l.periodic, l.retryAt} {
		if !t.IsZero() && (at.IsZero() || t.Before(at)) {
			at = t
		}
	}
	if at.IsZero() {
		return
	}
	if l.timer != nil && !l.timerAt.After(at) && l.timerAt.After(now) {
		return // the armed timer fires first; the wake-up re-arms for the rest
	}
	if l.timer != nil {
		l.timer.Stop()
	}
	l.timerAt = at
	l.timer = l.w.clock.AfterFunc(max(at.Sub(now), 0), l.w.fire)
}

// emitRescan queues a rescan batch now; pending paths are dropped, as the rescan covers them.
func (l *loop) emitRescan(t Trigger) {
	l.w.metrics.Rescan(t)
	clear(l.pending)
	l.rescan = rescanState{}
	l.queue(Batch{Reason: ReasonRescan, Rescan: true, Trigger: t})
}

// queue appends b to the outbox; a long outbox means nobody is reading, so it collapses
// into one rescan batch.
func (l *loop) queue(b Batch) {
	l.w.metrics.Flush(b.Reason, len(b.Changes))
	if len(l.outbox) >= maxOutbox {
		l.w.log.Warn("batches are not being read; collapsing them into one rescan", "queued", len(l.outbox))
		l.outbox = append(l.outbox[:0], Batch{Reason: ReasonRescan, Rescan: true, Trigger: TriggerOverflow})
		return
	}
	l.outbox = append(l.outbox, b)
}

// setRoots switches to roots and asks for a rescan when they differ from the current ones.
func (l *loop) setRoots(roots []string, now time.Time) {
	if roots == nil || slices.Equal(roots, l.roots) {
		return
	}
	for _, old := range l.roots {
		if !slices.Contains(roots, old) {
			l.unwatchTree(old)
			l.dropPendingUnder(old)
		}
	}
	l.roots = roots
	l.syncWatches(now)
	l.emitRescan(TriggerRoots)
}
