package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// Exit codes (DESIGN.md §3), shared with the daemon's answers. When several apply, the
// highest-ranked wins: usage/config (2) > failure (1) > conflict (4) > validation (3) > ok (0).
const (
	exitOK         = statusapi.ExitOK
	exitFailure    = statusapi.ExitFailure
	exitUsage      = statusapi.ExitUsage
	exitValidation = statusapi.ExitValidation
	exitConflict   = statusapi.ExitConflict
)

// cliError is an error that carries its exit code, a stable code for --json and the path it
// concerns: the command path's error, so the CLI and the daemon map errors one way.
// Commands return it (or wrap one) to choose their exit code.
type cliError = command.Error

// usageError reports a wrong invocation or a bad config (exit 2).
func usageError(code, path string, format string, args ...any) error {
	return &cliError{Exit: exitUsage, Code: code, Path: path, Err: fmt.Errorf(format, args...)}
}

// failure reports an operation that did not complete (exit 1).
func failure(code, path string, err error) error {
	return &cliError{Exit: exitFailure, Code: code, Path: path, Err: err}
}

// exitCode maps an error returned by run to the process exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ce *cliError
	if errors.As(err, &ce) {
		return ce.Exit
	}
	return exitFailure
}

// rankExit returns the higher-ranked of two exit codes.
func rankExit(a, b int) int { return command.RankExit(a, b) }

// reportError prints err for a human (stderr) or as {"error":{…}} on stdout with --json.
func reportError(stdout, stderr io.Writer, asJSON bool, err error) {
	var ce *cliError
	code, path := "error", ""
	silent := false
	if errors.As(err, &ce) {
		code, path, silent = ce.Code, ce.Path, ce.Silent
	}
	if asJSON {
		if silent {
			return
		}
		type body struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Path    string `json:"path,omitempty"`
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(map[string]body{"error": {Code: code, Message: err.Error(), Path: path}})
		return
	}
	if !silent {
		fmt.Fprintf(stderr, "storesyncer: %v\n", err)
	}
}
