package collection

import (
	"image"
	"sync"
	"time"
)

// FileFacts are the expensive facts about one file that a FileCache remembers.
type FileFacts struct {
	// MD5 is the lowercase hex MD5 of the whole file; "" when not computed yet.
	MD5 string
	// AlphaChecked is true once a PNG that declares alpha was decoded; Transparent then says
	// whether a pixel is not fully opaque, and FirstClear is the first such pixel.
	AlphaChecked bool
	Transparent  bool
	FirstClear   image.Point
}

// FileCache remembers FileFacts so Validate and Load need not re-read unchanged files: hashing
// 1,200 screenshots, or decoding a PNG whose header declares alpha, costs far more than reading
// a header. A file is identified by its absolute path, size and modification time; any change
// to them is a miss (as for rsync and git, a rewrite that keeps both is not noticed).
// Implementations must be safe for concurrent use: the checks call them from several
// goroutines.
type FileCache interface {
	// Get returns the facts stored for the file, if any.
	Get(path string, size int64, modTime time.Time) (FileFacts, bool)
	// Put stores the facts for the file, replacing older ones.
	Put(path string, size int64, modTime time.Time, facts FileFacts)
}

// MemoryCache is a FileCache held in memory. The zero value is ready to use, and it is safe
// for concurrent use. It never evicts: entries of deleted files stay until the cache is
// dropped, which is fine for one daemon's life (one small entry per media file).
type MemoryCache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
}

var _ FileCache = (*MemoryCache)(nil)

type cacheEntry struct {
	size    int64
	modTime time.Time
	facts   FileFacts
}

// Get returns the facts stored for path if size and modTime still match.
func (c *MemoryCache) Get(path string, size int64, modTime time.Time) (FileFacts, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[path]
	if !ok || e.size != size || !e.modTime.Equal(modTime) {
		return FileFacts{}, false
	}
	return e.facts, true
}

// Put stores facts for path at size and modTime.
func (c *MemoryCache) Put(path string, size int64, modTime time.Time, facts FileFacts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[string]cacheEntry)
	}
	c.entries[path] = cacheEntry{size: size, modTime: modTime, facts: facts}
}
