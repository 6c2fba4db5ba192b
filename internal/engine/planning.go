package engine

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// PlanOptions are the choices of one plan. The zero value plans every key of the active
// collection, fetching only what it must.
type PlanOptions struct {
	// Only limits the plan to texts or media.
	Only plan.Only
	// Prune also deletes remote localizations and sets the collection lacks; it reads every
	// locale.
	Prune bool
	// Keys, when set, restricts the plan to these keys (the daemon passes changed keys).
	Keys []plan.Key
	// Full reads every set of every locale, even those whose local side matches its base
	// (plan, pull and the daemon's remote poll want it: they look for remote changes).
	Full bool
	// Managed reads the sets of every locale with a managed set in the plan (in Keys when
	// set), even when its local side matches its base: push wants it, so that it never
	// reports a set it did not look at, and a web-side change of a set is a conflict.
	Managed bool
	// Resolved settles conflicts (see plan.Input.Resolved).
	Resolved map[plan.Key]plan.Side
	// LocalOnly plans without a single API call: App Store Connect is taken to hold the bases
	// of the recorded target version (Remote := Base), so a key whose local side differs from
	// its base is pushed, one that matches it is in sync, and no conflict or pull is found.
	// The daemon plans flushed saves this way; the worker's re-plan before writing reads the
	// remote side. The plan reads App Store Connect as usual without a recorded target
	// (nothing pulled or pushed yet), with Prune, and when the recorded version state would
	// hold a write (it may be stale). Full is ignored.
	LocalOnly bool
	// Reuse, for a caller that watches the collection's folder (the daemon), starts from the
	// engine's last read of it and reads again only the files of Changed (collection.Reload);
	// without a last read it reads the whole collection. A caller that may have missed a
	// change must not set it.
	Reuse bool
	// Changed are the keys whose files changed since the engine's last read (with Reuse).
	Changed []plan.Key
	// Collection, when set, plans that collection of the app instead of the active one:
	// what activating it would do. A missing one wraps workspace.ErrNotFound.
	Collection string
}

// PlanResult is a plan and everything it was computed from. It is plain data owned by the
// caller.
type PlanResult struct {
	// App is the app's app.toml; Collection is the active collection's name, Dir its folder.
	App        workspace.App
	Collection string
	Dir        string
	// Plan holds one op per key: the planner's, plus Held ops for invalid keys.
	Plan plan.Plan
	// Input is what the planner was given (with bases, re-baselined when Rebaselined).
	Input plan.Input
	// Snapshot is App Store Connect's state as fetched; nil when LocalOnly. A local-only plan
	// only says what to queue: it must not be executed.
	Snapshot *remote.Snapshot
	// LocalOnly is true when the plan read nothing from App Store Connect (see
	// PlanOptions.LocalOnly); Input.Remote then holds the bases.
	LocalOnly bool
	// Problems are the collection's validation problems; Warnings are the engine's own notes
	// (a new locale without a name).
	Problems []collection.Problem
	Warnings []string
	// Rebaselined is true when the target version differs from the one the bases belong to
	// (PreviousTarget): the plan used B := R, and a push will store it.
	Rebaselined    bool
	PreviousTarget Target
	// Adopted are text keys whose remote value is a write of StoreSyncer's own that it never
	// heard back from (killed mid-PATCH): the plan used it as their base (Input.Base), and a
	// push or RecordSeen stores it.
	Adopted map[plan.Key]plan.Value

	local localSide
}

// Plan computes what a push of the app's active collection would do. It writes nothing.
func (e *Engine) Plan(ctx context.Context, bundleID string, opts PlanOptions) (*PlanResult, error) {
	a, r, ra, err := e.app(bundleID)
	if err != nil {
		return nil, err
	}
	return e.plan(ctx, a, r, ra, opts)
}

func (e *Engine) plan(ctx context.Context, a workspace.App, r Remote, ra remote.App, opts PlanOptions) (*PlanResult, error) {
	if err := e.checkApp(a); err != nil {
		return nil, err
	}
	name := a.Active
	if opts.Collection != "" && opts.Collection != a.Active {
		if err := workspace.ValidateCollectionName(opts.Collection); err != nil {
			return nil, err
		}
		name = opts.Collection
		if fi, err := os.Lstat(e.ws.CollectionDir(a.BundleID, name)); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("plan collection %s of %s: %w", name, a.BundleID, workspace.ErrNotFound)
		}
	}
	dir := e.ws.CollectionDir(a.BundleID, name)
	c, problems, err := e.loadCollection(ctx, dir, a, opts.Reuse, opts.Changed)
	if err != nil {
		return nil, fmt.Errorf("plan %s: %w", a.BundleID, err)
	}
	sums, err := readChecksums(dir)
	if err != nil {
		return nil, err
	}
	res := &PlanResult{App: a, Collection: name, Dir: dir, Problems: problems}
	prev, recorded, err := e.RecordedTarget(ctx, a.BundleID)
	if err != nil {
		return nil, err
	}
	loc := scopeOf(opts.Keys)
	var bases map[plan.Key]plan.Value
	if recorded {
		if bases, err = e.loadBases(ctx, a.BundleID, prev.ID, loc); err != nil {
			return nil, err
		}
	}
	if opts.LocalOnly && recorded && !opts.Prune && e.planLocal(res, c, sums, prev, bases, loc, opts) {
		return res, nil
	}
	scope, mediaLocales := e.scope(c, sums, bases, opts)
	if mediaLocales != nil && opts.Only != plan.OnlyText {
		// A set holding StoreSyncer's unfinished work is read even where the folder matches
		// its base (the folder was put back after a crash): the plan cleans the work up.
		for _, k := range r.UnsettledSets(ctx, ra.BundleID) {
			if !mediaLocales[k.Locale()] && (len(opts.Keys) == 0 || slices.Contains(opts.Keys, k)) {
				mediaLocales[k.Locale()] = true
				scope.MediaLocales = append(scope.MediaLocales, k.Locale())
			}
		}
	}
	if loc != nil {
		scope.Locales = loc.list() // the plan drops every other locale's localization
	}
	snap, err := r.Fetch(ctx, ra, scope)
	if err != nil {
		if ae, ok := AsAppCheck(a.BundleID, e.appFile(a.BundleID), err); ok {
			return nil, ae
		}
		return nil, fmt.Errorf("plan %s: %w", a.BundleID, err)
	}
	switch {
	case recorded && prev.ID != snap.Version.ID:
		res.Rebaselined, res.PreviousTarget = true, prev
		if !scope.AllMedia && scope.Texts {
			// Every key needs its new base: read everything once.
			if snap, err = r.Fetch(ctx, ra, remote.FullScope()); err != nil {
				return nil, fmt.Errorf("plan %s: %w", a.BundleID, err)
			}
			mediaLocales = nil
		}
		bases = map[plan.Key]plan.Value{}
		for k, v := range snap.Remote {
			if loc.has(k.Locale()) {
				bases[k] = baseOf(v)
			}
		}
	case !recorded:
		if bases, err = e.loadBases(ctx, a.BundleID, snap.Version.ID, loc); err != nil {
			return nil, err
		}
	}
	res.Snapshot = snap
	if bases == nil {
		bases = map[plan.Key]plan.Value{}
	}
	remoteSide := loc.restrict(snap.Remote)
	res.local = buildLocal(c, sums, remoteSide, bases, mediaLocales, loc)
	if res.Adopted, err = e.adoptOwnWrites(ctx, a.BundleID, snap.Version.ID, res.local.values, remoteSide, bases); err != nil {
		return nil, err
	}
	primary := a.PrimaryLocale
	if primary == "" {
		primary = snap.App.PrimaryLocale
	}
	res.Input = plan.Input{
		Local: res.local.values, Remote: remoteSide, Base: bases, Version: snap.Version,
		Resources: snap.Resources, Resolved: opts.Resolved, Own: snap.Own,
		Options: plan.Options{Only: opts.Only, Prune: opts.Prune, EditInReview: e.sync.EditInReview, PrimaryLocale: primary},
	}
	res.Plan = finishPlan(plan.Compute(res.Input), res.local.held, opts)
	res.Warnings = newLocaleWarnings(res.local.values, func(locale string) bool {
		_, ok := snap.Resources.InfoLocalizations[locale]
		return ok
	})
	return res, nil
}

// planLocal fills res with a plan that reads nothing from App Store Connect: the remote side
// of every key is its base on the recorded target version prev, so a key with a base exists
// remotely, and so do the localization or set it belongs to. It reports false,
// leaving res alone, when the plan holds a write the version rules forbid: the recorded
// version state may be stale, and a hold must not keep an edit from its job, so the caller
// reads App Store Connect instead. bases are those of the locales of loc.
func (e *Engine) planLocal(res *PlanResult, c *collection.Collection, sums checksumMap, prev Target, bases map[plan.Key]plan.Value, loc localeScope, opts PlanOptions) bool {
	remoteSide := maps.Clone(bases)
	local := buildLocal(c, sums, remoteSide, bases, nil, loc)
	in := plan.Input{
		Local: local.values, Remote: remoteSide, Base: bases,
		Version:  plan.VersionInfo{ID: prev.ID, String: prev.String, State: prev.State},
		Resolved: opts.Resolved,
		Options:  plan.Options{Only: opts.Only, EditInReview: e.sync.EditInReview, PrimaryLocale: res.App.PrimaryLocale},
	}
	p := finishPlan(plan.Compute(in), local.held, opts)
	for _, op := range p.Ops {
		invalid := slices.ContainsFunc(local.held, func(h plan.Op) bool { return h.Key == op.Key })
		if op.Kind == plan.Held && !invalid {
			return false
		}
	}
	infoLocales := map[string]bool{}
	for k := range bases {
		if k.Resource() == plan.LocalizationResource(k.Locale(), collection.InfoLocalization) {
			infoLocales[k.Locale()] = true
		}
	}
	res.LocalOnly, res.local, res.Input, res.Plan = true, local, in, p
	res.Warnings = newLocaleWarnings(local.values, func(locale string) bool { return infoLocales[locale] })
	return true
}

// scope returns what to fetch: texts always; the media of every locale when opts asks for a
// full read or prunes, of every locale with a managed set with opts.Managed, else only of
// locales with a set whose local side differs from its base.
// mediaLocales is nil when every locale is read.
func (e *Engine) scope(c *collection.Collection, sums checksumMap, bases map[plan.Key]plan.Value, opts PlanOptions) (remote.Scope, map[string]bool) {
	scope := remote.Scope{Texts: true}
	if opts.Only == plan.OnlyText {
		return scope, map[string]bool{}
	}
	if opts.Full || opts.Prune {
		scope.AllMedia = true
		return scope, nil
	}
	locales := map[string]bool{}
	for _, s := range c.Sets {
		k := plan.MediaKey(s.Locale, plan.MediaKind(s.Kind), s.Type)
		if !s.Valid() || (len(opts.Keys) > 0 && !slices.Contains(opts.Keys, k)) {
			continue
		}
		b, ok := bases[k]
		if opts.Managed || mediaDiffers(s, sums, b, ok) {
			locales[s.Locale] = true
		}
	}
	for l := range locales {
		scope.MediaLocales = append(scope.MediaLocales, l)
	}
	slices.Sort(scope.MediaLocales)
	return scope, locales
}

// localeScope is the locales a plan of some keys (PlanOptions.Keys) reads and plans; nil
// means every locale. No rule of the planner reaches beyond a key's locale: whether its
// localization or set exists and what creating it costs, the name a new locale needs, which
// localization a PATCH carries, pruning and an invalid key that holds a prune are all decided
// per locale. So the other locales' files, bases and remote values are left out, and a save
// costs what its locale holds, not what the collection holds.
type localeScope map[string]bool

// scopeOf returns the locales of keys; nil (every locale) when there are none.
func scopeOf(keys []plan.Key) localeScope {
	if len(keys) == 0 {
		return nil
	}
	s := localeScope{}
	for _, k := range keys {
		s[k.Locale()] = true
	}
	return s
}

// has reports whether locale is in the scope.
func (s localeScope) has(locale string) bool { return s == nil || s[locale] }

// list returns the scope's locales, sorted.
func (s localeScope) list() []string { return slices.Sorted(maps.Keys(s)) }

// restrict returns the values of m whose key is in the scope: m itself for every locale.
func (s localeScope) restrict(m map[plan.Key]plan.Value) map[plan.Key]plan.Value {
	if s == nil {
		return m
	}
	out := map[plan.Key]plan.Value{}
	for k, v := range m {
		if s[k.Locale()] {
			out[k] = v
		}
	}
	return out
}

// finishPlan adds the Held ops of invalid keys, drops prune deletes of locales with an
// invalid key, and keeps only opts.Keys when set.
func finishPlan(p plan.Plan, held []plan.Op, opts PlanOptions) plan.Plan {
	heldLocales := map[string]bool{}
	var extra []plan.Op
	for _, op := range held {
		if opts.Only == "" || opts.Only == plan.OnlyAll || (opts.Only == plan.OnlyMedia) == op.Key.IsMedia() {
			extra = append(extra, op)
		}
		heldLocales[op.Key.Locale()] = true
	}
	ops := make([]plan.Op, 0, len(p.Ops)+len(extra))
	for _, op := range p.Ops {
		if op.Kind == plan.Delete && heldLocales[op.Key.Locale()] {
			p.Unmanaged = append(p.Unmanaged, op.Key)
			continue
		}
		ops = append(ops, op)
	}
	ops = append(ops, extra...)
	if len(opts.Keys) > 0 {
		ops = slices.DeleteFunc(ops, func(op plan.Op) bool { return !slices.Contains(opts.Keys, op.Key) })
	}
	slices.SortStableFunc(ops, func(a, b plan.Op) int { return compareKeys(a.Key, b.Key) })
	slices.Sort(p.Unmanaged)
	p.Ops = ops
	return p
}

// newLocaleWarnings warns about locales the collection adds without a name: Apple needs one
// to create the locale's app info localization.
func newLocaleWarnings(local map[plan.Key]plan.Value, hasInfo func(locale string) bool) []string {
	seen := map[string]bool{}
	var out []string
	for k := range local {
		l := k.Locale()
		if seen[l] {
			continue
		}
		seen[l] = true
		if hasInfo(l) {
			continue
		}
		if _, ok := local[plan.TextKey(l, "name")]; ok {
			continue
		}
		out = append(out, fmt.Sprintf("locale %s is new on App Store Connect but name/%s.txt is missing: Apple needs a name for a new locale", l, l))
	}
	slices.Sort(out)
	return out
}
