package remote

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/storesyncer/storesyncer/ascapi"
)

// App is one app on one platform, as plain data.
type App struct {
	ID            string
	BundleID      string
	Platform      string
	PrimaryLocale string
	Name          string
}

// FindApp returns the app whose bundle ID is exactly bundleID, on platform (IOS when empty).
// When there is none it returns an *AppNotFoundError (matching ErrAppNotFound) listing the
// bundle IDs of similar apps, at the cost of one more request.
func (r *Remote) FindApp(ctx context.Context, bundleID, platform string) (App, error) {
	if platform == "" {
		platform = "IOS"
	}
	a, _, err := r.c.Apps.FindByBundleID(ctx, bundleID)
	if errors.Is(err, ascapi.ErrNotFound) {
		return App{}, &AppNotFoundError{BundleID: bundleID, Near: r.nearApps(ctx, bundleID)}
	}
	if err != nil {
		return App{}, err
	}
	return App{ID: a.ID, BundleID: a.BundleID, Platform: platform, PrimaryLocale: a.PrimaryLocale, Name: a.Name}, nil
}

// nearApps lists visible bundle IDs that look like a typo or a variant of want; a failed
// listing gives none (the not-found answer matters more).
func (r *Remote) nearApps(ctx context.Context, want string) []string {
	apps, _, err := r.c.Apps.List(ctx, 0)
	if err != nil {
		return nil
	}
	var near []string
	lw := strings.ToLower(want)
	for _, a := range apps {
		lb := strings.ToLower(a.BundleID)
		if lb == lw || strings.HasPrefix(lb, lw) || strings.HasPrefix(lw, lb) || levenshtein.ComputeDistance(lb, lw) <= 3 {
			near = append(near, a.BundleID)
		}
	}
	slices.Sort(near)
	return near
}

func appErr(what string, app App, err error) error {
	return fmt.Errorf("%s of %s: %w", what, app.BundleID, err)
}
