package engine

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/state"
)

// fileCache is the collection loader's FileCache kept in the state (the file_hashes table), so
// a command and the daemon share it and it survives restarts: an unchanged file costs one
// Lstat. The entries of a collection folder are read once per engine; each load writes what
// it learned and drops the entries of files that vanished. On a read-only state (a command
// beside a running daemon) it reads the daemon's entries and keeps what it learns in memory.
type fileCache struct {
	store *state.Store
	log   *slog.Logger

	// bytesRead counts the bytes of the media files read because their entry was missing or
	// stale (a file that is read is read whole, to hash it), over the cache's life.
	bytesRead atomic.Int64

	mu   sync.Mutex
	dirs map[string]map[string]cachedFile // collection dir → absolute path → entry
}

type cachedFile struct {
	st    collection.FileStat
	facts collection.FileFacts
}

func newFileCache(store *state.Store, log *slog.Logger) *fileCache {
	return &fileCache{store: store, log: log, dirs: map[string]map[string]cachedFile{}}
}

// forget drops the entries of dir, a collection folder that was deleted, in memory and in the
// state. A read-only state keeps its rows for the daemon that owns it to drop.
func (c *fileCache) forget(ctx context.Context, dir string) {
	c.mu.Lock()
	delete(c.dirs, dir)
	c.mu.Unlock()
	if _, err := c.store.DropFileHashesUnder(ctx, dir); err != nil && !errors.Is(err, state.ErrReadOnly) {
		c.log.Warn("file-hash cache of a deleted collection not dropped", "dir", dir, "err", err)
	}
}

// load is one load of the collection in dir through the cache: a collection.FileCache that
// remembers which files it was asked about and what it learned.
type load struct {
	c       *fileCache
	entries map[string]cachedFile // shared with c.dirs[dir], guarded by c.mu
	seen    map[string]bool
	put     map[string]cachedFile
}

// begin starts a load of dir, reading dir's entries from the state the first time.
func (c *fileCache) begin(ctx context.Context, dir string) *load {
	c.mu.Lock()
	defer c.mu.Unlock()
	entries, ok := c.dirs[dir]
	if !ok {
		entries = map[string]cachedFile{}
		rows, err := c.store.FileHashes(ctx, dir)
		if err != nil {
			c.log.Warn("file-hash cache unreadable: every file is read again", "dir", dir, "err", err)
		}
		// The images of one display type mostly have the same header facts: each distinct
		// record is decoded once.
		decoded := map[string]collection.FileFacts{}
		for p, r := range rows {
			facts, ok := decoded[r.Facts]
			if !ok {
				if err := json.Unmarshal([]byte(r.Facts), &facts); err != nil {
					continue
				}
				decoded[r.Facts] = facts
			}
			facts.MD5 = r.MD5
			entries[p] = cachedFile{st: collection.FileStat{Size: r.Size, ModTime: r.ModTimeNS, ChangeTime: r.ChangeTimeNS, Inode: r.Inode}, facts: facts}
		}
		c.dirs[dir] = entries
	}
	return &load{c: c, entries: entries, seen: map[string]bool{}, put: map[string]cachedFile{}}
}

// Get returns the facts of path when st matches its entry.
func (l *load) Get(path string, st collection.FileStat) (collection.FileFacts, bool) {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	l.seen[path] = true
	e, ok := l.entries[path]
	if !ok || e.st != st {
		return collection.FileFacts{}, false
	}
	return e.facts, true
}

// Put records what the loader learned about path.
func (l *load) Put(path string, st collection.FileStat, facts collection.FileFacts) {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	l.seen[path] = true
	e := cachedFile{st: st, facts: facts}
	l.entries[path], l.put[path] = e, e
}

// commit writes what the load learned and, after a load of the whole folder (whole), drops
// the entries of the files it did not meet. A read-only state keeps them in memory only. It
// returns how many files were read (new or changed since their entry).
func (l *load) commit(ctx context.Context, whole bool) int {
	l.c.mu.Lock()
	var put []state.FileHash
	for p, e := range l.put {
		l.c.bytesRead.Add(e.st.Size)
		facts := e.facts
		facts.MD5 = ""
		b, _ := json.Marshal(facts) // plain data always encodes
		put = append(put, state.FileHash{Path: p, Size: e.st.Size, ModTimeNS: e.st.ModTime, ChangeTimeNS: e.st.ChangeTime, Inode: e.st.Inode, MD5: e.facts.MD5, Facts: string(b)})
	}
	var drop []string
	if whole {
		for p := range l.entries {
			if !l.seen[p] {
				drop = append(drop, p)
				delete(l.entries, p)
			}
		}
	}
	l.c.mu.Unlock()
	err := l.c.store.SaveFileHashes(ctx, put, drop)
	switch {
	case errors.Is(err, state.ErrReadOnly):
	case err != nil:
		l.c.log.Warn("file-hash cache not saved: the next load reads these files again", "files", len(put), "err", err)
	}
	return len(put)
}
