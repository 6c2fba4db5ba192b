package transfer

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// fastlaneOptions are what planFastlane needs from ImportOptions.
type fastlaneOptions struct {
	platform     string
	extraLocales []string
	only         Only
}

// planFastlane maps a fastlane deliver tree (metadata/ and screenshots/, each perhaps split in
// platform folders) onto the template layout. What cannot be imported — a screenshot of
// unknown type, a folder that is no locale — is rejected with its fix and the rest goes on; a
// screenshot that may belong to several sets holds those sets of its locale, so that an import
// never replaces a set with fewer images than the tree holds. The error is a *PlatformError
// when the platform folder cannot be chosen. With only set to OnlyText the screenshots are not
// looked at, with OnlyMedia the texts are not.
func planFastlane(s *source, opts fastlaneOptions) (*importPlan, error) {
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
	var metaLocales, shotLocales map[string]string
	var metaRoot, shotRoot string
	var err error
	if opts.only != OnlyMedia && containsString(dirs, fastlaneMetadata) {
		if metaRoot, err = p.platformRoot(s, fastlaneMetadata, opts.platform); err != nil {
			return nil, err
		}
		metaLocales = p.fastlaneLocales(s, metaRoot, true, opts.extraLocales)
	}
	if containsString(dirs, fastlaneScreenshots) {
		if shotRoot, err = p.platformRoot(s, fastlaneScreenshots, opts.platform); err != nil {
			if opts.only == OnlyText {
				shotRoot, err = "", nil // the screenshots are not read, so their platform does not matter
			} else {
				return nil, err
			}
		}
		shotLocales = p.fastlaneLocales(s, shotRoot, false, opts.extraLocales)
	}
	if opts.only != OnlyMedia {
		locales := map[string]bool{}
		for loc := range metaLocales {
			locales[loc] = true
		}
		for loc := range shotLocales {
			locales[loc] = true
		}
		p.planFastlaneTexts(s, metaRoot, metaLocales, sortedKeys(locales))
	}
	if opts.only != OnlyText {
		p.planFastlaneShots(s, shotRoot, shotLocales, opts.platform)
	}
	return p, nil
}

func (p *importPlan) warnf(format string, args ...any) {
	p.warnings = append(p.warnings, fmt.Sprintf(format, args...))
}

func (p *importPlan) reject(path string, err error) {
	p.rejected = append(p.rejected, Rejected{Path: path, Reason: err.Error(), Err: err})
}

func (p *importPlan) rejectf(path, format string, args ...any) {
	p.rejected = append(p.rejected, Rejected{Path: path, Reason: fmt.Sprintf(format, args...)})
}

// fastlaneLocales maps locale codes to their folder under root ("" when absent), skipping the
// special folders. A folder in another case is matched and written in App Store Connect's
// case, with a warning; a folder that is no locale is rejected with the likely name.
func (p *importPlan) fastlaneLocales(s *source, root string, meta bool, extra []string) map[string]string {
	out := map[string]string{}
	if root == "" {
		return out
	}
	files, dirs := s.children(root)
	for _, name := range files {
		if meta {
			p.warnf("%s/%s: not localized; StoreSyncer does not manage it; skipped", root, name)
		} else {
			p.warnf("%s/%s: not in a locale folder; skipped", root, name)
		}
	}
	for _, d := range dirs {
		switch {
		case meta && strings.EqualFold(d, fastlaneDefault):
			continue
		case meta && fastlaneSkippedDirs[strings.ToLower(d)]:
			p.warnf("%s/%s/: not localized; StoreSyncer does not manage it; skipped", root, d)
			continue
		case !meta && strings.EqualFold(d, fastlaneDefault):
			p.warnf("%s/%s/: has no locale; copy its screenshots into a locale folder; skipped", root, d)
			continue
		}
		loc, how := fastlaneLocale(d, extra)
		switch how {
		case localeUnknown:
			if alt := strings.ReplaceAll(d, "_", "-"); alt != d {
				if l, h := fastlaneLocale(alt, extra); h != localeUnknown {
					p.rejectf(root+"/"+d+"/", "not a locale folder (App Store Connect's codes use -, not _): rename it to %s/%s/", root, l)
					continue
				}
			}
			hint := ""
			if sug := collection.SuggestLocale(d, extra); sug != "" {
				hint = fmt.Sprintf(": if it is %s, rename it to %s/%s/", sug, root, sug)
			}
			p.rejectf(root+"/"+d+"/", "not a locale App Store Connect knows%s (new locales go in [collection] extra_locales)", hint)
			continue
		case localeLegacy:
			p.warnf("%s/%s/: legacy fastlane locale, imported as %s", root, d, loc)
		case localeCase:
			p.warnf("%s/%s/: imported as %s, App Store Connect's spelling", root, d, loc)
		}
		if prev, ok := out[loc]; ok {
			// The folder already in App Store Connect's spelling wins over another spelling.
			if prev == loc || d != loc {
				p.warnf("%s/%s/: same locale as %s/%s/; skipped", root, d, root, prev)
				continue
			}
			p.warnf("%s/%s/: same locale as %s/%s/; skipped", root, prev, root, d)
		}
		out[loc] = d
	}
	return out
}

// platformRoot returns the folder under top that holds the locales: top itself, or its
// platform folder (metadata/ios/) chosen by platform, or the only Apple one. Folders of other
// platforms (android/ for fastlane supply) are skipped with a warning.
func (p *importPlan) platformRoot(s *source, top, platform string) (string, error) {
	_, dirs := s.children(top)
	have := map[string]string{}
	var others, nonApple []string
	for _, d := range dirs {
		switch pl, ok := platformFolders[strings.ToLower(d)]; {
		case !ok:
			others = append(others, d)
		case pl == "":
			nonApple = append(nonApple, d)
		default:
			have[pl] = d
		}
	}
	if len(have) == 0 && len(nonApple) == 0 {
		return top, nil
	}
	for _, d := range nonApple {
		p.warnf("%s/%s/: not an App Store platform (fastlane supply keeps Android metadata there); skipped", top, d)
	}
	for _, d := range others {
		p.warnf("%s/%s/: beside platform folders, so not read as a locale; move it into the platform's folder; skipped", top, d)
	}
	chosen := platform
	if chosen == "" && len(have) == 1 {
		for pl := range have {
			chosen = pl
		}
		p.warnf("%s/%s/: the only App Store platform folder; imported as %s (--platform chooses)", top, have[chosen], chosen)
	}
	if len(have) == 0 {
		return "", nil // only Android: nothing to read, and the import says so
	}
	d, ok := have[chosen]
	if !ok {
		return "", &PlatformError{Dir: top, Have: have, Want: platform}
	}
	for pl, other := range have {
		if pl != chosen {
			p.warnf("%s/%s/: for %s, not %s; skipped", top, other, pl, chosen)
		}
	}
	return top + "/" + d, nil
}

// planFastlaneTexts maps <metaRoot>/<locale>/*.txt, filling gaps from <metaRoot>/default/.
func (p *importPlan) planFastlaneTexts(s *source, metaRoot string, metaLocales map[string]string, all []string) {
	if metaRoot == "" {
		return
	}
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
	_, dirs := s.children(metaRoot)
	for _, d := range dirs {
		if strings.EqualFold(d, fastlaneDefault) {
			defaults = readDir(metaRoot + "/" + d)
			if len(all) == 0 && len(defaults) > 0 {
				p.warnf("%s/%s/: no locale folder to apply it to; skipped", metaRoot, d)
			}
		}
	}
	for _, loc := range all {
		own := map[string]srcFile{}
		if dir, ok := metaLocales[loc]; ok {
			own = readDir(metaRoot + "/" + dir)
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

// planFastlaneShots maps <shotRoot>/<locale>/*.png|jpg into sets by display type. File names
// are kept: the collection orders a set by the natural order of its names, as the import
// does, and a name that says its display type (01_APP_IPHONE_55_01.png, as export writes it)
// comes back unchanged.
func (p *importPlan) planFastlaneShots(s *source, shotRoot string, shotLocales map[string]string, platform string) {
	for _, loc := range sortedKeys(shotLocales) {
		dir := shotRoot + "/" + shotLocales[loc]
		files, sub := s.children(dir)
		for _, d := range sub {
			p.warnf("%s/%s/: StoreSyncer reads only screenshots directly in the locale folder (iMessage and others go in screenshot/<locale>/<display type>/); skipped", dir, d)
		}
		files = p.framedOnly(dir, files)
		byType := map[string][]srcFile{}
		held := map[string]string{} // display type → the undecided file that holds it
		for _, name := range files {
			rel := dir + "/" + name
			if !imageExts[extOf(name)] {
				p.warnf("%s: not a screenshot (.png, .jpg, .jpeg); skipped", rel)
				continue
			}
			sf, _ := s.file(rel)
			typ, err := screenshotType(sf, platform)
			if err != nil {
				p.reject(rel, err)
				if amb, ok := err.(*AmbiguousSizeError); ok {
					for _, c := range amb.Candidates {
						if _, dup := held[c]; !dup {
							held[c] = path.Base(rel)
						}
					}
				}
				continue
			}
			byType[typ] = append(byType[typ], sf)
		}
		for _, typ := range sortedKeys(byType) {
			shots := byType[typ]
			if by, ok := held[typ]; ok {
				p.rejectf(dir+"/", "the %s screenshots of %s (%d) were not imported: %s may belong to them, and importing the set without it would drop it on App Store Connect; rename it as suggested and import again", typ, loc, len(shots), by)
				continue
			}
			sort.Slice(shots, func(i, j int) bool { return collection.NaturalLess(path.Base(shots[i].path), path.Base(shots[j].path)) })
			set := mediaSet{kind: collection.ScreenshotDir, locale: loc, typ: typ}
			for _, sf := range shots {
				set.files = append(set.files, mediaFile{name: path.Base(sf.path), file: sf})
			}
			p.sets = append(p.sets, set)
		}
	}
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
