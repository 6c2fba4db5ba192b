package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// initResult is what init made, for --json.
type initResult struct {
	Config    string `json:"config"`
	Workspace string `json:"workspace"`
	StateDir  string `json:"state_dir"`
}

func newInitCmd(g *globals) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented config and make the workspace and state folders",
		Long: `init writes config.example.toml — every key with its default, commented — to the
config path (--config, else $STORESYNCER_CONFIG, else the OS config dir's
storesyncer/config.toml), then makes the workspace folder and the state dir it names.
It refuses to overwrite an existing config unless --force is given.`,
		Example: `  storesyncer init
  storesyncer init --config ./config.toml --json
  storesyncer init --force   # replace the config with the commented defaults`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := runInit(g, force)
			if err != nil {
				return err
			}
			if g.json {
				return writeJSON(g.stdout, res)
			}
			_, err = fmt.Fprintf(g.stdout, "Wrote %s\nWorkspace: %s\nState dir: %s\n\nNext: add an [[account]] (issuer_id, key_id, private_key_path) to the config,\nthen run `storesyncer doctor` and `storesyncer apps add --bundle-id ID`.\n",
				res.Config, res.Workspace, res.StateDir)
			return err
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing config file")
	return cmd
}

func runInit(g *globals, force bool) (initResult, error) {
	path, err := configFilePath(g)
	if err != nil {
		return initResult{}, err
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if _, err := os.Stat(path); err == nil && !force {
		return initResult{}, usageError("config.exists", path, "%s already exists: edit it, or run init --force to replace it with the commented defaults", path)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return initResult{}, failure("config.write", path, fmt.Errorf("check %s: %w", path, err))
	}
	// Parse first, so a broken example can never be written.
	cfg, err := config.Parse(storesyncer.ExampleConfig, path)
	if err != nil {
		return initResult{}, failure("config.write", path, fmt.Errorf("the built-in example config: %w", err))
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return initResult{}, failure("config.write", path, err)
	}
	if err := workspace.WriteFileAtomic(path, storesyncer.ExampleConfig, 0o600); err != nil {
		return initResult{}, failure("config.write", path, err)
	}
	if err := os.MkdirAll(cfg.Workspace, 0o755); err != nil {
		return initResult{}, failure("workspace.create", cfg.Workspace, fmt.Errorf("make workspace: %w", err))
	}
	if err := os.MkdirAll(cfg.Daemon.StateDir, 0o700); err != nil {
		return initResult{}, failure("state.create", cfg.Daemon.StateDir, fmt.Errorf("make state dir: %w", err))
	}
	return initResult{Config: path, Workspace: cfg.Workspace, StateDir: cfg.Daemon.StateDir}, nil
}
