package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/state"
)

// encodeBase turns a base into its stored form: the text of a text key, the JSON list of
// checksums of a media key. ok is false for an absent value (the row is deleted).
func encodeBase(k plan.Key, v plan.Value) (string, bool) {
	if v.Absent() {
		return "", false
	}
	if !k.IsMedia() {
		return v.Text, true
	}
	b, _ := json.Marshal(v.Checksums())
	return string(b), true
}

// decodeBase reads a stored base.
func decodeBase(k plan.Key, s string) (plan.Value, error) {
	if !k.IsMedia() {
		return plan.TextValue(s), nil
	}
	var sums []string
	if err := json.Unmarshal([]byte(s), &sums); err != nil {
		return plan.Value{}, fmt.Errorf("base of %s: %w", k, err)
	}
	return plan.ChecksumValue(sums...), nil
}

// loadBases reads the bases of app for versionID: of every key, or with a non-nil loc only
// of the keys of its locales.
func (e *Engine) loadBases(ctx context.Context, app, versionID string, loc localeScope) (map[plan.Key]plan.Value, error) {
	var raw map[string]string
	var err error
	if loc == nil {
		raw, err = e.store.Bases(ctx, app, versionID)
	} else {
		raw, err = e.store.LocaleBases(ctx, app, versionID, loc.list())
	}
	if err != nil {
		return nil, err
	}
	id := app + "\x00" + versionID
	e.baseMu.Lock() // held throughout: a load of some locales adds to the memo in place
	defer e.baseMu.Unlock()
	prev := e.baseMemo[id]
	memo := make(map[string]decodedBase, len(raw))
	out := make(map[plan.Key]plan.Value, len(raw))
	for k, s := range raw {
		if d, ok := prev[k]; ok && d.raw == s {
			memo[k], out[plan.Key(k)] = d, cloneValue(d.value)
			continue
		}
		v, err := decodeBase(plan.Key(k), s)
		if err != nil {
			e.log.Warn("unreadable base dropped", "app", app, "key", k, "error", err)
			continue
		}
		memo[k], out[plan.Key(k)] = decodedBase{raw: s, value: v}, v
	}
	if loc == nil || prev == nil {
		e.baseMemo[id] = memo
		return out, nil
	}
	// Only some rows were read: the memo keeps the others (an entry gone stale is harmless:
	// it is used only for a row that still reads the same).
	for k, d := range memo {
		prev[k] = d
	}
	return out, nil
}

// cloneValue copies v's assets, so a caller may change them without changing the memo.
func cloneValue(v plan.Value) plan.Value {
	v.Assets = slices.Clone(v.Assets)
	return v
}

// decodedBase is a stored base and its decoded value, so an unchanged row of a set with many
// assets is not decoded again by the next plan.
type decodedBase struct {
	raw   string
	value plan.Value
}

// storeBases records new bases of app for versionID: absent values delete their row.
func (e *Engine) storeBases(ctx context.Context, app, versionID string, bases map[plan.Key]plan.Value) error {
	set := map[string]string{}
	for k, v := range bases {
		if s, ok := encodeBase(k, v); ok {
			set[string(k)] = s
			continue
		}
		if err := e.store.DeleteBase(ctx, app, versionID, string(k)); err != nil {
			return err
		}
	}
	if len(set) == 0 {
		return nil
	}
	return e.store.SetBases(ctx, app, versionID, set)
}

// Target is the target version recorded for an app: the version its bases belong to.
type Target struct {
	ID     string `json:"id"`
	String string `json:"version"`
	State  string `json:"state"`
}

func targetKey(app string) string { return "target/" + app }

// RecordedTarget returns the target version recorded for app by its last pull or push; ok is
// false when none was recorded.
func (e *Engine) RecordedTarget(ctx context.Context, app string) (t Target, ok bool, err error) {
	s, ok, err := e.store.Setting(ctx, targetKey(app))
	if err != nil || !ok {
		return Target{}, false, err
	}
	if err := json.Unmarshal([]byte(s), &t); err != nil {
		return Target{}, false, nil // unreadable: as if none was recorded
	}
	return t, true, nil
}

func (e *Engine) recordTarget(ctx context.Context, app string, v plan.VersionInfo) error {
	return e.recordTargetOf(ctx, app, Target{ID: v.ID, String: v.String, State: v.State})
}

func (e *Engine) recordTargetOf(ctx context.Context, app string, t Target) error {
	b, _ := json.Marshal(t)
	return e.store.SetSetting(ctx, targetKey(app), string(b))
}

// rebaseline stores B := R for every key of the new target version, drops the old version's
// bases and records the event.
func (e *Engine) rebaseline(ctx context.Context, app string, res *PlanResult) error {
	bases := map[plan.Key]plan.Value{}
	for k, v := range res.Snapshot.Remote {
		bases[k] = baseOf(v)
	}
	if _, err := e.store.DeleteBasesExcept(ctx, app, res.Snapshot.Version.ID); err != nil {
		return err
	}
	if err := e.storeBases(ctx, app, res.Snapshot.Version.ID, bases); err != nil {
		return err
	}
	if err := e.recordTarget(ctx, app, res.Snapshot.Version); err != nil {
		return err
	}
	e.event(ctx, "rebaselined", app, map[string]any{
		"message": "rebaselined: target version is now " + res.Snapshot.Version.String,
		"version": res.Snapshot.Version.String, "from": res.PreviousTarget.String,
	})
	return nil
}

// baseOf is what a base becomes when v is what App Store Connect holds.
func baseOf(v plan.Value) plan.Value {
	if v.Absent() {
		return plan.Value{}
	}
	if v.Text != "" {
		return plan.TextValue(v.Text)
	}
	return plan.ChecksumValue(v.Checksums()...)
}

// event appends an event; a failure is logged, never fatal (the work is done).
func (e *Engine) event(ctx context.Context, typ, app string, data any) {
	b, err := json.Marshal(data)
	if err == nil {
		_, err = e.store.AddEvent(ctx, state.Event{Time: e.now(), Type: typ, App: app, Data: b, Member: roles.CallerFrom(ctx).Name})
	}
	if err != nil {
		e.log.Warn("record event", "type", typ, "app", app, "error", err)
	}
}

// history appends a history row; a failure is logged.
func (e *Engine) history(ctx context.Context, h state.HistoryEntry) {
	if h.Time.IsZero() {
		h.Time = e.now()
	}
	if h.Member == "" {
		h.Member = roles.CallerFrom(ctx).Name
	}
	if _, err := e.store.AddHistory(ctx, h); err != nil && !errors.Is(err, context.Canceled) {
		e.log.Warn("record history", "app", h.App, "key", h.Key, "error", err)
	}
}
