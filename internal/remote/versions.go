package remote

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/plan"
)

// Version is one App Store version of an app's platform, as plain data.
type Version struct {
	ID       string
	String   string // versionString, "1.1"
	State    string // appVersionState
	Platform string
	// CreatedDate is zero when App Store Connect did not send it.
	CreatedDate time.Time
	// Editable means texts and media can change (the five editable states).
	Editable bool
	// Live means the version is the one on the App Store.
	Live bool
}

// liveStates are the appVersionStates of the version on sale.
var liveStates = []string{"READY_FOR_DISTRIBUTION", "PROCESSING_FOR_DISTRIBUTION"}

func toVersion(v *ascapi.Version) Version {
	st := v.AppVersionState
	if st == "" {
		st = v.AppStoreState
	}
	out := Version{ID: v.ID, String: v.VersionString, State: st, Platform: v.Platform,
		Editable: slices.Contains(plan.EditableStates, st), Live: slices.Contains(liveStates, st)}
	if t, err := time.Parse(time.RFC3339, v.CreatedDate); err == nil {
		out.CreatedDate = t
	}
	return out
}

// Versions returns the app's versions on its platform, newest first. It is also where the
// app's identity is checked, in the same request: every read before a write starts here, so
// an app ID that belongs to another app (a wrong app_id in app.toml) is an *AppMismatchError
// before anything is written.
func (r *Remote) Versions(ctx context.Context, app App) ([]Version, error) {
	vs, found, _, err := r.c.Versions.ListWithApp(ctx, app.ID, &ascapi.VersionListOptions{Platform: app.Platform})
	if err != nil {
		return nil, appErr("list versions", app, err)
	}
	if found != nil && app.BundleID != "" && found.BundleID != app.BundleID {
		return nil, &AppMismatchError{AppID: app.ID, BundleID: app.BundleID, Platform: app.Platform, Found: found.BundleID}
	}
	if len(vs) == 0 && app.BundleID != "" {
		return nil, &AppMismatchError{AppID: app.ID, BundleID: app.BundleID, Platform: app.Platform}
	}
	out := make([]Version, 0, len(vs))
	for _, v := range vs {
		out = append(out, toVersion(v))
	}
	slices.SortStableFunc(out, func(a, b Version) int {
		if c := b.CreatedDate.Compare(a.CreatedDate); c != 0 {
			return c
		}
		return compareVersionStrings(b.String, a.String)
	})
	return out, nil
}

// CreateVersion opens version versionString. While another version is open App Store Connect
// refuses (409 ENTITY_ERROR.RELATIONSHIP.INVALID): the error is then a *VersionOpenError
// naming the open version.
//
// The app's identity is checked first (Versions, one request): creating is a write.
func (r *Remote) CreateVersion(ctx context.Context, app App, versionString string) (Version, error) {
	if _, err := r.Versions(ctx, app); errors.Is(err, ErrAppMismatch) {
		return Version{}, err
	}
	v, _, err := r.c.Versions.Create(ctx, app.ID, app.Platform, versionString)
	if err == nil {
		return toVersion(v), nil
	}
	if ascapi.IsConflict(err) && ascapi.HasCode(err, "ENTITY_ERROR.RELATIONSHIP.INVALID") {
		vErr := &VersionOpenError{Wanted: versionString, Err: err}
		if vs, lerr := r.Versions(ctx, app); lerr == nil {
			for _, o := range vs {
				if !o.Live && !closedState(o.State) {
					vErr.Open = o
					break
				}
			}
		}
		return Version{}, vErr
	}
	return Version{}, fmt.Errorf("create version %s of %s: %w", versionString, app.BundleID, err)
}

// closedState reports whether a version in state st no longer blocks a new version.
func closedState(st string) bool {
	return slices.Contains(liveStates, st) || st == "REPLACED_WITH_NEW_VERSION"
}

// RenameVersion changes the versionString of version versionID (the open one).
func (r *Remote) RenameVersion(ctx context.Context, app App, versionID, versionString string) (Version, error) {
	v, _, err := r.c.Versions.Update(ctx, versionID, ascapi.VersionUpdate{VersionString: &versionString})
	if err != nil {
		return Version{}, fmt.Errorf("rename version of %s to %s: %w", app.BundleID, versionString, err)
	}
	return toVersion(v), nil
}

// Target picks the version StoreSyncer writes to (DESIGN §1): the editable one (the highest
// versionString if several), else one WAITING_FOR_REVIEW, else the live one with
// plan.VersionInfo.Live set, else the newest. ok is false when vs is empty.
func Target(vs []Version) (v Version, info plan.VersionInfo, ok bool) {
	pick := func(match func(Version) bool) (Version, bool) {
		var best Version
		found := false
		for _, c := range vs {
			if match(c) && (!found || compareVersionStrings(c.String, best.String) > 0) {
				best, found = c, true
			}
		}
		return best, found
	}
	live := false
	v, ok = pick(func(c Version) bool { return c.Editable })
	if !ok {
		v, ok = pick(func(c Version) bool { return c.State == plan.StateWaitingForReview })
	}
	if !ok {
		v, ok = pick(func(c Version) bool { return c.Live })
		live = ok
	}
	if !ok && len(vs) > 0 {
		v, ok = vs[0], true // newest: nothing but pulls can happen
		for _, c := range vs[1:] {
			if c.CreatedDate.After(v.CreatedDate) {
				v = c
			}
		}
	}
	if !ok {
		return Version{}, plan.VersionInfo{}, false
	}
	return v, plan.VersionInfo{ID: v.ID, String: v.String, State: v.State, FirstVersion: len(vs) == 1, Live: live}, true
}

// compareVersionStrings orders "1.10" after "1.9": numeric parts compare as numbers, others
// as strings.
func compareVersionStrings(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		if i >= len(as) {
			return -1
		}
		if i >= len(bs) {
			return 1
		}
		an, aerr := strconv.Atoi(as[i])
		bn, berr := strconv.Atoi(bs[i])
		var c int
		if aerr == nil && berr == nil {
			c = cmp.Compare(an, bn)
		} else {
			c = strings.Compare(as[i], bs[i])
		}
		if c != 0 {
			return c
		}
	}
	return 0
}
