package watcher

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// where says which part of the workspace a path belongs to.
type where int

const (
	outside   where = iota
	inRoot          // below a root
	isRoot          // a root itself
	inWsRoot        // directly in the workspace: an app folder
	isAppToml       // <workspace>/<app>/app.toml
)

// classify places name; ignored reports that a component below a root (or the app folder
// name) is litter.
func (l *loop) classify(name string) (w where, ignored bool) {
	sep := string(filepath.Separator)
	for _, r := range l.roots {
		if name == r {
			return isRoot, false
		}
		if rel, ok := strings.CutPrefix(name, r+sep); ok {
			for _, c := range strings.Split(rel, sep) {
				if l.cfg.Ignore(c) {
					return inRoot, true
				}
			}
			return inRoot, false
		}
	}
	ws := l.cfg.Workspace
	if ws == "" {
		return outside, false
	}
	dir := filepath.Dir(name)
	switch {
	case dir == ws:
		return inWsRoot, l.cfg.Ignore(filepath.Base(name))
	case filepath.Dir(dir) == ws && filepath.Base(name) == "app.toml":
		return isAppToml, l.cfg.Ignore(filepath.Base(dir))
	}
	return outside, false
}

// handle applies one raw event to the pending set.
func (l *loop) handle(ev fsnotify.Event, now time.Time) {
	l.w.metrics.Event(opLabel(ev.Op))
	if !ev.Op.Has(fsnotify.Create) && !ev.Op.Has(fsnotify.Write) &&
		!ev.Op.Has(fsnotify.Remove) && !ev.Op.Has(fsnotify.Rename) {
		l.w.metrics.Ignored("chmod_only")
		return
	}
	name := filepath.Clean(ev.Name)
	gone := ev.Op.Has(fsnotify.Remove) || ev.Op.Has(fsnotify.Rename)
	w, ignored := l.classify(name)
	if ignored {
		l.w.metrics.Ignored("ignore_rule")
		return
	}
	switch w {
	case outside:
		l.w.metrics.Ignored("outside_roots")
	case isAppToml:
		if gone {
			l.touchRemoved(name, KindAppConfig, false, now)
		} else {
			l.touchChange(name, KindAppConfig, false, now)
		}
	case inWsRoot:
		l.handleAppDir(name, gone, now)
	case isRoot:
		if gone {
			l.unwatchTree(name)
			l.touchRemoved(name, KindFile, true, now)
		} else if isDir(name) {
			l.watchTree(name, true, now)
		}
	case inRoot:
		switch {
		case gone && l.dirs[name]:
			l.unwatchTree(name)
			l.touchRemoved(name, KindFile, true, now)
		case gone:
			l.touchRemoved(name, KindFile, false, now)
		case ev.Op.Has(fsnotify.Create) && isDir(name):
			l.watchTree(name, true, now)
		default:
			l.touchChange(name, KindFile, ev.Op.Has(fsnotify.Create), now)
		}
	}
	if len(l.pending) > l.cfg.MaxPending {
		l.startRescan(TriggerBurst, now)
	}
}

// handleAppDir handles an app folder appearing in or leaving the workspace.
func (l *loop) handleAppDir(dir string, gone bool, now time.Time) {
	if !gone {
		if isDir(dir) {
			l.watchAppDir(dir, true, now)
		}
		return
	}
	if !l.appDirs[dir] {
		return
	}
	l.unwatchTree(dir)
	// Moved away whole, the folder's app.toml gets no event of its own.
	l.touchRemoved(filepath.Join(dir, "app.toml"), KindAppConfig, false, now)
	for _, r := range l.roots {
		if strings.HasPrefix(r, dir+string(filepath.Separator)) {
			l.unwatchTree(r)
			l.touchRemoved(r, KindFile, true, now)
		}
	}
}

func isDir(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.IsDir()
}

// opLabel maps an fsnotify op to the events_total label; a combined op counts as its most
// significant part.
func opLabel(op fsnotify.Op) string {
	switch {
	case op.Has(fsnotify.Remove):
		return "remove"
	case op.Has(fsnotify.Rename):
		return "rename"
	case op.Has(fsnotify.Create):
		return "create"
	case op.Has(fsnotify.Write):
		return "write"
	}
	return "chmod"
}
