package plan

import "github.com/storesyncer/storesyncer/internal/collection"

// attachCalls fills Op.Calls. A localization costs one PATCH, or one create carrying the fields
// when it does not exist, counted on the first of its ops; a pruned resource costs one DELETE;
// a set costs what its SetPlan says. A set in a locale whose version localization is neither
// there nor created by a text op creates it itself (SetPlan.CreateLocalization), once per locale.
func (in *planner) attachCalls(ops []Op) {
	charged := map[ResourceKey]bool{}
	for i := range ops {
		op := &ops[i]
		if !op.Kind.Writes() || op.Set != nil || charged[op.Resource] {
			continue
		}
		charged[op.Resource] = true
		switch {
		case op.Kind == Delete:
			op.Calls.Delete = 1
		case in.exists[op.Resource]:
			op.Calls.Patch = 1
		default:
			op.Calls.Create = 1
		}
	}
	for i := range ops {
		op := &ops[i]
		if op.Set == nil {
			continue
		}
		loc := LocalizationResource(op.Key.Locale(), collection.VersionLocalization)
		if !in.exists[loc] && !charged[loc] {
			charged[loc] = true
			op.Set.CreateLocalization = true
		}
		op.Calls = setCalls(op.Set)
	}
}
