package watcher

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// entry is one pending path.
type entry struct {
	kind      Kind
	first     time.Time // first event since the last flush (or re-arm)
	last      time.Time // latest event
	removed   bool      // the latest event removed or renamed the path away
	removedAt time.Time
	dir       bool // a watched folder was removed
	// created is set when the first event created the path: if it ends up removed, nothing
	// that existed before is gone (a sed -i temp file), so nothing is reported.
	created bool
	statOK  bool
	size    int64
	mtime   time.Time
}

// rescanState is a rescan waiting for the events that caused it to calm down.
type rescanState struct {
	active      bool
	trigger     Trigger
	first, last time.Time
}

// touchChange records that path was created or written.
func (l *loop) touchChange(path string, k Kind, created bool, now time.Time) {
	if l.rescan.active {
		l.rescan.last = now
		return
	}
	e := l.pending[path]
	if e == nil {
		e = &entry{kind: k, first: now, created: created}
		l.pending[path] = e
	}
	e.last, e.removed, e.dir = now, false, false
	e.statOK = false
	if fi, err := os.Lstat(path); err == nil {
		e.statOK, e.size, e.mtime = true, fi.Size(), fi.ModTime()
	}
}

// touchRemoved records that path was removed or renamed away.
func (l *loop) touchRemoved(path string, k Kind, dir bool, now time.Time) {
	if l.rescan.active {
		l.rescan.last = now
		return
	}
	e := l.pending[path]
	if e == nil {
		e = &entry{kind: k, first: now}
		l.pending[path] = e
	}
	// A folder's removal is often reported twice (by its parent's watch and its own); the
	// second report no longer knows it was a watched folder.
	e.dir = dir || (e.removed && e.dir)
	e.last, e.removed, e.removedAt = now, true, now
}

// startRescan replaces the pending paths with one rescan that is flushed, like a path, once
// events stop for QuietPeriod or after MaxWait: a git checkout is rescanned once, at its end.
func (l *loop) startRescan(t Trigger, now time.Time) {
	if l.rescan.active {
		l.rescan.last = now
		return
	}
	clear(l.pending)
	l.rescan = rescanState{active: true, trigger: t, first: now, last: now}
}

// due returns when e is to be flushed and why.
func (l *loop) due(e *entry) (time.Time, Reason) {
	if e.removed {
		return e.removedAt.Add(l.cfg.DeleteDelay), ReasonDeleteDelay
	}
	quiet, maxWait := e.last.Add(l.cfg.QuietPeriod), e.first.Add(l.cfg.MaxWait)
	if maxWait.Before(quiet) {
		return maxWait, ReasonMaxWait
	}
	return quiet, ReasonQuiet
}

// nextDue returns the earliest due time of anything pending, or the zero time.
func (l *loop) nextDue() time.Time {
	var at time.Time
	if l.rescan.active {
		at = l.rescan.last.Add(l.cfg.QuietPeriod)
		if m := l.rescan.first.Add(l.cfg.MaxWait); m.Before(at) {
			at = m
		}
	}
	for _, e := range l.pending {
		if d, _ := l.due(e); at.IsZero() || d.Before(at) {
			at = d
		}
	}
	return at
}

// flushDue emits every path that is due, one batch per reason.
func (l *loop) flushDue(now time.Time) {
	if l.rescan.active {
		r := l.rescan
		if !now.Before(r.last.Add(l.cfg.QuietPeriod)) || !now.Before(r.first.Add(l.cfg.MaxWait)) {
			l.emitRescan(r.trigger)
		}
		return
	}
	// Paths that will be quiet within a quarter of the quiet period go out with the paths that
	// are due now, so that a change made of many files (a git checkout, a folder copied in)
	// reaches the reader as one batch and is planned, and approved, as one.
	var groups map[Reason][]Change
	soon := now.Add(l.cfg.QuietPeriod / 4)
	anyDue := false
	for _, e := range l.pending {
		if at, _ := l.due(e); !at.After(now) {
			anyDue = true
			break
		}
	}
	for path, e := range l.pending {
		at, reason := l.due(e)
		if at.After(now) && !(anyDue && reason == ReasonQuiet && !at.After(soon)) {
			continue
		}
		c, rearmed := l.settle(path, e, now)
		if rearmed {
			continue
		}
		delete(l.pending, path)
		if c == nil {
			continue
		}
		if groups == nil {
			groups = map[Reason][]Change{}
		}
		groups[reason] = append(groups[reason], *c)
	}
	for _, reason := range []Reason{ReasonQuiet, ReasonMaxWait, ReasonDeleteDelay} {
		if cs := groups[reason]; len(cs) > 0 {
			slices.SortFunc(cs, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
			l.queue(Batch{Changes: cs, Reason: reason})
		}
	}
}

// settle looks at a due path on disk and decides: a change to report (c), nothing to report
// (c nil), or wait longer (rearmed) because the file is still being written or just vanished.
func (l *loop) settle(path string, e *entry, now time.Time) (c *Change, rearmed bool) {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if !e.removed {
			// Gone before its Remove event reached us: hold it like any removal, in case
			// the path comes back (a rename-save).
			e.removed, e.removedAt, e.last = true, now, now
			return nil, true
		}
		if e.created {
			return nil, false
		}
		return &Change{Path: path, Op: Removed, Kind: e.kind, Dir: e.dir}, false
	case err != nil:
		// Unreadable (permissions, macOS privacy): report it, so the reader meets the error
		// and shows it, rather than the watcher hiding it.
		l.w.log.Warn("stat changed path", "path", path, "err", err)
		return &Change{Path: path, Op: Changed, Kind: e.kind}, false
	case fi.IsDir():
		// A folder came back; its watch and contents came with its Create event.
		return nil, false
	}
	if !e.statOK || fi.Size() != e.size || !fi.ModTime().Equal(e.mtime) {
		// Written since its last event (or its events are lagging): still being copied.
		e.statOK, e.size, e.mtime = true, fi.Size(), fi.ModTime()
		e.removed, e.first, e.last = false, now, now
		return nil, true
	}
	return &Change{Path: path, Op: Changed, Kind: e.kind}, false
}

// dropPendingUnder forgets pending paths below dir.
func (l *loop) dropPendingUnder(dir string) {
	prefix := dir + string(filepath.Separator)
	for p := range l.pending {
		if p == dir || strings.HasPrefix(p, prefix) {
			delete(l.pending, p)
		}
	}
}
