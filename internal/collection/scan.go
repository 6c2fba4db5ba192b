package collection

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/storesyncer/storesyncer/internal/safefile"
)

// scan is the result of walking a collection's folders: what is where, and the problems of
// the layout itself. Reading the files is left to the checks, which run in parallel.
type scan struct {
	root     string
	names    *names
	problems []Problem
	texts    []*textItem
	sets     []*setItem
	// fields are the field folders the walk listed.
	fields []string
}

// textItem is one <field>/<locale>.txt file.
type textItem struct {
	rel    string
	locale string
	field  Field
	key    Key // TextKey(locale, field.Dir)
	// held are problems found by the walk that make the key invalid (an unknown locale).
	held []Problem
	// skip is set when the file must not be opened (a refused link or special file).
	skip bool
	// done is set when Reload took the check's result from an earlier load.
	done bool
	// Filled by the check.
	value    string
	problems []Problem
}

func newTextItem(rel, locale string, field Field, held []Problem, skip bool) *textItem {
	return &textItem{rel: rel, locale: locale, field: field, key: TextKey(locale, field.Dir), held: held, skip: skip}
}

// setItem is one screenshot/<locale>/<type>/ or preview/<locale>/<type>/ folder.
type setItem struct {
	kind   MediaKind
	locale string
	dir    string // relative folder path as on disk
	check  typeCheck
	// k is the set's key (key); folderKey is the key by the folder's name as on disk
	// (APP_IPHONE_69 where k says APP_IPHONE_67), as a watcher names a changed set.
	k, folderKey Key
	files        []*fileItem
	// held are problems of the locale folder, which make the key invalid but are reported
	// once, on that folder; own are problems of this folder itself; alias are the alias
	// check's (checkAliases), apart so the walk's own stay as the walk found them.
	held  []Problem
	own   []Problem
	alias []Problem
	// kept is set when Reload took the set, checked, from an earlier load: files is then
	// empty and the results are kept's. Nothing may change what kept holds.
	kept *setMemo
}

// fileItem is one media file of a set.
type fileItem struct {
	rel  string
	name string
	ext  string // lower case, with the dot
	// Filled by the check.
	size     int64
	modTime  int64
	md5      string
	problems []Problem
	// done is set when Reload took the check's result from an earlier load.
	done bool
}

// key returns the set's key: locale/kind/type, with the display type's canonical name.
func (s *setItem) key() Key { return s.k }

type dirEntry struct {
	name  string
	isDir bool
	// refused is set for an entry that is never read: a symbolic link that leaves the
	// collection or loops, a FIFO, socket or device, or a name that is not clean UTF-8.
	refused *Problem
}

// readDir lists the folder rel of the collection at root without litter, in name order. A
// symbolic link counts as what it points to when that stays inside the collection
// (safefile.Check); any other link, every special file and every bad name is refused, with
// the problem that says why.
func readDir(root, rel string) ([]dirEntry, error) {
	des, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	out := make([]dirEntry, 0, len(des))
	for _, de := range des {
		if IsIgnored(de.Name()) {
			continue
		}
		e := dirEntry{name: de.Name(), isDir: de.IsDir()}
		erel := path.Join(rel, e.name)
		if msg := checkName(e.name); msg != "" {
			e.refused = &Problem{Path: printablePath(erel), Code: CodeNameInvalid, Severity: SeverityError, Message: msg}
		} else if t := de.Type(); !t.IsRegular() && !t.IsDir() {
			c, err := safefile.Check(root, erel)
			if err != nil {
				p := refusal(erel, err)
				e.refused = &p
			} else {
				e.isDir = c.Info.IsDir()
			}
		}
		out = append(out, e)
	}
	return out, nil
}

var topLevelNames = func() []string {
	n := []string{ScreenshotDir, PreviewDir}
	for _, f := range Fields {
		n = append(n, f.Dir)
	}
	return n
}()

// walk lists the collection at root. Its error is non-nil only when root cannot be listed.
func walk(root string, n *names) (*scan, error) {
	s, err := walkTree(root, n)
	if err != nil {
		return nil, err
	}
	s.checkAliases()
	return s, nil
}

// walkTree is walk without the check of alias folders, which needs every set.
func walkTree(root string, n *names) (*scan, error) {
	entries, err := readDir(root, "")
	if err != nil {
		return nil, fmt.Errorf("read collection %s: %w", root, err)
	}
	s := &scan{root: root, names: n}
	for _, e := range entries {
		field, isField := FieldByDir(e.name)
		isMedia := e.name == ScreenshotDir || e.name == PreviewDir
		switch {
		case e.refused != nil:
			s.problems = append(s.problems, *e.refused)
		case !e.isDir && (isField || isMedia):
			s.add(e.name, CodeLayoutNotAFolder, SeverityError, e.name+" is a file; the template layout needs a folder here")
		case !e.isDir && e.name == TemplateReadme:
			// The help file of a template file, unzipped with it: never uploaded, not worth a word.
		case !e.isDir:
			s.add(e.name, CodeLayoutUnknownFile, SeverityWarning, "not part of the template layout; it is never uploaded")
		case isField:
			s.fields = append(s.fields, field.Dir)
			s.walkField(field)
		case isMedia:
			s.walkMedia(MediaKind(e.name))
		default:
			s.add(e.name, CodeLayoutUnknownFolder, SeverityError, unknownTopFolder(e.name))
		}
	}
	return s, nil
}

func unknownTopFolder(name string) string {
	msg := "not part of the template layout; nothing in it is uploaded"
	if name == "metadata" {
		return msg + "; this looks like fastlane deliver's layout: convert it with storesyncer import --format fastlane"
	}
	if s := Suggest(name, topLevelNames); s != "" {
		return msg + didYouMean(s+"/")
	}
	return msg
}

func (s *scan) add(rel, code string, sev Severity, msg string) {
	s.problems = append(s.problems, Problem{Path: rel, Code: code, Severity: sev, Message: msg})
}

// list reads a folder inside the collection, reporting a folder it cannot read as a problem.
func (s *scan) list(rel string) ([]dirEntry, bool) {
	entries, err := readDir(s.root, rel)
	if err != nil {
		s.add(rel, CodeLayoutUnreadable, SeverityError, fmt.Sprintf("cannot list folder: %v", unwrapPath(err)))
		return nil, false
	}
	return entries, true
}

func (s *scan) walkField(field Field) {
	entries, ok := s.list(field.Dir)
	if !ok {
		return
	}
	for _, e := range entries {
		rel := path.Join(field.Dir, e.name)
		if e.refused != nil {
			s.problems = append(s.problems, *e.refused)
			if ext := path.Ext(e.name); e.refused.Code != CodeNameInvalid && strings.EqualFold(ext, ".txt") {
				// The key is held, not "not managed": a link swapped in must not look like
				// a deleted file.
				s.texts = append(s.texts, newTextItem(rel, strings.TrimSuffix(e.name, ext), field, []Problem{*e.refused}, true))
			}
			continue
		}
		if e.isDir {
			s.add(rel, CodeLayoutUnknownFolder, SeverityError, fmt.Sprintf("folders do not belong in %s/; put each locale's text in %s/<locale>.txt", field.Dir, field.Dir))
			continue
		}
		ext := path.Ext(e.name)
		if !strings.EqualFold(ext, ".txt") {
			s.add(rel, CodeLayoutUnknownFile, SeverityWarning, fmt.Sprintf("not a .txt file; it is never uploaded (expected %s/<locale>.txt)", field.Dir))
			continue
		}
		it := newTextItem(rel, strings.TrimSuffix(e.name, ext), field, nil, false)
		if msg := s.names.checkLocale(it.locale); msg != "" {
			p := Problem{Path: rel, Code: CodeLocaleUnknown, Severity: SeverityError, Message: msg}
			s.problems = append(s.problems, p)
			it.held = append(it.held, p)
		}
		s.texts = append(s.texts, it)
	}
}

func (s *scan) walkMedia(kind MediaKind) {
	root := string(kind)
	entries, ok := s.list(root)
	if !ok {
		return
	}
	for _, e := range entries {
		rel := path.Join(root, e.name)
		if e.refused != nil {
			s.problems = append(s.problems, *e.refused)
			continue
		}
		if !e.isDir {
			s.add(rel, CodeLayoutUnknownFile, SeverityWarning, fmt.Sprintf("never uploaded: media go in %s/<locale>/<type>/", root))
			continue
		}
		var held []Problem
		if msg := s.names.checkLocale(e.name); msg != "" {
			p := Problem{Path: rel, Code: CodeLocaleUnknown, Severity: SeverityError, Message: msg}
			s.problems = append(s.problems, p)
			held = append(held, p)
		}
		s.walkLocale(kind, e.name, held)
	}
}

func (s *scan) walkLocale(kind MediaKind, locale string, held []Problem) {
	rel := path.Join(string(kind), locale)
	entries, ok := s.list(rel)
	if !ok {
		return
	}
	example := "APP_IPHONE_67"
	if kind == Previews {
		example = "IPHONE_67"
	}
	for _, e := range entries {
		dir := path.Join(rel, e.name)
		if e.refused != nil {
			s.problems = append(s.problems, *e.refused)
			continue
		}
		if !e.isDir {
			s.add(dir, CodeLayoutUnknownFile, SeverityWarning, fmt.Sprintf("never uploaded: media go in a type folder such as %s/%s/", rel, example))
			continue
		}
		set := &setItem{kind: kind, locale: locale, dir: dir, held: held}
		set.check = s.names.checkType(kind, e.name)
		if set.check.Canonical == "" {
			set.check.Canonical = e.name // unknown: keep the name so the key is still unique
		}
		set.k, set.folderKey = SetKey(kind, locale, set.check.Canonical), SetKey(kind, locale, e.name)
		if set.check.Code != "" {
			set.own = append(set.own, Problem{Path: dir, Code: set.check.Code, Severity: SeverityError, Message: set.check.Message})
		}
		s.walkSet(set)
		s.sets = append(s.sets, set)
	}
}

// Media file extensions (lower case): accepted, and recognised but refused.
var (
	imageExts        = map[string]bool{".png": true, ".jpg": true, ".jpeg": true}
	videoExts        = map[string]bool{".mp4": true, ".mov": true, ".m4v": true}
	refusedImageExts = map[string]bool{".gif": true, ".heic": true, ".heif": true, ".webp": true, ".tif": true, ".tiff": true, ".bmp": true, ".avif": true}
	refusedVideoExts = map[string]bool{".avi": true, ".mkv": true, ".webm": true, ".wmv": true, ".flv": true, ".mpg": true, ".mpeg": true, ".gif": true}
)

func (s *scan) walkSet(set *setItem) {
	entries, ok := s.list(set.dir)
	if !ok {
		return
	}
	accepted, refused, limit := imageExts, refusedImageExts, MaxScreenshots
	refusedCode, what := CodeImageUnsupportedFormat, "PNG or JPEG (.png, .jpg, .jpeg)"
	if set.kind == Previews {
		accepted, refused, limit = videoExts, refusedVideoExts, MaxPreviews
		refusedCode, what = CodePreviewUnsupportedFormat, "MP4 or QuickTime (.mp4, .m4v, .mov)"
	}
	for _, e := range entries {
		rel := path.Join(set.dir, e.name)
		ext := strings.ToLower(path.Ext(e.name))
		switch {
		case e.refused != nil: // holds the set: it would be synced without this file
			set.own = append(set.own, *e.refused)
		case e.isDir:
			set.own = append(set.own, Problem{Path: rel, Code: CodeLayoutUnknownFolder, Severity: SeverityError, Message: "folders do not belong in a type folder; nothing in it is uploaded"})
		case accepted[ext]:
			set.files = append(set.files, &fileItem{rel: rel, name: e.name, ext: ext})
		case refused[ext]:
			set.own = append(set.own, Problem{Path: rel, Code: refusedCode, Severity: SeverityError, Message: fmt.Sprintf("App Store Connect takes %s; convert this file", what)})
		default:
			s.add(rel, CodeLayoutUnknownFile, SeverityWarning, fmt.Sprintf("not %s; it is never uploaded", what))
		}
	}
	sortFiles(set.files)
	switch {
	case len(set.files) == 0 && len(set.own) == 0 && len(entries) > 0:
		// A folder with nothing in it is a template's placeholder and says nothing; one with
		// files but no media may be a mistake worth a word.
		set.own = append(set.own, Problem{Path: set.dir, Code: CodeSetEmpty, Severity: SeverityWarning, Message: "no media: this set is not managed, StoreSyncer leaves it alone on App Store Connect"})
	case len(set.files) > limit:
		set.own = append(set.own, Problem{Path: set.dir, Code: CodeSetTooMany, Severity: SeverityError, Message: fmt.Sprintf("%d files; a set holds at most %d", len(set.files), limit)})
	}
}

// checkAliases reports display-type folders of one locale that name the same set
// (APP_IPHONE_67 and APP_IPHONE_69).
func (s *scan) checkAliases() {
	first := make(map[Key]*setItem)
	for _, set := range s.sets {
		k := set.key()
		other, dup := first[k]
		if !dup {
			first[k] = set
			continue
		}
		msg := fmt.Sprintf("%s and %s are one set on App Store Connect (%s); keep only one of the folders", path.Base(other.dir), path.Base(set.dir), set.check.Canonical)
		for _, x := range []*setItem{other, set} {
			x.alias = append(x.alias, Problem{Path: x.dir, Code: CodeDisplayTypeAliasConflict, Severity: SeverityError, Message: msg})
		}
	}
}

func sortFiles(files []*fileItem) {
	slices.SortFunc(files, func(a, b *fileItem) int {
		if NaturalLess(a.name, b.name) {
			return -1
		}
		if NaturalLess(b.name, a.name) {
			return 1
		}
		return 0
	})
}

// unwrapPath drops the absolute path an *fs.PathError carries; problems already name the
// relative path.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
