package collection

import (
	"image"
	"io/fs"
	"sync"
	"time"
)

// FileStat is what identifies one version of a file for a FileCache: its size, modification
// and status-change times and inode, from one Lstat. Any difference is a miss, so a rewrite
// that restores the size and the modification time is still noticed (the change time and, for
// a replace by rename, the inode differ). ChangeTime and Inode are 0 where the OS has none.
type FileStat struct {
	Size int64
	// ModTime and ChangeTime are Unix nanoseconds.
	ModTime, ChangeTime int64
	Inode               uint64
}

// StatOf returns the FileStat of fi, a result of os.Lstat, os.Stat or File.Stat.
func StatOf(fi fs.FileInfo) FileStat {
	st := FileStat{Size: fi.Size(), ModTime: fi.ModTime().UnixNano()}
	st.ChangeTime, st.Inode = sysStat(fi)
	return st
}

// FileFacts are the expensive facts about one file that a FileCache remembers: its MD5 and
// what its header says, so an unchanged file is neither hashed nor opened again. The rules
// are applied to the facts on every check, so a changed rule or display type needs no new read.
type FileFacts struct {
	// MD5 is the lowercase hex MD5 of the whole file; "" when not computed yet.
	MD5 string `json:"md5,omitempty"`
	// Probed is true once the header facts below were read from the file.
	Probed bool `json:"probed,omitempty"`
	// Format is what an image's first bytes say it is ("PNG", "JPEG", "GIF", …; "" unknown).
	Format string `json:"format,omitempty"`
	// Trailer is true when a PNG or JPEG ends with its trailer (IEND, EOI).
	Trailer bool `json:"trailer,omitempty"`
	// HeaderError is why an image header or a video's boxes could not be read; NotVideo is
	// true when the content is no video at all.
	HeaderError string `json:"header_error,omitempty"`
	NotVideo    bool   `json:"not_video,omitempty"`
	// Width and Height are the image's or the video track's dimensions.
	Width  int `json:"w,omitempty"`
	Height int `json:"h,omitempty"`
	// NotRGB names an image's colour model when it is not RGB ("grayscale", "CMYK").
	NotRGB string `json:"not_rgb,omitempty"`
	// Alpha is true when an image header declares transparency.
	Alpha bool `json:"alpha,omitempty"`
	// Duration is a video's length.
	Duration time.Duration `json:"duration,omitempty"`
	// AlphaChecked is true once a PNG that declares alpha was decoded; Transparent then says
	// whether a pixel is not fully opaque, and FirstClear is the first such pixel.
	AlphaChecked bool        `json:"alpha_checked,omitempty"`
	Transparent  bool        `json:"transparent,omitempty"`
	FirstClear   image.Point `json:"first_clear,omitzero"`
}

// FileCache remembers FileFacts so Validate and Load need not re-read unchanged files: hashing
// 1,200 screenshots, or even reading their headers, costs far more than one Lstat each. A file
// is identified by its absolute path and FileStat; any change to them is a miss.
// Implementations must be safe for concurrent use: the checks call them from several
// goroutines. The engine keeps one in the state, shared by the commands and the daemon.
type FileCache interface {
	// Get returns the facts stored for the file, if any, when st still matches.
	Get(path string, st FileStat) (FileFacts, bool)
	// Put stores the facts for the file, replacing older ones.
	Put(path string, st FileStat, facts FileFacts)
}

// MemoryCache is a FileCache held in memory. The zero value is ready to use, and it is safe
// for concurrent use. It never evicts: entries of deleted files stay until the cache is
// dropped.
type MemoryCache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
}

var _ FileCache = (*MemoryCache)(nil)

type cacheEntry struct {
	st    FileStat
	facts FileFacts
}

// Get returns the facts stored for path if st still matches.
func (c *MemoryCache) Get(path string, st FileStat) (FileFacts, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[path]
	if !ok || e.st != st {
		return FileFacts{}, false
	}
	return e.facts, true
}

// Put stores facts for path at st.
func (c *MemoryCache) Put(path string, st FileStat, facts FileFacts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[string]cacheEntry)
	}
	c.entries[path] = cacheEntry{st: st, facts: facts}
}
