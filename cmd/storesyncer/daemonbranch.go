package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// viaDaemon runs a state-changing command in the daemon when one is running for the config's
// state dir: it sends the request, prints the daemon's answer and returns the exit it asks
// for. ok is false when no daemon runs; the caller then works in-process.
func viaDaemon(ctx context.Context, g *globals, send func(*statusapi.Client) (statusapi.OpResult, error)) (ok bool, err error) {
	cfg, err := loadConfig(g)
	if err != nil {
		return false, err
	}
	d, err := newDaemonConn(cfg)
	if err != nil || !d.client.Running(ctx) {
		return false, nil
	}
	res, err := send(d.client)
	if err != nil {
		return true, d.fail(err)
	}
	return true, printOpResult(g, res)
}

// printOpResult prints what the daemon answered and turns its exit code into the error.
func printOpResult(g *globals, res statusapi.OpResult) error {
	if g.json && len(res.Output) > 0 {
		if _, err := fmt.Fprintf(g.stdout, "%s\n", strings.TrimRight(string(res.Output), "\n")); err != nil {
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
	ce := &cliError{Exit: res.ExitCode, Code: "daemon", Silent: res.Error == nil, Err: fmt.Errorf("the daemon ended the command with exit %d", res.ExitCode)}
	if res.Error != nil {
		ce.Code, ce.Path, ce.Err = res.Error.Code, res.Error.Path, errors.New(res.Error.Message)
	}
	return ce
}
