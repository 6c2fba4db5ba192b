package transfer

import (
	"path/filepath"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// textItem is one text file an import writes: field/locale.txt.
type textItem struct {
	field  collection.Field
	locale string
	file   srcFile
}

// mediaFile is one image or video of a media set, under the name it gets in the collection.
type mediaFile struct {
	name string
	file srcFile
}

// mediaSet is one screenshot or preview set an import replaces as a whole.
type mediaSet struct {
	// kind is collection.ScreenshotDir or collection.PreviewDir.
	kind   string
	locale string
	typ    string
	files  []mediaFile
}

// importPlan is what a source holds, mapped onto the template layout.
type importPlan struct {
	texts    []textItem
	sets     []mediaSet
	warnings []string
	rejected []Rejected
}

func (t textItem) rel() string {
	return filepath.Join(t.field.Dir, t.locale+".txt")
}

func (m mediaSet) rel() string {
	return filepath.Join(m.kind, m.locale, m.typ)
}

// only drops what opts.Only excludes.
func (p *importPlan) only(only Only) {
	switch only {
	case OnlyText:
		p.sets = nil
	case OnlyMedia:
		p.texts = nil
	}
}

var imageExts = map[string]bool{".png": true, ".jpg": true, ".jpeg": true}
var videoExts = map[string]bool{".mp4": true, ".mov": true, ".m4v": true}

// extOf returns the lower-case extension of a slash path.
func extOf(p string) string {
	return strings.ToLower(filepath.Ext(p))
}
