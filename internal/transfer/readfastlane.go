package transfer

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// planFastlane maps a fastlane deliver tree (metadata/ and screenshots/) onto the template
// layout. Every screenshot whose display type cannot be told is an error, all reported at once;
// with only set to OnlyText the screenshots are not looked at.
func planFastlane(s *source, platform string, only Only) (*importPlan, error) {
	p := &importPlan{}
	files, dirs := s.children("")
	for _, name := range files {
		p.warnf("%s: not part of fastlane's metadata/ or screenshots/; skipped", name)
	}
	for _, d := range dirs {
		if d != fastlaneMetadata && d != fastlaneScreenshots {
			p.warnf("%s/: not part of fastlane's metadata/ or screenshots/; skipped", d)
		}
	}
	metaLocales := p.fastlaneLocales(s, fastlaneMetadata)
	shotLocales := p.fastlaneLocales(s, fastlaneScreenshots)

	locales := map[string]bool{}
	for loc := range metaLocales {
		locales[loc] = true
	}
	for loc := range shotLocales {
		locales[loc] = true
	}
	p.planFastlaneTexts(s, metaLocales, sortedKeys(locales))
	if only == OnlyText {
		return p, nil
	}
	err := p.planFastlaneShots(s, shotLocales, platform)
	return p, err
}

func (p *importPlan) warnf(format string, args ...any) {
	p.warnings = append(p.warnings, fmt.Sprintf(format, args...))
}

// fastlaneLocales maps locale codes to their folder under top, skipping the special folders.
func (p *importPlan) fastlaneLocales(s *source, top string) map[string]string {
	files, dirs := s.children(top)
	out := map[string]string{}
	for _, name := range files {
		if top == fastlaneMetadata {
			p.warnf("%s/%s: not localized; StoreSyncer does not manage it; skipped", top, name)
		} else {
			p.warnf("%s/%s: not in a locale folder; skipped", top, name)
		}
	}
	for _, d := range dirs {
		switch {
		case top == fastlaneMetadata && d == fastlaneDefault:
			continue
		case top == fastlaneMetadata && fastlaneSkippedDirs[d]:
			p.warnf("%s/%s/: not localized; StoreSyncer does not manage it; skipped", top, d)
			continue
		case top == fastlaneScreenshots && d == fastlaneDefault:
			p.warnf("%s/%s/: has no locale; copy its screenshots into a locale folder; skipped", top, d)
			continue
		}
		loc := modernLocale(d)
		if prev, ok := out[loc]; ok {
			// The modern name wins over a legacy one for the same locale.
			if prev == loc {
				p.warnf("%s/%s/: same locale as %s/%s/; skipped", top, d, top, prev)
				continue
			}
			p.warnf("%s/%s/: same locale as %s/%s/; skipped", top, prev, top, d)
		}
		if loc != d {
			p.warnf("%s/%s/: legacy fastlane locale, imported as %s", top, d, loc)
		}
		out[loc] = d
	}
	return out
}

// planFastlaneTexts maps metadata/<locale>/*.txt, filling gaps from metadata/default/.
func (p *importPlan) planFastlaneTexts(s *source, metaLocales map[string]string, all []string) {
	readDir := func(dir string) map[string]srcFile {
		files, sub := s.children(dir)
		for _, d := range sub {
			p.warnf("%s/%s/: unexpected folder; skipped", dir, d)
		}
		out := map[string]srcFile{}
		for _, name := range files {
			stem := strings.TrimSuffix(name, ".txt")
			f, ok := collection.FieldByFastlane(stem)
			if !ok || !strings.HasSuffix(name, ".txt") {
				p.warnf("%s/%s: StoreSyncer does not manage this file; skipped", dir, name)
				continue
			}
			sf, _ := s.file(dir + "/" + name)
			out[f.Dir] = sf
		}
		return out
	}
	defaults := map[string]srcFile{}
	if _, dirs := s.children(fastlaneMetadata); containsString(dirs, fastlaneDefault) {
		defaults = readDir(fastlaneMetadata + "/" + fastlaneDefault)
		if len(all) == 0 && len(defaults) > 0 {
			p.warnf("%s/%s/: no locale folder to apply it to; skipped", fastlaneMetadata, fastlaneDefault)
		}
	}
	for _, loc := range all {
		own := map[string]srcFile{}
		if dir, ok := metaLocales[loc]; ok {
			own = readDir(fastlaneMetadata + "/" + dir)
		}
		for _, f := range collection.Fields {
			if sf, ok := own[f.Dir]; ok {
				p.texts = append(p.texts, textItem{field: f, locale: loc, file: sf})
			} else if sf, ok := defaults[f.Dir]; ok {
				p.texts = append(p.texts, textItem{field: f, locale: loc, file: sf})
			}
		}
	}
}

// planFastlaneShots maps screenshots/<locale>/*.png|jpg into sets by display type, numbering
// the files so their natural order survives.
func (p *importPlan) planFastlaneShots(s *source, shotLocales map[string]string, platform string) error {
	var errs []error
	for _, loc := range sortedKeys(shotLocales) {
		dir := fastlaneScreenshots + "/" + shotLocales[loc]
		files, sub := s.children(dir)
		for _, d := range sub {
			p.warnf("%s/%s/: StoreSyncer reads only screenshots directly in the locale folder (iMessage and others go in screenshot/<locale>/<display type>/); skipped", dir, d)
		}
		files = p.framedOnly(dir, files)
		byType := map[string][]srcFile{}
		for _, name := range files {
			rel := dir + "/" + name
			if !imageExts[extOf(name)] {
				p.warnf("%s: not a screenshot (.png, .jpg, .jpeg); skipped", rel)
				continue
			}
			sf, _ := s.file(rel)
			typ, err := screenshotType(sf, platform)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			byType[typ] = append(byType[typ], sf)
		}
		for _, typ := range sortedKeys(byType) {
			shots := byType[typ]
			sort.Slice(shots, func(i, j int) bool { return collection.NaturalLess(path.Base(shots[i].path), path.Base(shots[j].path)) })
			set := mediaSet{kind: collection.ScreenshotDir, locale: loc, typ: typ}
			width := max(2, len(fmt.Sprint(len(shots))))
			for i, sf := range shots {
				set.files = append(set.files, mediaFile{name: fmt.Sprintf("%0*d_%s", width, i+1, path.Base(sf.path)), file: sf})
			}
			p.sets = append(p.sets, set)
		}
	}
	return errors.Join(errs...)
}

// framedOnly keeps only frameit's *_framed.* files when a folder has any, as deliver does.
func (p *importPlan) framedOnly(dir string, files []string) []string {
	var framed []string
	for _, f := range files {
		if strings.Contains(f, "_framed.") {
			framed = append(framed, f)
		}
	}
	if len(framed) == 0 {
		return files
	}
	if n := len(files) - len(framed); n > 0 {
		p.warnf("%s: %d unframed file(s) skipped because framed ones exist (as fastlane deliver does)", dir, n)
	}
	return framed
}

// screenshotType tells a fastlane screenshot's display type: from its name, else its size.
func screenshotType(sf srcFile, platform string) (string, error) {
	if typ, ok := displayTypeInName(path.Base(sf.path)); ok {
		return typ, nil
	}
	w, h, err := imageSize(sf)
	if err != nil {
		return "", err
	}
	switch c := displayTypesForSize(w, h, platform); len(c) {
	case 0:
		return "", &UnknownSizeError{Path: sf.path, W: w, H: h}
	case 1:
		return c[0], nil
	default:
		return "", &AmbiguousSizeError{Path: sf.path, W: w, H: h, Candidates: c}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
