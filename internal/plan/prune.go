package plan

import (
	"fmt"
	"slices"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// remoteOnly handles remote keys the collection does not manage. Without Prune they are left
// alone and listed as unmanaged. With Prune, a locale the collection holds nothing of loses its
// localizations (its sets go with its version localization), and a set the collection lacks in
// a managed locale is deleted; a text field alone is never deleted (absent means not managed),
// and nothing of the primary locale is touched. Deleting localizations needs Only = all, since
// it takes the locale's media with it; deleting sets needs Only to include media.
func (in *planner) remoteOnly() (prune []Op, unmanaged []Key) {
	managed := map[string]bool{}
	for k, v := range in.Local {
		if !v.Absent() {
			managed[k.Locale()] = true
		}
	}
	for _, k := range in.remoteKeys() {
		if !in.Options.Only.includes(k) {
			continue
		}
		if l, ok := in.Local[k]; ok && !l.Absent() {
			continue
		}
		locale := k.Locale()
		var res ResourceKey
		switch {
		case !in.Options.Prune || locale == in.Options.PrimaryLocale:
		case !managed[locale] && (in.Options.Only == "" || in.Options.Only == OnlyAll):
			res = LocalizationResource(locale, collection.VersionLocalization)
			if f, ok := k.Field(); ok {
				res = LocalizationResource(locale, f.Resource)
			}
		case k.IsMedia() && managed[locale]:
			res = ResourceKey(k)
		}
		if res == "" {
			unmanaged = append(unmanaged, k)
			continue
		}
		prune = append(prune, in.pruneOp(k, res))
	}
	return prune, unmanaged
}

// pruneOp deletes the resource res that remote-only key k lives on.
func (in *planner) pruneOp(k Key, res ResourceKey) Op {
	op := Op{Key: k, Resource: res, Remote: in.Remote[k], Base: in.Base[k]}
	if !in.Version.Editable() {
		return held(op, fmt.Sprintf("held: %s is %s; localizations and sets are deleted only on an editable version", in.Version.name(), in.Version.state()))
	}
	op.Kind, op.NewBase = Delete, &Value{}
	if ResourceKey(k) == res {
		op.Reason = "pruned: the collection has no such set"
	} else {
		op.Reason = fmt.Sprintf("pruned: the collection has nothing for locale %s", k.Locale())
	}
	return op
}

// remoteKeys returns every key App Store Connect holds for the target version: set texts,
// sets with any asset, and empty sets, sorted.
func (in *planner) remoteKeys() []Key {
	seen := make(map[Key]bool, len(in.Remote)+len(in.Resources.Sets))
	keys := make([]Key, 0, len(in.Remote)+len(in.Resources.Sets))
	add := func(k Key) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for k, v := range in.Remote {
		if k.IsMedia() || !v.Absent() {
			add(k)
		}
	}
	for k := range in.Resources.Sets {
		add(k)
	}
	slices.Sort(keys)
	return keys
}
