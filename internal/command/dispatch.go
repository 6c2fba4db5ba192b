package command

import (
	"context"
	"errors"

	"github.com/storesyncer/storesyncer/internal/roles"

	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// Dispatcher runs requests on an Env: the CLI makes one per command on its session, the daemon
// one for its lifetime. It is safe for concurrent use when the Env's parts are; the daemon
// serializes the commands of one app through Daemon.Hold.
type Dispatcher struct{ env Env }

// NewDispatcher returns a Dispatcher on env.
func NewDispatcher(env Env) *Dispatcher { return &Dispatcher{env: env} }

// Run runs req and returns what the CLI prints and the daemon answers: the report's lines and
// JSON, the exit code and, unless the report already shows it, the error.
func (d *Dispatcher) Run(ctx context.Context, req Request) statusapi.OpResult {
	return Result(d.Do(ctx, req))
}

// RunJSON decodes the request named name from body and runs it.
func (d *Dispatcher) RunJSON(ctx context.Context, name string, body []byte) statusapi.OpResult {
	req, err := Decode(name, body)
	if err != nil {
		return Result(nil, err)
	}
	return d.Run(ctx, req)
}

// Do runs req and returns its report (nil when it did not run) and error, for callers that
// answer in their own shape (the daemon's control endpoints).
func (d *Dispatcher) Do(ctx context.Context, req Request) (Report, error) {
	if v, ok := req.(interface{ validate() error }); ok {
		if err := v.validate(); err != nil {
			return nil, err
		}
	}
	env := d.env // a copy per run: changes are this run's
	env.changes = nil
	// The role table is checked here, the one place every command passes.
	g, err := authorize(ctx, req)
	if err != nil {
		return nil, err
	}
	env.grant = g
	sc, app := req.scope()
	if env.Daemon != nil && sc != global {
		resolved, release, err := env.Daemon.Hold(*app, sc == newApp)
		if err != nil {
			return nil, err
		}
		*app = resolved
		rep, err := req.run(ctx, &env)
		release()
		if aerr := d.tell(ctx, &env); err == nil {
			err = aerr
		}
		return rep, err
	}
	rep, err := req.run(ctx, &env)
	if aerr := d.tell(ctx, &env); err == nil {
		err = aerr
	}
	return rep, err
}

// tell passes the run's changes to the daemon.
func (d *Dispatcher) tell(ctx context.Context, env *Env) error {
	if env.Daemon == nil {
		return nil
	}
	var first error
	for _, c := range env.changes {
		if err := env.Daemon.After(ctx, c.app, c.c); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Result turns a command's report and error into its answer.
func Result(rep Report, err error) statusapi.OpResult {
	var r statusapi.OpResult
	if rep != nil {
		r.Output = mustJSON(rep)
		r.Lines = rep.Lines()
		if n, ok := rep.(interface{ Notes() []string }); ok {
			r.Notes = n.Notes()
		}
	}
	if ce := AsError(err); ce != nil {
		r.ExitCode = ce.Exit
		if !ce.Silent {
			r.Error = &statusapi.ErrorBody{Code: ce.Code, Message: ce.Error(), Path: ce.Path}
			var de *roles.DeniedError
			if errors.As(ce, &de) {
				r.Error.Role, r.Error.Operation = string(de.Role), string(de.Op)
			}
		}
	}
	return r
}
