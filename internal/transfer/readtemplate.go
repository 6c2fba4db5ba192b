package transfer

import (
	"fmt"
	"path"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// planTemplate maps a source in the template layout. Unknown files and folders are skipped with
// a warning; the collection's validation judges locales and types that are copied.
func planTemplate(s *source) *importPlan {
	p := &importPlan{}
	files, dirs := s.children("")
	for _, name := range files {
		if name != "README.txt" {
			p.warnings = append(p.warnings, fmt.Sprintf("%s: not part of the template layout; skipped", name))
		}
	}
	for _, dir := range dirs {
		if f, ok := collection.FieldByDir(dir); ok {
			p.planTextDir(s, f)
			continue
		}
		switch dir {
		case collection.ScreenshotDir:
			p.planMediaDir(s, dir, imageExts)
		case collection.PreviewDir:
			p.planMediaDir(s, dir, videoExts)
		default:
			p.warnings = append(p.warnings, fmt.Sprintf("%s/: not a folder of the template layout%s; skipped", dir, didYouMeanDir(dir)))
		}
	}
	return p
}

func (p *importPlan) planTextDir(s *source, f collection.Field) {
	files, dirs := s.children(f.Dir)
	for _, d := range dirs {
		p.warnings = append(p.warnings, fmt.Sprintf("%s/%s/: unexpected folder; skipped", f.Dir, d))
	}
	for _, name := range files {
		rel := f.Dir + "/" + name
		if extOf(name) != ".txt" || len(name) <= len(".txt") {
			p.warnings = append(p.warnings, fmt.Sprintf("%s: not a <locale>.txt file; skipped", rel))
			continue
		}
		sf, _ := s.file(rel)
		p.texts = append(p.texts, textItem{field: f, locale: strings.TrimSuffix(name, path.Ext(name)), file: sf})
	}
}

func (p *importPlan) planMediaDir(s *source, kind string, exts map[string]bool) {
	files, locales := s.children(kind)
	for _, name := range files {
		p.warnings = append(p.warnings, fmt.Sprintf("%s/%s: expected %s/<locale>/<type>/; skipped", kind, name, kind))
	}
	for _, loc := range locales {
		files, types := s.children(kind + "/" + loc)
		for _, name := range files {
			p.warnings = append(p.warnings, fmt.Sprintf("%s/%s/%s: expected %s/<locale>/<type>/<file>; skipped", kind, loc, name, kind))
		}
		for _, typ := range types {
			dir := kind + "/" + loc + "/" + typ
			files, sub := s.children(dir)
			for _, d := range sub {
				p.warnings = append(p.warnings, fmt.Sprintf("%s/%s/: unexpected folder; skipped", dir, d))
			}
			set := mediaSet{kind: kind, locale: loc, typ: typ}
			for _, name := range files {
				if !exts[extOf(name)] {
					p.warnings = append(p.warnings, fmt.Sprintf("%s/%s: not a %s file; skipped", dir, name, kindNoun(kind)))
					continue
				}
				sf, _ := s.file(dir + "/" + name)
				set.files = append(set.files, mediaFile{name: name, file: sf})
			}
			p.sets = append(p.sets, set)
		}
	}
}

func kindNoun(kind string) string {
	if kind == collection.PreviewDir {
		return "video (.mp4, .mov, .m4v)"
	}
	return "screenshot (.png, .jpg, .jpeg)"
}

// didYouMeanDir suggests a template folder close to dir.
func didYouMeanDir(dir string) string {
	names := []string{collection.ScreenshotDir, collection.PreviewDir}
	for _, f := range collection.Fields {
		names = append(names, f.Dir)
	}
	if s := collection.Suggest(dir, names); s != "" {
		return fmt.Sprintf(" (did you mean %s/?)", s)
	}
	return ""
}
