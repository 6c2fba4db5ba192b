package dashboard

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decoders for the upload check and thumbnails
	_ "image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// Upload limits: a screenshot is a few MB; an App Store preview may be up to 500 MB.
const (
	maxScreenshotBytes = 32 << 20
	maxUploadFiles     = collection.MaxScreenshots
	maxZipBytes        = 256 << 20
	// maxUploadBody bounds any multipart body: ten screenshots, or one ZIP, and the form.
	maxUploadBody = maxUploadFiles*maxScreenshotBytes + 1<<20
)

// setDir returns the set folder a form names (kind, locale, type), checked against the
// layout's names: nothing the browser sends becomes a path without being one of them.
func (d *Dashboard) setDir(r *http.Request) (kind collection.MediaKind, rel string, err error) {
	kind = collection.MediaKind(r.FormValue("kind"))
	locale, typ := r.FormValue("locale"), r.FormValue("type")
	if !d.knownLocale(locale) {
		return "", "", fmt.Errorf("%q is not an App Store Connect locale", locale)
	}
	switch kind {
	case collection.Screenshots:
		if _, ok := collection.LookupDisplayType(typ); !ok && !slices.Contains(d.cfg.Collection.ExtraDisplayTypes, typ) {
			return "", "", fmt.Errorf("%q is not a screenshot display type", typ)
		}
	case collection.Previews:
		if _, ok := collection.LookupPreviewType(typ); !ok && !slices.Contains(d.cfg.Collection.ExtraDisplayTypes, typ) {
			return "", "", fmt.Errorf("%q is not a preview type", typ)
		}
	default:
		return "", "", fmt.Errorf("%q is neither screenshot nor preview", kind)
	}
	return kind, string(kind) + "/" + locale + "/" + typ, nil
}

// uploadMedia adds the files of a form (or a drop) to the end of a set. Each image is
// checked as an image of an accepted size before anything is written; its name is the next
// number in the set, never the browser's file name.
func (d *Dashboard) uploadMedia(w http.ResponseWriter, r *http.Request) {
	a, dir, ok := d.collectionDir(w, r)
	if !ok {
		return
	}
	if !grant(r.Context(), a.BundleID, roles.MediaEdit).Allowed {
		d.refuse(w, r, roles.MediaEdit, "")
		return
	}
	back := "/apps/" + a.BundleID + "/c/" + r.PathValue("coll")
	if r.MultipartForm == nil {
		d.fail(w, r, http.StatusBadRequest, "send the files as a multipart form")
		return
	}
	kind, rel, err := d.setDir(r)
	if err != nil {
		d.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	if kind != collection.Screenshots {
		d.fail(w, r, http.StatusBadRequest, "previews are added in the folder (they can be 500 MB); the page adds screenshots")
		return
	}
	files := r.MultipartForm.File["file"]
	if len(files) == 0 || len(files) > maxUploadFiles {
		d.fail(w, r, http.StatusBadRequest, "choose 1 to 10 image files")
		return
	}
	typ, _ := collection.LookupDisplayType(r.FormValue("type"))
	var blobs [][]byte
	var exts []string
	for _, fh := range files {
		data, ext, err := readImage(fh.Open, typ)
		if err != nil {
			d.fail(w, r, http.StatusBadRequest, "file "+strconv.Quote(path.Base(fh.Filename))+": "+err.Error())
			return
		}
		blobs, exts = append(blobs, data), append(exts, ext)
	}
	if err := realDir(dir, rel); err != nil {
		d.fail(w, r, http.StatusConflict, err.Error())
		return
	}
	next := nextNumber(filepath.Join(dir, filepath.FromSlash(rel)))
	for i, data := range blobs {
		name := fmt.Sprintf("%02d%s", next+i, exts[i])
		if err := writeRegular(filepath.Join(dir, filepath.FromSlash(rel), name), data); err != nil {
			d.fail(w, r, http.StatusConflict, err.Error())
			return
		}
	}
	d.log.Info("dashboard added screenshots", "app", a.BundleID, "set", rel, "files", len(blobs))
	d.edited(r, a.BundleID, mediaKey(rel))
	d.redirectDone(w, r, back, fmt.Sprintf("added %d screenshot(s) to %s", len(blobs), rel))
}

// readImage reads one uploaded file and checks it: PNG or JPEG by content, complete, of a size
// the display type accepts. It returns the bytes and the extension its content calls for.
func readImage(open func() (multipart.File, error), typ collection.DisplayType) ([]byte, string, error) {
	f, err := open()
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxScreenshotBytes+1))
	if err != nil {
		return nil, "", err
	}
	if len(data) > maxScreenshotBytes {
		return nil, "", errors.New("larger than 32 MB")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, "", errors.New("not a PNG or JPEG image")
	}
	ext := map[string]string{"png": ".png", "jpeg": ".jpg"}[format]
	if ext == "" {
		return nil, "", fmt.Errorf("a %s image: App Store screenshots are PNG or JPEG", format)
	}
	if typ.Name != "" && len(typ.Sizes) > 0 && !sizeAccepted(typ, cfg.Width, cfg.Height) {
		return nil, "", fmt.Errorf("%d×%d is not a size %s accepts", cfg.Width, cfg.Height, typ.Name)
	}
	return data, ext, nil
}

func sizeAccepted(t collection.DisplayType, w, h int) bool {
	for _, s := range t.Sizes {
		if (s.W == w && s.H == h) || (t.Landscape && s.W == h && s.H == w) {
			return true
		}
	}
	return false
}

// nextNumber is one more than the largest leading number of the files in dir, so a new file
// sorts last.
func nextNumber(dir string) int {
	entries, _ := os.ReadDir(dir)
	n := 0
	for _, e := range entries {
		if v := leadingNumber(e.Name()); v > n {
			n = v
		}
	}
	return n + 1
}

func leadingNumber(name string) int {
	i := 0
	for i < len(name) && name[i] >= '0' && name[i] <= '9' {
		i++
	}
	v, _ := strconv.Atoi(name[:i])
	return v
}

// setFiles returns the media files of the set folder rel as the loader orders them: only
// names the collection itself lists can be deleted or moved.
func (d *Dashboard) setFiles(dir, rel string, opts collection.Options) ([]string, error) {
	c, _, err := collection.Load(dir, opts)
	if err != nil {
		return nil, err
	}
	for _, s := range c.Sets {
		if s.Dir == rel {
			var names []string
			for _, a := range s.Assets {
				names = append(names, a.Name)
			}
			return names, nil
		}
	}
	return nil, fmt.Errorf("%s holds no media", rel)
}

// setRequest is the start of every change to one set's files: the collection, the member's
// right to edit media, the set folder the form names and the files the collection lists in
// it. It answers the request itself (and returns false) when one is missing.
func (d *Dashboard) setRequest(w http.ResponseWriter, r *http.Request) (a workspace.App, dir, rel, back string, names []string, ok bool) {
	a, dir, ok = d.collectionDir(w, r)
	if !ok {
		return a, "", "", "", nil, false
	}
	if !grant(r.Context(), a.BundleID, roles.MediaEdit).Allowed {
		d.refuse(w, r, roles.MediaEdit, "")
		return a, "", "", "", nil, false
	}
	back = "/apps/" + a.BundleID + "/c/" + r.PathValue("coll")
	_, rel, err := d.setDir(r)
	if err != nil {
		d.fail(w, r, http.StatusBadRequest, err.Error())
		return a, "", "", "", nil, false
	}
	if names, err = d.setFiles(dir, rel, d.options(a)); err != nil {
		d.fail(w, r, http.StatusNotFound, err.Error())
		return a, "", "", "", nil, false
	}
	return a, dir, rel, back, names, true
}

func (d *Dashboard) deleteMedia(w http.ResponseWriter, r *http.Request) {
	a, dir, rel, back, names, ok := d.setRequest(w, r)
	if !ok {
		return
	}
	name := r.FormValue("name")
	if !slices.Contains(names, name) {
		d.fail(w, r, http.StatusNotFound, "no file "+strconv.Quote(name)+" in "+rel)
		return
	}
	if err := os.Remove(filepath.Join(dir, filepath.FromSlash(rel), name)); err != nil {
		d.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	d.log.Info("dashboard deleted a media file", "app", a.BundleID, "path", rel+"/"+name)
	d.edited(r, a.BundleID, mediaKey(rel))
	d.redirectDone(w, r, back, "deleted "+rel+"/"+name)
}

// reorderMedia gives a set a new order: either the whole order (a drag) or one file moved by
// one place (the keyboard buttons). The order on App Store Connect is the natural order of the
// names, so the files are renamed 01_…, 02_…; their content, and so their checksums, stay.
func (d *Dashboard) reorderMedia(w http.ResponseWriter, r *http.Request) {
	a, dir, rel, back, names, ok := d.setRequest(w, r)
	if !ok {
		return
	}
	order, err := newOrder(names, r.Form["order"], r.FormValue("name"), r.FormValue("move"))
	if err != nil {
		d.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	if slices.Equal(order, names) {
		d.redirectDone(w, r, back, "the order is unchanged")
		return
	}
	if err := renameInOrder(filepath.Join(dir, filepath.FromSlash(rel)), order); err != nil {
		d.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	d.log.Info("dashboard reordered a set", "app", a.BundleID, "set", rel)
	if r.Header.Get("HX-Request") != "" {
		w.Header().Set("HX-Redirect", back+"?done="+strings.ReplaceAll("reordered "+rel, " ", "+"))
		w.WriteHeader(http.StatusNoContent)
		return
	}
	d.edited(r, a.BundleID, mediaKey(rel))
	d.redirectDone(w, r, back, "reordered "+rel)
}

// newOrder is the set's order after the request: order must be a permutation of names; or
// name moves by move (-1 earlier, +1 later).
func newOrder(names, order []string, name, move string) ([]string, error) {
	if len(order) > 0 {
		if len(order) != len(names) || !slices.Equal(slices.Sorted(slices.Values(order)), slices.Sorted(slices.Values(names))) {
			return nil, errors.New("the order does not list the set's files: reload the page")
		}
		return order, nil
	}
	i := slices.Index(names, name)
	step, err := strconv.Atoi(move)
	if i < 0 || err != nil || (step != -1 && step != 1) {
		return nil, errors.New("say which file moves and where (-1 or 1)")
	}
	j := i + step
	out := slices.Clone(names)
	if j < 0 || j >= len(out) {
		return out, nil
	}
	out[i], out[j] = out[j], out[i]
	return out, nil
}

// renameInOrder renames the files of dir to NN_<name> in order, through dot names the
// watcher ignores, so no two files ever share a name.
func renameInOrder(dir string, order []string) error {
	tmp := make([]string, len(order))
	for i, n := range order {
		tmp[i] = filepath.Join(dir, fmt.Sprintf(".storesyncer-order-%02d%s", i, filepath.Ext(n)))
		if err := os.Rename(filepath.Join(dir, n), tmp[i]); err != nil {
			return fmt.Errorf("reorder: %w", err)
		}
	}
	for i, n := range order {
		final := fmt.Sprintf("%02d_%s", i+1, stripNumber(n))
		if err := os.Rename(tmp[i], filepath.Join(dir, final)); err != nil {
			return fmt.Errorf("reorder: %w", err)
		}
	}
	return nil
}

// stripNumber drops a leading number and its separator ("03_home.png" → "home.png"), so
// names do not grow with every reorder; a name that is only a number keeps its extension.
func stripNumber(name string) string {
	i := 0
	for i < len(name) && name[i] >= '0' && name[i] <= '9' {
		i++
	}
	rest := strings.TrimLeft(name[i:], "_- ")
	if rest == "" || strings.HasPrefix(rest, ".") {
		return "shot" + filepath.Ext(name)
	}
	return rest
}
