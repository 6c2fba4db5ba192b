package plan

import (
	"sort"
	"strings"
)

// Group is the work of one resource: every op of the plan that changes it. One executor job
// carries one group, so all changed fields of a localization go in one PATCH.
type Group struct {
	// Resource is the unit of work.
	Resource ResourceKey `json:"resource"`
	// Ops are the group's ops, sorted by key.
	Ops []Op `json:"ops"`
	// Calls is what the group costs.
	Calls Calls `json:"calls"`
}

// Resources groups the ops that do something (writes and pulls) by resource. Groups are sorted
// by locale, localizations before sets, because a set needs its version localization: when a
// text op creates that localization, its group must run first.
func (p Plan) Resources() []Group {
	index := map[ResourceKey]int{}
	var groups []Group
	for _, op := range p.Ops {
		if !op.Kind.Writes() && op.Kind != Pull {
			continue
		}
		i, ok := index[op.Resource]
		if !ok {
			i = len(groups)
			index[op.Resource] = i
			groups = append(groups, Group{Resource: op.Resource})
		}
		groups[i].Ops = append(groups[i].Ops, op)
		groups[i].Calls = groups[i].Calls.Add(op.Calls)
	}
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i].Resource, groups[j].Resource
		if la, lb := a.locale(), b.locale(); la != lb {
			return la < lb
		}
		if sa, sb := a.isSet(), b.isSet(); sa != sb {
			return !sa
		}
		return a < b
	})
	return groups
}

func (r ResourceKey) locale() string {
	locale, _, _ := strings.Cut(string(r), "/")
	return locale
}

func (r ResourceKey) isSet() bool { return Key(r).IsMedia() }
