package main

import (
	"os"
	"path/filepath"

	"github.com/storesyncer/storesyncer/internal/config"
)

// configFilePath is where the config is: --config, else $STORESYNCER_CONFIG, else the OS
// config dir's storesyncer/config.toml.
func configFilePath(g *globals) (string, error) {
	if g.configPath != "" {
		return g.configPath, nil
	}
	if p := os.Getenv("STORESYNCER_CONFIG"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", usageError("config.invalid", "", "no --config given and no OS config dir (%v): pass --config PATH", err)
	}
	return filepath.Join(dir, "storesyncer", "config.toml"), nil
}

// loadConfig finds and loads the config. Every problem (missing file, bad line) is a usage
// error (exit 2, code "config.invalid") naming the file.
func loadConfig(g *globals) (*config.Config, error) {
	path, err := configFilePath(g)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, &cliError{Exit: exitUsage, Code: "config.invalid", Path: path, Err: err}
	}
	return cfg, nil
}
