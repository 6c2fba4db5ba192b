// Package command is StoreSyncer's one command path: every state-changing operation (push,
// pull, resolve, apps add|remove, versions create|set, collections create|activate|delete,
// approve, pause, resume, rescan, jobs retry) is a typed Request with a typed Report, run by
// one Dispatcher either in-process (the CLI, holding the state dir's lock) or inside the
// daemon (the CLI posts the request to POST /api/v1/commands/{name}), so a command added once
// works, and answers the same, in both.
package command

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// Request is one command with its arguments. Its JSON form is the body of POST
// /api/v1/commands/{Name}. Only this package implements it.
type Request interface {
	// Name is the command's name in the API path ("push", "collections.create").
	Name() string
	scope() (s scope, app *string)
	run(ctx context.Context, e *Env) (Report, error)
}

// Report is what a command did. Lines is the human output; the report itself, marshalled, is
// the --json output.
type Report interface {
	Lines() []string
}

// scope says what a command holds while it runs.
type scope int

const (
	// global commands hold no app (pause, resume, rescan, jobs retry, approve).
	global scope = iota
	// existingApp commands hold an app of the workspace ("" is the only app).
	existingApp
	// newApp commands hold an app that is not in the workspace yet (apps add).
	newApp
)

// Change tells a running daemon what a command changed, so it follows: wakes the workers,
// re-plans an app, rescans.
type Change int

// The changes a command reports to Daemon.After.
const (
	// Pushed: the app was pushed; its held jobs are released (a push approves).
	Pushed Change = iota + 1
	// Pulled: collection files were written.
	Pulled
	// Replan: the app's desired state changed (activate, a version); plan it whole again.
	Replan
	// Resolved: every conflict asked for was settled; release the jobs they held and re-plan.
	Resolved
	// AppAdded: a new app is in the workspace; wait until the daemon watches it.
	AppAdded
	// AppRemoved: an app left the workspace.
	AppRemoved
	// JobsChanged: jobs were released or made due (approve, jobs retry).
	JobsChanged
	// PauseChanged: the paused setting changed.
	PauseChanged
	// RescanAsked: every watched collection should be rescanned.
	RescanAsked
)

// Daemon is what a command needs of the daemon it runs in; nil when it runs in-process.
type Daemon interface {
	// Hold resolves app ("" is the workspace's only app; with isNew, the app need not exist),
	// checks that no other daemon holds its lease, and locks it until release is called.
	// Errors are usage errors (no or several apps), workspace.ErrNotFound or a lease error.
	Hold(app string, isNew bool) (resolved string, release func(), err error)
	// After tells the daemon what a command changed for app ("" for none).
	After(ctx context.Context, app string, c Change) error
}

// Engine is the part of internal/engine the commands call.
type Engine interface {
	Plan(ctx context.Context, bundleID string, opts engine.PlanOptions) (*engine.PlanResult, error)
	Push(ctx context.Context, bundleID string, opts engine.PushOptions) (*engine.PushResult, error)
	Pull(ctx context.Context, bundleID string, opts engine.PullOptions) (*engine.PullResult, error)
	Resolve(ctx context.Context, bundleID string, keys []plan.Key, keep plan.Side) (*engine.ResolveResult, error)
	AddApp(ctx context.Context, bundleID, platform, account string) (*engine.AddResult, error)
	RemoveApp(ctx context.Context, bundleID string) error
	CreateVersion(ctx context.Context, bundleID, version string) (remote.Version, error)
	SetVersion(ctx context.Context, bundleID, version string) (remote.Version, error)
	CreateCollection(ctx context.Context, bundleID, name string, src engine.Source) (string, error)
	Activate(ctx context.Context, bundleID, name string) error
	DeleteCollection(ctx context.Context, bundleID, name string) error
}

var _ Engine = (*engine.Engine)(nil)

// Store is the part of the state the control commands write.
type Store interface {
	SetSetting(ctx context.Context, key, value string) error
	ApproveKeys(ctx context.Context, app string, keys []string) (int64, error)
	Retry(ctx context.Context, id int64) error
}

var _ Store = (*state.Store)(nil)

// Env is what commands run on. Engine, Store and Workspace are required.
type Env struct {
	Engine    Engine
	Store     Store
	Workspace *workspace.Workspace
	// Daemon is the daemon the command runs in; nil in-process.
	Daemon Daemon
	// Progress receives a push's progress; nil drops it (the daemon).
	Progress func(engine.Progress)
	// Confirm asks before push --prune deletes; nil declines unless the request says Yes.
	Confirm func(*engine.PlanResult) bool
	// Now is the clock of the team commands (invitation expiry); nil means time.Now.
	Now func() time.Time

	// changes are what the running command changed, told to Daemon once it let go of the app.
	changes []change
	// grant is what the role table lets the running command's caller touch.
	grant grant
}

type change struct {
	app string
	c   Change
}

// changed records that the running command changed c for app.
func (e *Env) changed(app string, c Change) { e.changes = append(e.changes, change{app, c}) }

// registry makes an empty request of each name, for decoding.
var registry = map[string]func() Request{}

// register adds a command; each command file calls it from init.
func register(newReq func() Request) {
	name := newReq().Name()
	if _, dup := registry[name]; dup {
		panic("command: two commands named " + name)
	}
	registry[name] = newReq
}

// Names lists every command's name, for tests and docs.
func Names() []string {
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	return out
}

// ErrUnknown is wrapped by Decode's error for a name no command has.
var ErrUnknown = errors.New("unknown command")

// Decode returns the request named name read from body (empty means no arguments). An
// unknown name or a body of the wrong shape is a usage *Error.
func Decode(name string, body []byte) (Request, error) {
	newReq, ok := registry[name]
	if !ok {
		return nil, &Error{Exit: statusapi.ExitUsage, Code: "usage", Err: fmt.Errorf("%w %q", ErrUnknown, name)}
	}
	req := newReq()
	if len(body) > 0 {
		if err := json.Unmarshal(body, req); err != nil {
			return nil, Usage("usage", "command %s: %v", name, err)
		}
	}
	return req, nil
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(fmt.Sprintf(`{"error":{"code":"json","message":%q}}`, err.Error()))
	}
	return b
}
