package daemon

import (
	"context"
	"strings"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// commands is the daemon as the commands it runs see it: it holds apps for them and follows
// what they changed.
type commands struct{ d *Daemon }

var _ command.Daemon = commands{}

// Hold resolves app, checks its lease (unless it is new) and takes its lock.
func (c commands) Hold(app string, isNew bool) (string, func(), error) {
	if !isNew {
		var err error
		if app, err = c.d.resolveApp(app); err != nil {
			return "", nil, err
		}
		if err := c.d.apps.leasedElsewhere(app); err != nil {
			return "", nil, err
		}
	}
	l := c.d.apps.appLock(app)
	l.Lock()
	return app, l.Unlock, nil
}

// After makes the daemon follow a command's change: release or wake the workers, re-plan the
// app, watch a new app, rescan.
func (c commands) After(ctx context.Context, app string, ch command.Change) error {
	d := c.d
	defer d.hub.wake()
	switch ch {
	case command.Pushed:
		// A `storesyncer push` while the daemon runs is also how a user approves.
		if _, err := d.store.Approve(ctx, app); err != nil {
			d.log.Warn("approve after push", "app", app, "error", err)
		}
		poke(d.workc)
	case command.Resolved:
		d.queue.releaseResolved(ctx, app)
		d.apps.markUnplanned(app)
		poke(d.reloadc)
	case command.Replan:
		d.apps.markUnplanned(app)
		poke(d.reloadc)
	case command.AppAdded:
		d.apps.waitForApp(ctx, app)
	case command.AppRemoved:
		poke(d.reloadc)
	case command.JobsChanged:
		poke(d.workc)
	case command.PauseChanged:
		v, _, err := d.store.Setting(ctx, state.KeyPaused)
		if err != nil {
			return err
		}
		d.paused.Store(v == "true")
		poke(d.workc)
	case command.RescanAsked:
		w := d.apps.watcher()
		if w == nil {
			return &statusapi.Error{Status: 503, Code: "not_ready", Message: "the daemon is starting"}
		}
		w.Rescan()
	}
	return nil
}

// resolveApp returns app, or the only app of the workspace when app is "". It reads the
// workspace rather than the daemon's view, which a just-added app may not have reached yet.
func (d *Daemon) resolveApp(app string) (string, error) {
	if app != "" {
		if _, err := d.ws.App(app); err != nil {
			return "", err
		}
		return app, nil
	}
	apps, _ := d.ws.Apps()
	if len(apps) == 1 {
		return apps[0].BundleID, nil
	}
	ids := make([]string, 0, len(apps))
	for _, a := range apps {
		ids = append(ids, a.BundleID)
	}
	msg := "no app in the workspace " + d.ws.Root + ": add one with `storesyncer apps add --bundle-id ID`"
	if len(ids) > 0 {
		msg = "more than one app: pass --app with one of: " + strings.Join(ids, ", ")
	}
	return "", &statusapi.Error{Status: 400, Code: "usage", Message: msg}
}

// Command runs req as the status API's POST /api/v1/commands/{name} runs it, for callers in
// the same process (demo, tests).
func (d *Daemon) Command(ctx context.Context, req command.Request) statusapi.OpResult {
	return d.cmds.Run(ctx, req)
}
