package dashboard

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/safefile"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// cell is one locale × field of the grid.
type cell struct {
	Locale, Field string
	Value         string
	// Length counts code points, as Apple does; Max is the field's limit (0: none).
	Length, Max int
	Problems    []collection.Problem
	// Managed is false for an absent or empty file: StoreSyncer leaves that field alone.
	Managed bool
	CSRF    string
	Action  string
}

// Over reports whether the text is longer than its field allows.
func (c cell) Over() bool { return c.Max > 0 && c.Length > c.Max }

// gallery is one locale's set of one display or preview type.
type gallery struct {
	Kind, Locale, Type, Dir string
	Items                   []galleryItem
	Problems                []collection.Problem
}

type galleryItem struct {
	Name, Path string
	Thumb      string
	Size       int64
	// Video is what a preview's boxes say; empty for a screenshot.
	Video string
}

type collectionView struct {
	Frame
	App        workspace.App
	Collection string
	Active     bool
	Fields     []collection.Field
	Locales    []string
	Rows       [][]cell // by locale, then field
	Galleries  []gallery
	Layout     []collection.Problem // problems not tied to a text or set
	AllLocales []string
	Screens    []string
	Previews   []string
	Base       string
}

// collectionDir returns the app and the folder of the collection named in the path.
func (d *Dashboard) collectionDir(w http.ResponseWriter, r *http.Request) (workspace.App, string, bool) {
	a, ok := d.app(w, r)
	if !ok {
		return a, "", false
	}
	name := r.PathValue("coll")
	if err := workspace.ValidateCollectionName(name); err != nil {
		d.fail(w, r, http.StatusNotFound, "no collection "+name)
		return a, "", false
	}
	dir := d.cfg.Workspace.CollectionDir(a.BundleID, name)
	if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
		d.fail(w, r, http.StatusNotFound, "no collection "+name+" for "+a.BundleID)
		return a, "", false
	}
	return a, dir, true
}

func (d *Dashboard) options(a workspace.App) collection.Options {
	o := d.cfg.Collection
	o.Platform = a.Platform
	return o
}

func (d *Dashboard) collectionPage(w http.ResponseWriter, r *http.Request) {
	a, dir, ok := d.collectionDir(w, r)
	if !ok {
		return
	}
	st := d.cfg.Reader.Status(r.Context())
	name := r.PathValue("coll")
	v := collectionView{
		Frame: d.frame(r, a.BundleID+" · "+name, "apps", st), App: a, Collection: name,
		Active: a.Active == name, Fields: collection.Fields,
		Base: "/apps/" + a.BundleID + "/c/" + name,
	}
	c, problems, err := collection.Load(dir, d.options(a))
	if err != nil {
		d.fail(w, r, http.StatusInternalServerError, "read collection "+name+": "+err.Error())
		return
	}
	v.Locales = localesOnDisk(dir, c)
	byPath := map[string][]collection.Problem{}
	for _, p := range problems {
		byPath[p.Path] = append(byPath[p.Path], p)
	}
	// What the role cannot see is left out of the page.
	texts, media := grant(r.Context(), a.BundleID, roles.TextsSee), grant(r.Context(), a.BundleID, roles.MediaSee)
	v.Fields = nil
	for _, f := range collection.Fields {
		if texts.Allowed && texts.Keys.CoversField(f.Dir) {
			v.Fields = append(v.Fields, f)
		}
	}
	used := map[string]bool{}
	for _, loc := range v.Locales {
		var row []cell
		for _, f := range v.Fields {
			row = append(row, d.cellFor(c, byPath, loc, f, v.CSRF, v.Base))
			used[f.Dir+"/"+loc+".txt"] = true
		}
		v.Rows = append(v.Rows, row)
	}
	for _, k := range c.SetKeys() {
		if !media.Allowed {
			break
		}
		s := c.Sets[k]
		g := gallery{Kind: string(s.Kind), Locale: s.Locale, Type: s.Type, Dir: s.Dir, Problems: s.Problems}
		used[s.Dir] = true
		for _, as := range s.Assets {
			it := galleryItem{Name: as.Name, Path: as.Path, Size: as.Size}
			if s.Kind == collection.Screenshots {
				it.Thumb = v.Base + "/thumb?path=" + as.Path
			} else {
				it.Video = videoSummary(dir, as.Path)
			}
			used[as.Path] = true
			g.Items = append(g.Items, it)
		}
		v.Galleries = append(v.Galleries, g)
	}
	for _, p := range problems {
		if !used[p.Path] {
			v.Layout = append(v.Layout, p)
		}
	}
	if !media.Allowed {
		d.render(w, r, http.StatusOK, "collection", v)
		return
	}
	v.AllLocales = append(slices.Clone(collection.Locales), d.cfg.Collection.ExtraLocales...)
	for _, t := range collection.DisplayTypes {
		if slices.Contains(t.Platforms, a.Platform) {
			v.Screens = append(v.Screens, t.Name)
		}
	}
	for _, t := range collection.PreviewTypes {
		if slices.Contains(t.Platforms, a.Platform) {
			v.Previews = append(v.Previews, t.Name)
		}
	}
	d.render(w, r, http.StatusOK, "collection", v)
}

// cellFor is the grid cell of locale's field f: the loaded text when it is managed, else
// what the file holds (empty), with the problems found at its path.
func (d *Dashboard) cellFor(c *collection.Collection, byPath map[string][]collection.Problem, locale string, f collection.Field, csrf, base string) cell {
	p := f.Dir + "/" + locale + ".txt"
	out := cell{Locale: locale, Field: f.Dir, Max: f.Max, Problems: byPath[p], CSRF: csrf, Action: base + "/text"}
	if t, ok := c.Texts[collection.TextKey(locale, f.Dir)]; ok {
		out.Value, out.Managed = t.Value, t.Value != ""
		out.Length = utf8.RuneCountInString(t.Value)
	}
	return out
}

// localesOnDisk lists the collection's locales: those with a key, and those that only have
// empty files or folders (a locale just added in the page).
func localesOnDisk(dir string, c *collection.Collection) []string {
	seen := map[string]bool{}
	for _, l := range c.Locales() {
		seen[l] = true
	}
	for _, f := range collection.Fields {
		entries, _ := os.ReadDir(filepath.Join(dir, f.Dir))
		for _, e := range entries {
			if n, ok := strings.CutSuffix(e.Name(), ".txt"); ok && isLocale(n) {
				seen[n] = true
			}
		}
	}
	for _, m := range []string{collection.ScreenshotDir, collection.PreviewDir} {
		entries, _ := os.ReadDir(filepath.Join(dir, m))
		for _, e := range entries {
			if e.IsDir() && isLocale(e.Name()) {
				seen[e.Name()] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// isLocale reports whether s is a locale code App Store Connect knows.
func isLocale(s string) bool { return slices.Contains(collection.Locales, s) }

// knownLocale is isLocale with the config's extra locales.
func (d *Dashboard) knownLocale(s string) bool {
	return isLocale(s) || slices.Contains(d.cfg.Collection.ExtraLocales, s)
}

// fieldNamed returns the text field whose folder is dir.
func fieldNamed(dir string) (collection.Field, bool) { return collection.FieldByDir(dir) }

// realDir makes dir (inside the collection root) as a real folder: an existing link or
// special file on the way is refused, so a write never lands outside the collection.
func realDir(root, rel string) error {
	cur := root
	for _, part := range strings.Split(rel, "/") {
		cur = filepath.Join(cur, part)
		fi, err := os.Lstat(cur)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(cur, 0o755); err != nil {
				return err
			}
		case err != nil:
			return err
		case !fi.IsDir():
			return fmt.Errorf("%s is not a folder (a link or a file): the dashboard writes only into real folders", path.Join(strings.TrimPrefix(cur, root+string(filepath.Separator))))
		}
	}
	return nil
}

// editText writes one text file: the folder is the one source of truth, and the watcher
// uploads the change like any other save.
func (d *Dashboard) editText(w http.ResponseWriter, r *http.Request) {
	a, dir, ok := d.collectionDir(w, r)
	if !ok {
		return
	}
	locale, fieldDir := r.FormValue("locale"), r.FormValue("field")
	f, okf := fieldNamed(fieldDir)
	if !okf || !d.knownLocale(locale) {
		d.fail(w, r, http.StatusBadRequest, fmt.Sprintf("no text field %q of locale %q", fieldDir, locale))
		return
	}
	if g := grant(r.Context(), a.BundleID, roles.TextsEdit); !g.Allowed || !g.Keys.CoversField(f.Dir) {
		d.refuse(w, r, roles.TextsEdit, f.Dir)
		return
	}
	value := strings.ReplaceAll(r.FormValue("value"), "\r\n", "\n")
	if !utf8.ValidString(value) {
		d.fail(w, r, http.StatusBadRequest, "the text is not valid UTF-8")
		return
	}
	if err := realDir(dir, f.Dir); err != nil {
		d.fail(w, r, http.StatusConflict, err.Error())
		return
	}
	data := []byte(strings.TrimSpace(value))
	if len(data) > 0 {
		data = append(data, '\n')
	}
	target := filepath.Join(dir, f.Dir, locale+".txt")
	if err := writeRegular(target, data); err != nil {
		d.fail(w, r, http.StatusConflict, err.Error())
		return
	}
	d.log.Info("dashboard wrote a text", "app", a.BundleID, "path", f.Dir+"/"+locale+".txt")
	d.edited(r, a.BundleID, locale+"/"+f.Dir)
	if r.Header.Get("HX-Request") == "" {
		http.Redirect(w, r, "/apps/"+a.BundleID+"/c/"+r.PathValue("coll")+"#"+f.Dir+"-"+locale, http.StatusSeeOther)
		return
	}
	c, problems, err := collection.Load(dir, d.options(a))
	if err != nil {
		d.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	byPath := map[string][]collection.Problem{}
	for _, p := range problems {
		byPath[p.Path] = append(byPath[p.Path], p)
	}
	s := sessionOf(r.Context())
	d.render(w, r, http.StatusOK, "cell", d.cellFor(c, byPath, locale, f, s.csrf, "/apps/"+a.BundleID+"/c/"+r.PathValue("coll")))
}

// writeRegular replaces the file at target atomically, refusing to replace anything but a
// regular file (a link in the workspace is never written through or over).
func writeRegular(target string, data []byte) error {
	if fi, err := os.Lstat(target); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (a link or a special file): change it in the folder", filepath.Base(target))
	}
	return workspace.WriteFileAtomic(target, data, 0o644)
}

// localeRequest is the start of adding or removing a locale: the collection, the member's
// right to edit all its texts and sets, and a locale App Store Connect knows. It answers the
// request itself (and returns false) when one is missing.
func (d *Dashboard) localeRequest(w http.ResponseWriter, r *http.Request) (a workspace.App, dir, locale, back string, ok bool) {
	a, dir, ok = d.collectionDir(w, r)
	if !ok {
		return a, "", "", "", false
	}
	// A locale holds every text and set: only a role that edits them all may add or remove one.
	if g := grant(r.Context(), a.BundleID, roles.TextsEdit); !g.Allowed || !g.Keys.CoversAll() || !grant(r.Context(), a.BundleID, roles.MediaEdit).Allowed {
		d.refuse(w, r, roles.TextsEdit, "a locale holds every text and set")
		return a, "", "", "", false
	}
	locale = r.FormValue("locale")
	if !d.knownLocale(locale) {
		d.fail(w, r, http.StatusBadRequest, fmt.Sprintf("%q is not an App Store Connect locale", locale))
		return a, "", "", "", false
	}
	return a, dir, locale, "/apps/" + a.BundleID + "/c/" + r.PathValue("coll"), true
}

func (d *Dashboard) addLocale(w http.ResponseWriter, r *http.Request) {
	_, dir, locale, back, ok := d.localeRequest(w, r)
	if !ok {
		return
	}
	// A locale is its folders: the texts are written as they are filled in; an empty file
	// would only be a warning.
	if err := realDir(dir, collection.ScreenshotDir+"/"+locale); err != nil {
		d.fail(w, r, http.StatusConflict, err.Error())
		return
	}
	d.redirectDone(w, r, back, "added "+locale+": fill in its texts; nothing is sent until a text or screenshot is there")
}

func (d *Dashboard) removeLocale(w http.ResponseWriter, r *http.Request) {
	a, dir, locale, back, ok := d.localeRequest(w, r)
	if !ok {
		return
	}
	for _, f := range collection.Fields {
		p := filepath.Join(dir, f.Dir, locale+".txt")
		if fi, err := os.Lstat(p); err == nil && !fi.IsDir() {
			if err := os.Remove(p); err != nil {
				d.fail(w, r, http.StatusInternalServerError, err.Error())
				return
			}
		}
	}
	for _, m := range []string{collection.ScreenshotDir, collection.PreviewDir} {
		if err := os.RemoveAll(filepath.Join(dir, m, locale)); err != nil { // RemoveAll never follows links
			d.fail(w, r, http.StatusInternalServerError, err.Error())
			return
		}
	}
	d.log.Info("dashboard removed a locale", "app", a.BundleID, "locale", locale)
	d.redirectDone(w, r, back, "removed "+locale+" from the collection: App Store Connect keeps that localization until `storesyncer push --prune`")
}

// videoSummary reads a preview's duration and resolution from its boxes.
func videoSummary(dir, rel string) string {
	f, fi, err := safefile.Open(dir, rel)
	if err != nil {
		return "unreadable"
	}
	defer f.Close()
	info, err := collection.ProbeVideo(f, fi.Size())
	if err != nil {
		return "not a video"
	}
	return fmt.Sprintf("%.1f s · %d×%d", info.Duration.Seconds(), info.Width, info.Height)
}

// localesOf returns the locales of the collection in dir; none when it cannot be read.
func localesOf(dir string, opts collection.Options) []string {
	c, _, err := collection.Load(dir, opts)
	if err != nil {
		return nil
	}
	return c.Locales()
}
