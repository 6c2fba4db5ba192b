package remote

import (
	"context"
	"errors"
	"fmt"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// applyLocalization runs a localization group: pulls are reported, a prune deletes the
// localization, and every changed field goes in one PATCH (or one create).
func (a *applier) applyLocalization(ctx context.Context, g plan.Group) error {
	locale, kind, ok := splitResource(g.Resource)
	if !ok {
		err := fmt.Errorf("apply %s: not a localization or set resource", g.Resource)
		a.failAll(g.Ops, err)
		return err
	}
	api := a.locAPI(kind)
	fields := map[string]string{}
	var writes, deletes []plan.Op
	for _, op := range g.Ops {
		switch {
		case op.Kind == plan.Pull:
			a.done(op)
		case op.Kind == plan.Delete:
			deletes = append(deletes, op)
		case op.Kind.Writes():
			f, ok := op.Key.Field()
			if !ok {
				a.fail(op.Key, fmt.Errorf("%s: not a text key", op.Key))
				continue
			}
			fields[f.Attr] = op.Local.Text
			writes = append(writes, op)
		default:
			a.fail(op.Key, fmt.Errorf("%s: nothing to apply for a %s op", op.Key, op.Kind))
		}
	}
	if api == nil && (len(writes) > 0 || len(deletes) > 0) {
		err := fmt.Errorf("%s: the app has no app info to write to", g.Resource)
		a.failAll(append(writes, deletes...), err)
		return nil
	}
	if len(deletes) > 0 {
		err := a.deleteLocalization(ctx, api, locale, kind)
		for _, op := range deletes {
			a.finish(op, err)
		}
	}
	if len(writes) > 0 {
		a.emit(ProgressEvent{Key: writes[0].Key, Phase: PhaseWrite})
		err := a.writeFields(ctx, api, locale, kind, fields)
		if err != nil {
			err = fmt.Errorf("write %s: %w", g.Resource, err)
		}
		for _, op := range writes {
			a.finish(op, err)
		}
	}
	return ctx.Err()
}

func (a *applier) locAPI(kind collection.Resource) locAPI {
	if kind == collection.InfoLocalization {
		if a.snap.AppInfoID == "" {
			return nil
		}
		return infoLocs{a.r.c, a.snap.AppInfoID}
	}
	return versionLocs{a.r.c, a.snap.Version.ID}
}

// locID returns the ID of a locale's localization known from the snapshot or created by an
// earlier group.
func (a *applier) locID(locale string, kind collection.Resource) string {
	if kind == collection.InfoLocalization {
		return a.snap.Resources.InfoLocalizations[locale]
	}
	if id := a.snap.Resources.VersionLocalizations[locale]; id != "" {
		return id
	}
	return a.r.createdLoc(a.snap.Version.ID, locale)
}

// writeFields makes the locale's localization hold fields: one PATCH, or one create when it
// does not exist. A create refused as DUPLICATE, and any write whose outcome is unknown, is
// re-read and then patched or retried once, never blind.
func (a *applier) writeFields(ctx context.Context, api locAPI, locale string, kind collection.Resource, fields map[string]string) error {
	id := a.locID(locale, kind)
	if id == "" && kind == collection.VersionLocalization {
		// One creation per localization: the groups of a new locale (its texts, its sets)
		// take turns, and all but the first find the one it created.
		a.r.locMu.Lock()
		defer a.r.locMu.Unlock()
		if id = a.locID(locale, kind); id != "" && len(fields) == 0 {
			return nil
		}
	}
	if id == "" {
		newID, err := api.create(ctx, locale, fields)
		a.call(nil)
		switch {
		case err == nil:
			a.created(locale, kind, newID)
			return nil
		case ascapi.HasCode(err, "ENTITY_ERROR.ATTRIBUTE.INVALID.DUPLICATE") || unknown(err):
			l, found, lerr := a.readLoc(ctx, api, locale)
			if lerr != nil {
				return errors.Join(err, lerr)
			}
			if found && l.holds(fields) {
				a.created(locale, kind, l.id)
				return nil
			}
			if !found {
				newID, err = api.create(ctx, locale, fields)
				if a.call(err) != nil {
					return a.refused(ctx, err)
				}
				a.created(locale, kind, newID)
				return nil
			}
			a.created(locale, kind, l.id)
			id = l.id
		default:
			return a.refused(ctx, err)
		}
	}
	err := a.call(api.update(ctx, id, fields))
	if unknown(err) {
		l, found, lerr := a.readLoc(ctx, api, locale)
		if lerr != nil {
			return errors.Join(err, lerr)
		}
		if found && l.holds(fields) {
			return nil // Apple applied it and still answered 5xx
		}
		err = a.call(api.update(ctx, id, fields))
	}
	if err != nil {
		return a.refused(ctx, err)
	}
	return nil
}

func (a *applier) created(locale string, kind collection.Resource, id string) {
	if kind == collection.VersionLocalization {
		a.r.rememberLoc(a.snap.Version.ID, locale, id)
	}
}

func (a *applier) readLoc(ctx context.Context, api locAPI, locale string) (localization, bool, error) {
	ls, err := api.list(ctx)
	if a.call(err) != nil {
		return localization{}, false, fmt.Errorf("re-read localizations: %w", err)
	}
	l, ok := ls[locale]
	return l, ok, nil
}

// holds reports whether the localization already has every field's value.
func (l localization) holds(fields map[string]string) bool {
	for attr, v := range fields {
		if l.attrs[attr] != normalize(v) {
			return false
		}
	}
	return true
}

// deleteLocalization deletes a locale's localization (push --prune); one already gone is fine.
func (a *applier) deleteLocalization(ctx context.Context, api locAPI, locale string, kind collection.Resource) error {
	id := a.locID(locale, kind)
	if id == "" {
		return nil
	}
	err := a.call(api.remove(ctx, id))
	if unknown(err) {
		_, found, lerr := a.readLoc(ctx, api, locale)
		if lerr != nil {
			return errors.Join(err, lerr)
		}
		if !found {
			return nil
		}
		err = a.call(api.remove(ctx, id))
	}
	if err != nil && !ascapi.IsNotFound(err) {
		return a.refused(ctx, fmt.Errorf("delete %s localization %s: %w", kind, locale, err))
	}
	if kind == collection.VersionLocalization {
		a.r.forgetLoc(a.snap.Version.ID, locale)
	}
	return nil
}

// ensureVersionLocalization returns the ID of the locale's version localization, creating it
// (with no attributes) when neither the snapshot nor an earlier group has it.
func (a *applier) ensureVersionLocalization(ctx context.Context, locale string) (string, error) {
	if id := a.locID(locale, collection.VersionLocalization); id != "" {
		return id, nil
	}
	api := a.locAPI(collection.VersionLocalization)
	if err := a.writeFields(ctx, api, locale, collection.VersionLocalization, map[string]string{}); err != nil {
		return "", fmt.Errorf("create localization %s: %w", locale, err)
	}
	return a.locID(locale, collection.VersionLocalization), nil
}
