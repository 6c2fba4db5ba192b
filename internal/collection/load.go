package collection

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Collection is a collection read from disk, as the sync engine compares it: the managed text
// fields and media sets, by Key. Load makes it; it is not changed afterwards, so it is safe for
// concurrent reads. A Collection from Reload shares the Assets and Problems of its unchanged
// sets with the one it started from: treat every slice in it as read-only. The zero value is
// an empty collection.
type Collection struct {
	// Dir is the folder it was loaded from.
	Dir string
	// Texts holds each managed text field (a non-empty file) and each text key that is held
	// because of an error.
	Texts map[Key]Text
	// Sets holds each managed media set (a type folder with media) and each set key that is
	// held because of an error.
	Sets map[Key]MediaSet

	// memo is what Load found per file, for Reload; nil in a Collection made by hand.
	memo *memo
}

// Text is one text field of one locale.
type Text struct {
	Key    Key
	Locale string
	Field  Field
	// Path is the file, relative to the collection ("keyword/de-DE.txt").
	Path string
	// Value is the normalized text (NormalizeText); "" when the file could not be read.
	Value string
	// Problems are this key's problems, errors and warnings.
	Problems []Problem
}

// Valid reports whether the text has no error: a Text that is not valid is held, never synced.
func (t Text) Valid() bool { return !HasErrors(t.Problems) }

// MediaSet is the screenshots or previews of one type in one locale.
type MediaSet struct {
	Key    Key
	Kind   MediaKind
	Locale string
	// Type is the display or preview type's canonical name (APP_IPHONE_67 for a folder named
	// APP_IPHONE_69).
	Type string
	// Dir is the folder as named on disk, relative to the collection.
	Dir string
	// Assets are the media files in natural sort order: the order of the set on App Store
	// Connect.
	Assets []Asset
	// Problems are this key's problems (the set's, its files' and its locale folder's).
	Problems []Problem
}

// Valid reports whether the set has no error: a MediaSet that is not valid is held as a
// whole, never synced in part.
func (s MediaSet) Valid() bool { return !HasErrors(s.Problems) }

// Asset is one media file of a set.
type Asset struct {
	// Path is relative to the collection ("screenshot/ja/APP_IPHONE_67/2.png"); Name is the
	// file name.
	Path, Name string
	Size       int64
	ModTime    time.Time
	// MD5 is the lowercase hex MD5 of the whole file, as App Store Connect's
	// sourceFileChecksum; "" when the file could not be read.
	MD5 string
}

// Load reads the collection in dir: it validates it like Validate, reads every text and hashes
// every media file (through opts.Cache when set). Keys with an error are in the Collection
// but not Valid, so the engine can hold them; empty files and folders are not managed and not
// in it. The problems are Validate's. The error is non-nil only when dir cannot be read or
// opts.Platform is unknown.
func Load(dir string, opts Options) (*Collection, []Problem, error) {
	return load(dir, opts, nil, nil)
}

// Reload is Load for a caller that watches dir and knows what changed since prev was loaded
// from it with the same opts: only the files of the changed keys are read again (a key counts
// by its canonical name or by its folder's name on disk), every other file's result comes from
// prev. Only the folders of the changed keys are listed again (a changed text key lists its
// field folder), so a folder added or removed since prev must come as a whole Load; a key
// whose folder prev does not know makes Reload list the whole collection. With a nil prev,
// or one loaded from another folder, it is Load. What it does not read again it shares with
// prev rather than copying, so its cost grows with the changed keys, not with the collection;
// prev is not changed and stays valid.
func Reload(dir string, opts Options, prev *Collection, changed []Key) (*Collection, []Problem, error) {
	if prev == nil || prev.Dir != dir || prev.memo == nil {
		return Load(dir, opts)
	}
	return load(dir, opts, prev.memo, changed)
}

func load(dir string, opts Options, prev *memo, changed []Key) (*Collection, []Problem, error) {
	n, err := newNames(opts)
	if err != nil {
		return nil, nil, fmt.Errorf("load collection %s: %w", dir, err)
	}
	var s *scan
	if prev != nil {
		s = prev.walk.rewalk(dir, n, changed)
	}
	if s == nil {
		if s, err = walkTree(dir, n); err != nil {
			return nil, nil, err
		}
	}
	s.checkAliases()
	if prev != nil {
		s.reuse(prev, changed)
	}
	s.check(true, opts.Cache)
	wm := memoWalk(s)
	m := &memo{walk: wm}
	codes := slices.Clone(opts.Quiet)
	s.quietTexts(codes)
	c := &Collection{Dir: dir, Texts: make(map[Key]Text, len(s.texts)), Sets: make(map[Key]MediaSet, len(s.sets)), memo: m}
	problems := slices.Clone(s.problems)
	for _, it := range s.texts {
		problems = append(problems, it.problems...)
		c.addText(it)
	}
	for _, set := range s.sets {
		sm := set.memo(codes)
		wm.sets = append(wm.sets, sm)
		problems = append(problems, sm.problems...)
		c.addSet(sm)
	}
	sortProblems(problems)
	return c, problems, nil
}

// addText adds the checked text it, unless it is empty and has no error (not managed).
func (c *Collection) addText(it *textItem) {
	problems := slices.Concat(it.held, it.problems)
	if it.value == "" && !HasErrors(problems) {
		return
	}
	c.Texts[it.key] = Text{Key: it.key, Locale: it.locale, Field: it.field, Path: it.rel, Value: it.value, Problems: problems}
}

// addSet adds the set of sm, unless it is not managed. A second folder of the same key
// (APP_IPHONE_67 and APP_IPHONE_69, held by the alias check) adds its problems to the
// first's, in a new slice: sm's are shared.
func (c *Collection) addSet(sm *setMemo) {
	if !sm.managed {
		return
	}
	k := sm.media.Key
	first, dup := c.Sets[k]
	if !dup {
		c.Sets[k] = sm.media
		return
	}
	first.Problems = slices.Concat(first.Problems, sm.media.Problems)
	sortProblems(first.Problems)
	c.Sets[k] = first
}

// memo returns the memo of the checked set: the kept one when Reload took the set from an
// earlier load (built again only when the alias problems or the quiet codes differ), or
// else a new one.
func (set *setItem) memo(codes []string) *setMemo {
	if set.kept != nil {
		return set.kept.with(set.alias, codes)
	}
	return newSetMemo(set, codes)
}

// reuse marks every text and every media file of the walk whose key is not in changed and
// that prev knows as checked, with prev's result. Rewalk keeps the texts of the field folders
// it did not list and the sets it did not list as they were, so only those it listed again
// (and, after a whole listing, every one) are looked up.
func (s *scan) reuse(prev *memo, changed []Key) {
	dirty := map[Key]bool{}
	for _, k := range changed {
		dirty[k] = true
	}
	fields := map[string]bool{}
	for _, it := range s.texts {
		if !it.done && !it.skip && !dirty[it.key] {
			fields[it.field.Dir] = true
		}
	}
	if len(fields) > 0 {
		texts := prev.walk.checkedTexts(fields)
		for _, it := range s.texts {
			if r, ok := texts[it.rel]; ok && !it.done && !it.skip && !dirty[it.key] {
				it.value, it.problems, it.done = r.value, slices.Clip(r.problems), true
			}
		}
	}
	var files map[string]*fileItem
	for _, set := range s.sets {
		if set.kept != nil {
			continue
		}
		if dirty[set.key()] || dirty[set.folderKey] {
			continue
		}
		if files == nil {
			files = prev.walk.fileResults()
		}
		for _, f := range set.files {
			if r, ok := files[f.rel]; ok {
				f.size, f.modTime, f.md5, f.problems, f.done = r.size, r.modTime, r.md5, slices.Clip(r.problems), true
			}
		}
	}
}

// Keys returns every key of the collection, text and media, sorted.
func (c *Collection) Keys() []Key {
	return slices.Sorted(func(yield func(Key) bool) {
		for k := range c.Texts {
			if !yield(k) {
				return
			}
		}
		for k := range c.Sets {
			if !yield(k) {
				return
			}
		}
	})
}

// TextKeys returns the keys of the text fields, sorted.
func (c *Collection) TextKeys() []Key { return slices.Sorted(maps.Keys(c.Texts)) }

// SetKeys returns the keys of the media sets, sorted.
func (c *Collection) SetKeys() []Key { return slices.Sorted(maps.Keys(c.Sets)) }

// HeldKeys returns the keys that have an error and must not be synced, sorted.
func (c *Collection) HeldKeys() []Key {
	var out []Key
	for _, k := range c.Keys() {
		if t, ok := c.Texts[k]; ok && !t.Valid() {
			out = append(out, k)
		}
		if s, ok := c.Sets[k]; ok && !s.Valid() {
			out = append(out, k)
		}
	}
	return out
}

// Locales returns the locales that have at least one key, sorted.
func (c *Collection) Locales() []string {
	seen := make(map[string]bool)
	for _, t := range c.Texts {
		seen[t.Locale] = true
	}
	for _, s := range c.Sets {
		seen[s.Locale] = true
	}
	return slices.Sorted(maps.Keys(seen))
}
