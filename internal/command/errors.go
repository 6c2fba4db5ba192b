package command

import (
	"context"
	"errors"
	"fmt"

	"github.com/storesyncer/storesyncer/internal/compose"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// Error is an error that carries its exit code (statusapi.Exit*), a stable dotted code for
// --json ("usage", "push.failed", …) and the path it concerns. Silent marks an error whose
// details the command's report already shows (failed keys, held conflicts).
type Error struct {
	Exit   int
	Code   string
	Path   string
	Err    error
	Silent bool
}

// Error returns the cause's message.
func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Usage is a wrong invocation (exit 2).
func Usage(code, format string, args ...any) *Error {
	return &Error{Exit: statusapi.ExitUsage, Code: code, Err: fmt.Errorf(format, args...)}
}

// Failure is an operation that did not complete (exit 1).
func Failure(code string, err error) *Error {
	return &Error{Exit: statusapi.ExitFailure, Code: code, Err: err}
}

// AsError maps any error of a command, of the engine, the state or the daemon to the *Error
// that decides its exit code: the one place that does, for the CLI and the daemon alike.
// A nil err is nil.
func AsError(err error) *Error {
	var (
		ce  *Error
		ae  *compose.AccountError
		ke  *plan.KeyError
		nf  *remote.AppNotFoundError
		vo  *remote.VersionOpenError
		nc  *engine.NotInConflictError
		api *statusapi.Error
		ac  *engine.AppCheckError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		return ce
	case errors.As(err, &ae):
		return &Error{Exit: statusapi.ExitUsage, Code: ae.Code, Path: ae.Path, Err: err}
	case errors.As(err, &ac):
		return &Error{Exit: statusapi.ExitUsage, Code: ac.Code, Path: ac.Path, Err: err}
	case errors.Is(err, remote.ErrAppMismatch):
		return &Error{Exit: statusapi.ExitUsage, Code: engine.CodeAppMismatch, Err: err}
	case errors.As(err, &ke):
		return &Error{Exit: statusapi.ExitUsage, Code: "usage", Err: err}
	case errors.As(err, &nc):
		return &Error{Exit: statusapi.ExitUsage, Code: "resolve.not_in_conflict", Err: err}
	case errors.As(err, &nf):
		return Failure("app.not_found", err)
	case errors.As(err, &vo):
		msg := fmt.Errorf("cannot create version %s: %w", vo.Wanted, vo)
		if vo.Open.ID != "" {
			msg = fmt.Errorf("version %s is open (%s): rename it with `storesyncer versions set %s`", vo.Open.String, vo.Open.State, vo.Wanted)
		}
		return Failure("version.open", msg)
	case errors.Is(err, workspace.ErrBadName):
		// A name that cannot exist is as much a usage error as one that does not.
		return &Error{Exit: statusapi.ExitUsage, Code: "usage", Err: err}
	case errors.Is(err, workspace.ErrNotFound):
		return &Error{Exit: statusapi.ExitUsage, Code: "not_found", Err: err}
	case errors.Is(err, workspace.ErrExists), errors.Is(err, engine.ErrAppExists):
		return Failure("exists", err)
	case errors.Is(err, workspace.ErrActive):
		return Failure("collection.active", err)
	case errors.Is(err, state.ErrReadOnly):
		// A read command tried to write while another process owns the state: a bug, but
		// the owner's data is safe.
		return Failure("state.read_only", err)
	case errors.Is(err, state.ErrNotFound):
		return &Error{Exit: statusapi.ExitUsage, Code: "not_found", Err: err}
	case errors.Is(err, state.ErrWrongState):
		return Failure("wrong_state", err)
	case errors.Is(err, context.Canceled):
		return Failure("interrupted", err)
	case errors.As(err, &api):
		// The daemon refused to run the command (another daemon holds the app, no such app).
		exit := statusapi.ExitFailure
		if api.Status == 400 || api.Status == 404 {
			exit = statusapi.ExitUsage
		}
		return &Error{Exit: exit, Code: api.Code, Path: api.Path, Err: errors.New(api.Message)}
	}
	return Failure("error", err)
}

// RankExit returns the higher-ranked of two exit codes: usage/config (2) > failure (1) >
// conflict (4) > validation (3) > ok (0).
func RankExit(a, b int) int {
	rank := map[int]int{statusapi.ExitOK: 0, statusapi.ExitValidation: 1, statusapi.ExitConflict: 2, statusapi.ExitFailure: 3, statusapi.ExitUsage: 4}
	if rank[b] > rank[a] {
		return b
	}
	return a
}
