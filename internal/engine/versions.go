package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/storesyncer/storesyncer/internal/remote"
)

// ErrNoOpenVersion is wrapped when versions set finds no editable version to rename.
var ErrNoOpenVersion = errors.New("no version is open")

// VersionRow is one version of `versions list`; Target marks the version StoreSyncer writes to.
type VersionRow struct {
	remote.Version
	Target bool
}

// Versions lists the app's versions on its platform, newest first, with the target marked.
func (e *Engine) Versions(ctx context.Context, bundleID string) ([]VersionRow, error) {
	_, r, ra, err := e.app(bundleID)
	if err != nil {
		return nil, err
	}
	vs, err := r.Versions(ctx, ra)
	if err != nil {
		return nil, err
	}
	target, _, ok := remote.Target(vs)
	out := make([]VersionRow, len(vs))
	for i, v := range vs {
		out[i] = VersionRow{Version: v, Target: ok && v.ID == target.ID}
	}
	return out, nil
}

// CreateVersion opens version versionString. While another version is open it returns
// remote's *VersionOpenError naming it.
func (e *Engine) CreateVersion(ctx context.Context, bundleID, versionString string) (remote.Version, error) {
	_, r, ra, err := e.app(bundleID)
	if err != nil {
		return remote.Version{}, err
	}
	v, err := r.CreateVersion(ctx, ra, versionString)
	if err != nil {
		return remote.Version{}, err
	}
	e.event(ctx, "version_created", bundleID, map[string]any{"version": v.String})
	return v, nil
}

// SetVersion renames the open (editable) version to versionString. Without one it wraps
// ErrNoOpenVersion.
func (e *Engine) SetVersion(ctx context.Context, bundleID, versionString string) (remote.Version, error) {
	_, r, ra, err := e.app(bundleID)
	if err != nil {
		return remote.Version{}, err
	}
	vs, err := r.Versions(ctx, ra)
	if err != nil {
		return remote.Version{}, err
	}
	for _, v := range vs {
		if !v.Editable {
			continue
		}
		if v.String == versionString {
			return v, nil
		}
		renamed, err := r.RenameVersion(ctx, ra, v.ID, versionString)
		if err != nil {
			return remote.Version{}, err
		}
		if t, ok, err := e.RecordedTarget(ctx, bundleID); err == nil && ok && t.ID == renamed.ID {
			t.String = renamed.String
			if err := e.recordTargetOf(ctx, bundleID, t); err != nil {
				return renamed, err
			}
		}
		e.event(ctx, "version_renamed", bundleID, map[string]any{"from": v.String, "version": renamed.String})
		return renamed, nil
	}
	return remote.Version{}, fmt.Errorf("versions set %s: %w: create one with `storesyncer versions create %s`", versionString, ErrNoOpenVersion, versionString)
}
