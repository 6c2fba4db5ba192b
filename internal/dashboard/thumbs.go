package dashboard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"image"
	"image/jpeg"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/image/draw"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/safefile"
)

// thumbHeight is the height of a gallery thumbnail in pixels.
const thumbHeight = 240

// maxThumbsInMemory bounds the in-memory cache; thumbnails are a few KB each.
const maxThumbsInMemory = 2000

// thumbs makes and caches thumbnails, keyed by the file's path, size and modification time,
// in memory and (when dir is set) on disk, so a restart does not decode every image again.
type thumbs struct {
	dir string

	mu    sync.Mutex
	cache map[string][]byte
}

func newThumbs(dir string) *thumbs { return &thumbs{dir: dir, cache: map[string][]byte{}} }

// thumbPath checks rel, a path from the browser, lexically: a screenshot file four levels
// down (screenshot/<locale>/<type>/<file>.png|jpg|jpeg) with no dot, empty or .. element.
// safefile then refuses links out of the collection and special files when it is opened.
func thumbPath(rel string) bool {
	parts := strings.Split(rel, "/")
	if len(parts) != 4 || parts[0] != collection.ScreenshotDir || path.Clean(rel) != rel {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.HasPrefix(p, ".") {
			return false
		}
	}
	switch strings.ToLower(path.Ext(rel)) {
	case ".png", ".jpg", ".jpeg":
		return true
	}
	return false
}

func (d *Dashboard) thumb(w http.ResponseWriter, r *http.Request) {
	_, dir, ok := d.collectionDir(w, r)
	if !ok {
		return
	}
	rel := r.URL.Query().Get("path")
	if !thumbPath(rel) {
		d.fail(w, r, http.StatusNotFound, "no such screenshot")
		return
	}
	data, err := d.thumbs.get(dir, rel)
	if err != nil {
		d.log.Warn("thumbnail", "path", rel, "err", err)
		d.fail(w, r, http.StatusNotFound, "no thumbnail for "+rel)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=60")
	_, _ = w.Write(data)
}

func (t *thumbs) get(dir, rel string) ([]byte, error) {
	f, fi, err := safefile.Open(dir, rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d\x00%d", filepath.Join(dir, rel), fi.Size(), fi.ModTime().UnixNano())))
	key := hex.EncodeToString(sum[:])
	t.mu.Lock()
	data, ok := t.cache[key]
	t.mu.Unlock()
	if ok {
		return data, nil
	}
	disk := ""
	if t.dir != "" {
		disk = filepath.Join(t.dir, key+".jpg")
		if data, err := os.ReadFile(disk); err == nil {
			t.remember(key, data)
			return data, nil
		}
	}
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil, err
	}
	if cfg.Width*cfg.Height > 50_000_000 { // a decompression bomb, not a screenshot
		return nil, fmt.Errorf("image of %d×%d is too large to show", cfg.Width, cfg.Height)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, err
	}
	data, err = scale(img)
	if err != nil {
		return nil, err
	}
	t.remember(key, data)
	if disk != "" && os.MkdirAll(t.dir, 0o700) == nil {
		tmp := disk + ".tmp"
		if os.WriteFile(tmp, data, 0o600) == nil {
			_ = os.Rename(tmp, disk)
		}
	}
	return data, nil
}

func (t *thumbs) remember(key string, data []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.cache) >= maxThumbsInMemory {
		clear(t.cache)
	}
	t.cache[key] = data
}

// scale makes a JPEG thumbnail thumbHeight pixels high.
func scale(img image.Image) ([]byte, error) {
	b := img.Bounds()
	if b.Dy() == 0 {
		return nil, fmt.Errorf("empty image")
	}
	h := min(thumbHeight, b.Dy())
	wd := max(1, b.Dx()*h/b.Dy())
	dst := image.NewRGBA(image.Rect(0, 0, wd, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// thumbOf makes a thumbnail of an image held in memory (App Store Connect's render).
func thumbOf(data []byte) ([]byte, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if cfg.Width*cfg.Height > 50_000_000 {
		return nil, fmt.Errorf("image of %d×%d is too large to show", cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return scale(img)
}

// remoteCacheFor is how long App Store Connect's images of a conflict are shown unread.
const remoteCacheFor = time.Minute

// remoteCache remembers App Store Connect's thumbnails of a conflict for remoteCacheFor.
type remoteCache struct {
	mu      sync.Mutex
	entries map[string]remoteEntry
}

type remoteEntry struct {
	at     time.Time
	thumbs []template.URL
}

func (c *remoteCache) get(key string, now time.Time, load func() ([]template.URL, error)) ([]template.URL, error) {
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < remoteCacheFor {
		return e.thumbs, nil
	}
	thumbs, err := load()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) > 100 {
		c.entries = map[string]remoteEntry{}
	}
	c.entries[key] = remoteEntry{at: now, thumbs: thumbs}
	c.mu.Unlock()
	return thumbs, nil
}
