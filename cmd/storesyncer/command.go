package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// commandOptions are what only an in-process run can do: ask and show progress on this
// terminal.
type commandOptions struct {
	// createWorkspace makes a missing workspace folder (apps add).
	createWorkspace bool
	progress        func(engine.Progress)
	confirm         func(*engine.PlanResult) bool
}

// runCommand runs a state-changing command: in the daemon when one runs for the config's
// state dir (POST /api/v1/commands/{name}), else in-process under the state dir's lock. Both
// run the same command.Dispatcher, so the output and exit code are the same; it prints them
// and returns the error that decides the exit.
func runCommand(ctx context.Context, g *globals, req command.Request, opts commandOptions) error {
	if d, err := loginConn(g); d != nil || err != nil {
		if err != nil {
			return err
		}
		res, err := d.client.Command(ctx, req.Name(), req)
		if err != nil {
			return d.fail(err)
		}
		return printResult(g, res)
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return err
	}
	if d, err := newDaemonConn(cfg); err == nil && d.client.Running(ctx) {
		res, err := d.client.Command(ctx, req.Name(), req)
		if err != nil {
			return d.fail(err)
		}
		return printResult(g, res)
	}
	s, err := openSessionWith(g, opts.createWorkspace)
	if err != nil {
		return err
	}
	defer s.Close()
	res := command.NewDispatcher(command.Env{Engine: s.eng, Store: s.store, Workspace: s.ws,
		Progress: opts.progress, Confirm: opts.confirm}).Run(ctx, req)
	return printResult(g, res)
}

// printResult prints a command's result — its notes on stderr and lines on stdout for
// people, its JSON document with --json — and turns its exit code into the error.
func printResult(g *globals, res statusapi.OpResult) error {
	if !g.json {
		for _, n := range res.Notes {
			fmt.Fprintln(g.stderr, n)
		}
	}
	if g.json && len(res.Output) > 0 {
		if err := writeJSON(g.stdout, res.Output); err != nil {
			return err
		}
	} else if !g.json || res.Error == nil {
		for _, l := range res.Lines {
			fmt.Fprintln(g.stdout, l)
		}
	}
	if res.ExitCode == exitOK {
		return nil
	}
	ce := &cliError{Exit: res.ExitCode, Code: "command", Silent: res.Error == nil, Err: fmt.Errorf("the command ended with exit %d", res.ExitCode)}
	if res.Error != nil {
		ce.Code, ce.Path, ce.Err = res.Error.Code, res.Error.Path, errors.New(strings.TrimSpace(res.Error.Message))
	}
	return ce
}
