package collection

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// walkMemo is what walkTree found and the checks read, before the quiet codes are dropped,
// so Reload can list again only the folders of the keys that changed and keep the rest as it
// is. Like the memo it is part of, it is never changed once the load that made it returned.
type walkMemo struct {
	problems []Problem
	// texts are the load's text files, checked, in walk order.
	texts []textItem
	// sets are the load's set folders, walked and checked, in walk order.
	sets []*setMemo
	// fields are the field folders the walk listed.
	fields map[string]bool
}

// memoWalk copies what the walk and the checks put into s, but for the sets, which load adds
// as it builds them.
func memoWalk(s *scan) *walkMemo {
	m := &walkMemo{problems: slices.Clip(s.problems), texts: make([]textItem, 0, len(s.texts)), fields: map[string]bool{}}
	for _, it := range s.texts {
		m.texts = append(m.texts, *it)
	}
	for _, f := range s.fields {
		m.fields[f] = true
	}
	return m
}

// rewalk is walkTree for a collection whose files changed only in the keys changed since m
// was made: it lists again the field folder of each changed text key and the folder of each
// changed set, and takes everything else from m. It returns nil when a key names a folder m
// does not know that exists now (a new one): then the whole collection must be listed.
func (m *walkMemo) rewalk(root string, n *names, changed []Key) *scan {
	fields := map[string]bool{}
	sets := map[int]bool{}
	for _, k := range changed {
		parts := strings.Split(string(k), "/")
		switch len(parts) {
		case 2:
			switch {
			case m.fields[parts[1]]:
				fields[parts[1]] = true
			case exists(filepath.Join(root, parts[1])):
				return nil // a field folder made since m: list everything
			}
			// No folder, then or now: the key has no file to read.
		case 3:
			found := false
			for i, sm := range m.sets {
				if sm.set.key() == k || sm.set.folderKey == k {
					sets[i], found = true, true
				}
			}
			if !found {
				return nil
			}
		default:
			return nil
		}
	}
	s := &scan{root: root, names: n}
	for f := range m.fields {
		s.fields = append(s.fields, f)
	}
	under := func(p Problem) bool {
		for f := range fields {
			if p.Path == f || strings.HasPrefix(p.Path, f+"/") {
				return true
			}
		}
		for i := range sets {
			if strings.HasPrefix(p.Path, m.sets[i].set.dir+"/") {
				return true
			}
		}
		return false
	}
	for _, p := range m.problems {
		if !under(p) {
			s.problems = append(s.problems, p)
		}
	}
	texts := make([]textItem, 0, len(m.texts)) // one allocation, not one per text
	for _, it := range m.texts {
		if !fields[it.field.Dir] {
			it.done = true // checked already; its slices are shared, never changed
			texts = append(texts, it)
			s.texts = append(s.texts, &texts[len(texts)-1])
		}
	}
	for f := range fields {
		field, _ := FieldByDir(f)
		s.walkField(field)
	}
	items := make([]setItem, len(m.sets)) // one allocation, not one per set
	for i, sm := range m.sets {
		set := &items[i]
		*set = sm.set
		if sets[i] {
			set.own = nil
			if set.check.Code != "" {
				set.own = append(set.own, Problem{Path: set.dir, Code: set.check.Code, Severity: SeverityError, Message: set.check.Message})
			}
			s.walkSet(set)
		} else {
			set.kept = sm // checked already: shared, never changed
		}
		s.sets = append(s.sets, set)
	}
	return s
}

// exists reports whether anything is at p (a link counts).
func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
