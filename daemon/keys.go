package daemon

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// pathKey maps a changed path inside the collection folder dir to the key it belongs to: a
// text file to its locale and field, anything in a set folder (or the set folder itself) to
// the set. whole is true when the path stands for more than one key (a removed locale or
// media folder, the collection itself): the whole collection must be re-planned. A path that
// names no key (a README, an unknown folder) gives neither: only the problems change.
func pathKey(dir, path string) (k plan.Key, whole bool) {
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	if rel == "." {
		return "", true
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	switch parts[0] {
	case collection.ScreenshotDir, collection.PreviewDir:
		if len(parts) < 3 {
			return "", true
		}
		return plan.MediaKey(parts[1], plan.MediaKind(parts[0]), parts[2]), false
	}
	f, ok := collection.FieldByDir(parts[0])
	if !ok {
		return "", false
	}
	switch {
	case len(parts) == 1:
		return "", true // the field folder itself
	case len(parts) == 2 && strings.HasSuffix(parts[1], ".txt"):
		return plan.TextKey(strings.TrimSuffix(parts[1], ".txt"), f.Dir), false
	}
	return "", false
}

// resourceKeys returns every key of the resource k lives on: all text fields of the same
// localization for a text key, the set itself for a media key.
func resourceKeys(k plan.Key) []plan.Key {
	if k.IsMedia() {
		return []plan.Key{k}
	}
	f, ok := k.Field()
	if !ok {
		return []plan.Key{k}
	}
	var out []plan.Key
	for _, g := range collection.Fields {
		if g.Resource == f.Resource {
			out = append(out, plan.TextKey(k.Locale(), g.Dir))
		}
	}
	return out
}

// expandKeys returns the keys of every resource of keys, sorted and unique.
func expandKeys(keys []plan.Key) []plan.Key {
	var out []plan.Key
	for _, k := range keys {
		out = append(out, resourceKeys(k)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// problemKey returns the key a validation problem's path (relative, slash-separated) is about.
func problemKey(path string) (plan.Key, bool) {
	k, _ := pathKey("c", filepath.Join("c", filepath.FromSlash(path)))
	return k, k != ""
}
