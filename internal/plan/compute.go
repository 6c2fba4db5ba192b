package plan

import "slices"

// Compute plans a push: one op per managed key, sorted by key, following DESIGN.md §5 "Sync
// rules", the version rules and, with Options.Prune, deletes of remote localizations and sets
// the collection lacks. It is pure and deterministic; in is not modified.
func Compute(input Input) Plan {
	var p Plan
	in := newPlanner(input)
	keys := make([]Key, 0, len(in.Local))
	for k := range in.Local {
		if in.Options.Only.includes(k) && !in.Local[k].Absent() {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	prune, unmanaged := in.remoteOnly() // sorted by key, disjoint from keys
	// Sort keys, not ops: an Op is large, and merging two sorted lists moves each once.
	p.Ops = make([]Op, 0, len(keys)+len(prune))
	for _, k := range keys {
		for len(prune) > 0 && prune[0].Key < k {
			p.Ops, prune = append(p.Ops, prune[0]), prune[1:]
		}
		p.Ops = append(p.Ops, in.planKey(k))
	}
	p.Ops = append(p.Ops, prune...)
	p.Unmanaged = unmanaged
	in.attachCalls(p.Ops)
	return p
}

// planKey applies the sync table and the version rules to one managed key.
func (in *planner) planKey(k Key) Op {
	l, r, b := in.Local[k], in.Remote[k], in.Base[k]
	op := Op{Key: k, Resource: k.Resource(), Local: l, Remote: r, Base: b}
	if _, err := ParseKey(string(k)); err != nil {
		return held(op, "held: "+err.Error())
	}
	kind, isMedia := MediaKind(""), k.IsMedia()
	if isMedia {
		kind, _, _ = k.Media()
		if why := overCapacity(kind, l); why != "" {
			return held(op, why)
		}
		// StoreSyncer's own unsettled work is not a change on the web: compare without it.
		recorded := !in.Own[k].empty()
		own := in.Own[k]
		if own.settled(b, r) {
			own = OwnWork{} // the base already holds that work
		}
		full := r
		r, b = own.foreign(r), own.base(b, r)
		if r.busy() {
			return held(op, "held: waiting for processing of the set's new assets")
		}
		if recorded && (same(l, full) || same(l, r)) && in.hold(k) == "" {
			// The folder's state is reached, or is once StoreSyncer's own leftovers go (the
			// folder was put back after a crash): an op finishes or cleans up the work and
			// forgets its records; it needs no request when there is nothing to clean.
			return in.push(op, Update, "finish an interrupted upload", kind)
		}
	}

	switch {
	case same(l, r):
		op.Kind, op.NewBase = InSync, baseOf(r)
		if isMedia && hasLeftovers(r) && in.hold(k) == "" {
			// The content is right but unfinished uploads take slots: clean them up.
			return in.push(op, Update, "clean up unfinished uploads", kind)
		}
		return op
	case r.Absent() && b.Absent():
		return in.push(op, Create, "new", kind)
	case r.Absent():
		op.Kind, op.Reason = Conflict, "deleted remotely"
	case b.Absent():
		op.Kind, op.Reason = Conflict, "first sync, both sides differ"
	case same(b, r):
		return in.push(op, Update, "changed locally", kind)
	case same(b, l) && !isMedia:
		op.Kind, op.Reason, op.NewBase = Pull, "changed remotely", baseOf(r)
		return op
	case same(b, l):
		op.Kind, op.Reason = Conflict, "changed remotely"
	default:
		op.Kind, op.Reason = Conflict, "changed on both sides"
	}

	switch in.Resolved[k] {
	case KeepLocal:
		push := Update
		if r.Absent() {
			push = Create
		}
		return in.push(op, push, "resolved: keep local ("+op.Reason+")", kind)
	case KeepRemote:
		op.Kind, op.Reason, op.NewBase = Pull, "resolved: keep remote ("+op.Reason+")", baseOf(r)
	}
	return op
}

// push turns op into a write of the local value, or a Held op when the version forbids it now.
func (in *planner) push(op Op, kind Kind, reason string, media MediaKind) Op {
	if why := in.hold(op.Key); why != "" {
		return held(op, why)
	}
	op.Kind, op.Reason, op.NewBase = kind, reason, baseOf(op.Local)
	if media == "" {
		return op
	}
	own := in.Own[op.Key]
	if own.settled(op.Base, op.Remote) {
		own = OwnWork{}
	}
	op.Set = planSet(media, op.Local, op.Remote, own)
	op.Set.CreateSet = !in.hasSet(op.Key)
	if kind == Update && op.Set.onlyOrder() && op.Set.Reorder {
		op.Kind, op.Reason = Reorder, "order changed locally"
	}
	return op
}

func held(op Op, why string) Op {
	op.Kind, op.Reason, op.NewBase, op.Set = Held, why, nil, nil
	return op
}

func hasLeftovers(v Value) bool {
	for _, a := range v.Assets {
		if !a.complete() && !a.processing() {
			return true
		}
	}
	return false
}
