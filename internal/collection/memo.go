package collection

import (
	"slices"
	"time"
)

// memo is what a load found, kept in its Collection so that Reload need not read, list or
// build again what did not change. Nothing in it is changed once it is made: a Reload shares
// the parts of the keys that did not change with the load it starts from, so its cost grows
// with the changed keys, not with the collection.
type memo struct {
	walk *walkMemo
}

// setMemo is one set folder as a load left it: what the walk and the checks found, before
// the quiet codes are dropped, and what was built from that. It is never changed once made;
// every Collection and memo that has the set shares it, its MediaSet's Assets and Problems
// included.
type setMemo struct {
	// set is the folder as walked: its own problems without the alias check's, no files.
	set setItem
	// files are the set's checked files, in the set's order.
	files []fileItem
	// alias and quiet are the alias check's problems and the quiet codes that media,
	// managed and problems were built with.
	alias []Problem
	quiet []string
	// media is the set as a Collection holds it; managed is false when it holds no media
	// and no error, and so is not in the Collection.
	media   MediaSet
	managed bool
	// problems are the set's own, alias and files' problems with the quiet codes dropped:
	// its share of the load's problems (the locale's are the walk's).
	problems []Problem
}

// newSetMemo makes the memo of a set the checks have just read, built with the alias
// problems set has and the quiet codes, which it keeps as they are.
func newSetMemo(set *setItem, codes []string) *setMemo {
	sm := &setMemo{set: *set, files: make([]fileItem, len(set.files)), alias: set.alias, quiet: codes}
	sm.set.files, sm.set.alias, sm.set.kept = nil, nil, nil
	for i, f := range set.files {
		sm.files[i] = *f
	}
	sm.build()
	return sm
}

// with returns sm when it was built with alias and codes, or else a memo of the same set
// and files built with them; sm itself never changes.
func (sm *setMemo) with(alias []Problem, codes []string) *setMemo {
	if slices.Equal(sm.alias, alias) && slices.Equal(sm.quiet, codes) {
		return sm
	}
	c := *sm
	c.alias, c.quiet = alias, codes
	c.build()
	return &c
}

// build makes media, managed and problems from the set, its files, alias and quiet. Every
// slice it makes is new: set's and files' are only read.
func (sm *setMemo) build() {
	set := &sm.set
	problems := slices.Concat(quietFilter(set.own, sm.quiet), sm.alias)
	assets := make([]Asset, 0, len(sm.files))
	for _, f := range sm.files {
		problems = append(problems, quietFilter(f.problems, sm.quiet)...)
		assets = append(assets, Asset{Path: f.rel, Name: f.name, Size: f.size, ModTime: time.Unix(0, f.modTime), MD5: f.md5})
	}
	all := slices.Concat(quietFilter(set.held, sm.quiet), problems)
	sortProblems(all)
	sm.problems = slices.Clip(problems)
	sm.managed = len(assets) > 0 || HasErrors(all)
	sm.media = MediaSet{Key: set.key(), Kind: set.kind, Locale: set.locale, Type: set.check.Canonical, Dir: set.dir, Assets: assets, Problems: all}
}

// fileResults returns the checked files of every set in m by path relative to the
// collection, for a load that listed every folder again.
func (m *walkMemo) fileResults() map[string]*fileItem {
	out := map[string]*fileItem{}
	for _, sm := range m.sets {
		for i := range sm.files {
			out[sm.files[i].rel] = &sm.files[i]
		}
	}
	return out
}

// checkedTexts returns the checked texts of the field folders in fields by path relative to
// the collection.
func (m *walkMemo) checkedTexts(fields map[string]bool) map[string]*textItem {
	out := map[string]*textItem{}
	for i := range m.texts {
		if it := &m.texts[i]; fields[it.field.Dir] {
			out[it.rel] = it
		}
	}
	return out
}
