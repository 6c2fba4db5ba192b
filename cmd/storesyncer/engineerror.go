package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/storesyncer/storesyncer/internal/compose"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// engineError maps the engine's errors to exit codes.
func engineError(err error) error {
	var ce *cliError
	var ke *plan.KeyError
	var nf *remote.AppNotFoundError
	var vo *remote.VersionOpenError
	var nc *engine.NotInConflictError
	var ae *compose.AccountError
	var ac *engine.AppCheckError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		return err
	case errors.As(err, &ae):
		return &cliError{Exit: exitUsage, Code: ae.Code, Path: ae.Path, Err: err}
	case errors.As(err, &ac):
		return &cliError{Exit: exitUsage, Code: ac.Code, Path: ac.Path, Err: err}
	case errors.Is(err, remote.ErrAppMismatch):
		return &cliError{Exit: exitUsage, Code: engine.CodeAppMismatch, Err: err}
	case errors.As(err, &ke):
		return &cliError{Exit: exitUsage, Code: "usage", Err: err}
	case errors.As(err, &nc):
		return &cliError{Exit: exitUsage, Code: "resolve.not_in_conflict", Err: err}
	case errors.As(err, &nf):
		return failure("app.not_found", "", err)
	case errors.As(err, &vo):
		msg := fmt.Errorf("cannot create version %s: %w", vo.Wanted, vo)
		if vo.Open.ID != "" {
			msg = fmt.Errorf("version %s is open (%s): rename it with `storesyncer versions set %s`", vo.Open.String, vo.Open.State, vo.Wanted)
		}
		return failure("version.open", "", msg)
	case errors.Is(err, workspace.ErrBadName):
		// A name that cannot exist is as much a usage error as one that does not.
		return &cliError{Exit: exitUsage, Code: "usage", Err: err}
	case errors.Is(err, workspace.ErrNotFound):
		return &cliError{Exit: exitUsage, Code: "not_found", Err: err}
	case errors.Is(err, workspace.ErrExists), errors.Is(err, engine.ErrAppExists):
		return failure("exists", "", err)
	case errors.Is(err, workspace.ErrActive):
		return failure("collection.active", "", err)
	case errors.Is(err, state.ErrReadOnly):
		// A read command tried to write while another process owns the state: a bug, but
		// the owner's data is safe.
		return failure("state.read_only", "", err)
	case errors.Is(err, context.Canceled):
		return failure("interrupted", "", err)
	}
	return failure("error", "", err)
}
