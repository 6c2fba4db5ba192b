package daemon

import (
	"context"

	"github.com/storesyncer/storesyncer/internal/dashboard"
	"github.com/storesyncer/storesyncer/internal/engine"
)

// versionLister is the part of the engine the dashboard's app page reads.
type versionLister interface {
	Versions(ctx context.Context, bundleID string) ([]engine.VersionRow, error)
}

// dashboardVersions lists an app's versions for the dashboard, as `versions list` does.
func dashboardVersions(e versionLister) func(context.Context, string) ([]dashboard.VersionInfo, error) {
	return func(ctx context.Context, bundleID string) ([]dashboard.VersionInfo, error) {
		rows, err := e.Versions(ctx, bundleID)
		if err != nil {
			return nil, err
		}
		out := make([]dashboard.VersionInfo, len(rows))
		for i, r := range rows {
			out[i] = dashboard.VersionInfo{String: r.String, State: r.State, Target: r.Target, Live: r.Live}
		}
		return out, nil
	}
}
