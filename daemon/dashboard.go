package daemon

import (
	"context"

	"github.com/storesyncer/storesyncer/internal/dashboard"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
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

// textPlanner is the part of the engine that tells App Store Connect's side of text keys.
type textPlanner interface {
	Plan(ctx context.Context, bundleID string, opts engine.PlanOptions) (*engine.PlanResult, error)
}

// dashboardRemoteTexts returns App Store Connect's value of app's text keys, for the sides of
// a conflict; it plans under the app's lock, as the daemon's own work does.
func (d *Daemon) dashboardRemoteTexts(e textPlanner) func(context.Context, string, []string) (map[string]string, error) {
	return func(ctx context.Context, app string, keys []string) (map[string]string, error) {
		pk := make([]plan.Key, len(keys))
		for i, k := range keys {
			pk[i] = plan.Key(k)
		}
		l := d.apps.appLock(app)
		l.Lock()
		res, err := e.Plan(ctx, app, engine.PlanOptions{Keys: pk, Only: plan.OnlyText})
		l.Unlock()
		if err != nil {
			return nil, err
		}
		out := map[string]string{}
		for _, k := range pk {
			if op, ok := res.Plan.Op(k); ok {
				out[string(k)] = op.Remote.Text
			}
		}
		return out, nil
	}
}

// dashboardActivation plans what activating a collection would send, from the folder and the
// bases alone (no request), under the app's lock.
func (d *Daemon) dashboardActivation(e textPlanner) func(context.Context, string, string) (dashboard.ActivationPlan, error) {
	return func(ctx context.Context, app, name string) (dashboard.ActivationPlan, error) {
		l := d.apps.appLock(app)
		l.Lock()
		res, err := e.Plan(ctx, app, engine.PlanOptions{Collection: name, LocalOnly: true})
		l.Unlock()
		out := dashboard.ActivationPlan{ApproveOver: d.cfg.Sync.ApproveOver}
		if err != nil {
			return out, err
		}
		for _, op := range res.Plan.Ops {
			if op.Kind.Writes() {
				out.Changes = append(out.Changes, string(op.Kind)+" "+string(op.Key))
			}
		}
		out.Held = len(out.Changes) > 0 && (!d.cfg.Sync.Auto || len(out.Changes) > d.cfg.Sync.ApproveOver)
		return out, nil
	}
}

// setImager is the part of the engine that shows App Store Connect's images of a set.
type setImager interface {
	RemoteSetImages(ctx context.Context, bundleID string, key plan.Key, limit int) ([][]byte, error)
}

// dashboardRemoteImages returns App Store Connect's screenshots of a conflict's set, under
// the app's lock.
func (d *Daemon) dashboardRemoteImages(e setImager) func(context.Context, string, string) ([][]byte, error) {
	return func(ctx context.Context, app, key string) ([][]byte, error) {
		l := d.apps.appLock(app)
		l.Lock()
		defer l.Unlock()
		return e.RemoteSetImages(ctx, app, plan.Key(key), 10)
	}
}
