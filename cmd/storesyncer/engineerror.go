package main

import "github.com/storesyncer/storesyncer/internal/command"

// engineError maps the engine's errors to exit codes, as the daemon does: command.AsError.
func engineError(err error) error {
	if ce := command.AsError(err); ce != nil {
		return ce
	}
	return nil
}
