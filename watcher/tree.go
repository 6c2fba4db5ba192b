package watcher

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// syncWatches (re)adds watches for every root and the workspace, and forgets folders that
// are gone. Every folder is added again, not only new ones: after lost events a folder may
// have been removed and re-created, and its old watch died with it (adding a live watch
// again is harmless). It emits nothing: callers that need changes ask for a rescan.
func (l *loop) syncWatches(now time.Time) {
	for d := range l.dirs {
		if fi, err := os.Lstat(d); err != nil || !fi.IsDir() {
			l.unwatch(d)
		}
	}
	clear(l.dirs)
	clear(l.appDirs)
	if l.cfg.Workspace != "" {
		l.watchDir(l.cfg.Workspace)
		entries, err := os.ReadDir(l.cfg.Workspace)
		if err != nil {
			l.w.log.Warn("read workspace", "path", l.cfg.Workspace, "err", err)
		}
		for _, e := range entries {
			if e.IsDir() && !l.cfg.Ignore(e.Name()) {
				l.watchAppDir(filepath.Join(l.cfg.Workspace, e.Name()), false, now)
			}
		}
	}
	for _, r := range l.roots {
		l.watchTree(r, false, now)
	}
	l.w.dirsN.Store(int64(len(l.dirs)))
}

// watchAppDir watches one <workspace>/<app> folder (not recursively). With emit, an app.toml
// already in it is reported as changed, and roots already in it are walked and reported.
func (l *loop) watchAppDir(dir string, emit bool, now time.Time) {
	l.watchDir(dir)
	l.appDirs[dir] = true
	if !emit {
		return
	}
	appToml := filepath.Join(dir, "app.toml")
	if _, err := os.Lstat(appToml); err == nil {
		l.touchChange(appToml, KindAppConfig, true, now)
	}
	for _, r := range l.roots {
		if strings.HasPrefix(r, dir+string(filepath.Separator)) {
			l.watchTree(r, true, now)
		}
	}
}

// watchTree watches dir and every folder below it that is not ignored. With emit, the files
// found are reported as changed: they may have been created before the watch was in place
// (daemon-anchors.md §2.2).
func (l *loop) watchTree(dir string, emit bool, now time.Time) {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path != dir || !errors.Is(err, fs.ErrNotExist) {
				l.w.log.Warn("walk watched folder", "path", path, "err", err)
			}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if path != dir && l.cfg.Ignore(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			l.watchDir(path)
			return nil
		}
		if emit {
			l.touchChange(path, KindFile, true, now)
		}
		return nil
	})
	if err != nil {
		l.w.log.Warn("walk watched folder", "path", dir, "err", err)
	}
	l.w.dirsN.Store(int64(len(l.dirs)))
}

// watchDir adds one folder watch, saying how to fix the usual reason it fails.
func (l *loop) watchDir(dir string) {
	if l.dirs[dir] {
		return
	}
	if err := l.add(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return // gone again; its parent's event says so
		}
		l.w.metrics.Error("add")
		l.addFailed = true
		if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) {
			l.w.log.Error("cannot watch folder: the OS limit on watches is reached; raise it (Linux: sysctl fs.inotify.max_user_watches); retrying later, and until then changes there are found by rescans only",
				"path", dir, "err", err)
		} else {
			l.w.log.Warn("cannot watch folder; retrying later", "path", dir, "err", err)
		}
		return
	}
	l.dirs[dir] = true
}

// unwatchTree forgets dir and every watched folder below it.
func (l *loop) unwatchTree(dir string) {
	prefix := dir + string(filepath.Separator)
	for d := range l.dirs {
		if d == dir || strings.HasPrefix(d, prefix) {
			l.unwatch(d)
		}
	}
	l.w.dirsN.Store(int64(len(l.dirs)))
}

func (l *loop) unwatch(dir string) {
	// The kernel drops the watch of a removed folder itself; Remove then fails, harmlessly.
	_ = l.fs.Remove(dir)
	delete(l.dirs, dir)
	delete(l.appDirs, dir)
}
