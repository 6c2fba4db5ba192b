package plan

import (
	"maps"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// planner is one run of Compute: the input plus what it knows about remote resources.
type planner struct {
	Input
	// exists holds the localization resources and sets that exist remotely.
	exists map[ResourceKey]bool
}

func newPlanner(in Input) *planner {
	in.Local, in.Remote, in.Base = canonical(in.Local), canonical(in.Remote), canonical(in.Base)
	p := &planner{Input: in, exists: map[ResourceKey]bool{}}
	for locale := range in.Resources.VersionLocalizations {
		p.exists[LocalizationResource(locale, collection.VersionLocalization)] = true
	}
	for locale := range in.Resources.InfoLocalizations {
		p.exists[LocalizationResource(locale, collection.InfoLocalization)] = true
	}
	for k := range in.Resources.Sets {
		p.exists[ResourceKey(k)] = true
		p.exists[LocalizationResource(k.Locale(), collection.VersionLocalization)] = true
	}
	for k, v := range in.Remote {
		switch {
		case k.IsMedia():
			// A set is there, so is the version localization it belongs to.
			p.exists[ResourceKey(k)] = true
			p.exists[LocalizationResource(k.Locale(), collection.VersionLocalization)] = true
		case !v.Absent():
			p.exists[k.Resource()] = true
		}
	}
	return p
}

func (in *planner) hasInfoLocalization(locale string) bool {
	return in.exists[LocalizationResource(locale, collection.InfoLocalization)]
}

func (in *planner) hasVersionLocalization(locale string) bool {
	return in.exists[LocalizationResource(locale, collection.VersionLocalization)]
}

func (in *planner) hasSet(k Key) bool { return in.exists[ResourceKey(k)] }

// canonical returns m with screenshot display type aliases resolved in its keys (a local
// APP_IPHONE_69 folder is the remote APP_IPHONE_67 set). It copies m only when a key changes;
// when both names are present, the canonical one wins.
func canonical(m map[Key]Value) map[Key]Value {
	var out map[Key]Value
	for k := range m {
		if c, err := ParseKey(string(k)); err == nil && c != k {
			if out == nil {
				out = maps.Clone(m)
			}
			delete(out, k)
			if _, ok := m[c]; !ok {
				out[c] = m[k]
			}
		}
	}
	if out == nil {
		return m
	}
	return out
}
