package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer"
)

// initEnv points HOME and XDG_STATE_HOME into a temporary folder, so init's defaults land
// there, and returns that folder.
func initEnv(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", filepath.Join(dir, "home"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "xdg-state"))
	t.Setenv("STORESYNCER_CONFIG", "")
	return dir
}

func runInitCLI(t testing.TB, args ...string) (exit int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return exitCode(err), out.String(), errOut.String()
}

func TestInitWritesConfigAndFolders(t *testing.T) {
	dir := initEnv(t)
	cfgPath := filepath.Join(dir, "conf", "config.toml")
	exit, out, errOut := runInitCLI(t, "init", "--config", cfgPath, "--json")
	if exit != 0 {
		t.Fatalf("init exit %d: %s %s", exit, out, errOut)
	}
	var got initResult
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("init --json printed %q: %v", out, err)
	}
	want := initResult{
		Config:    cfgPath,
		Workspace: filepath.Join(dir, "home", "StoreSyncer"),
		StateDir:  filepath.Join(dir, "xdg-state", "storesyncer"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("init --json (-want +got):\n%s", diff)
	}
	data, err := os.ReadFile(cfgPath)
	if err != nil || !bytes.Equal(data, storesyncer.ExampleConfig) {
		t.Errorf("config file is not the commented example (err %v)", err)
	}
	for path, mode := range map[string]os.FileMode{cfgPath: 0o600, want.StateDir: 0o700, want.Workspace: 0o755} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s has mode %o, want %o", path, fi.Mode().Perm(), mode)
		}
	}
	// The written config loads as every other command loads it.
	g := &globals{configPath: cfgPath}
	cfg, err := loadConfig(g)
	if err != nil || cfg.Workspace != want.Workspace {
		t.Errorf("loadConfig after init = %+v, %v", cfg, err)
	}
}

func TestInitRefusesOverwrite(t *testing.T) {
	dir := initEnv(t)
	cfgPath := filepath.Join(dir, "config.toml")
	const mine = "workspace = \"/my/apps\"\n"
	if err := os.WriteFile(cfgPath, []byte(mine), 0o600); err != nil {
		t.Fatal(err)
	}
	exit, out, _ := runInitCLI(t, "init", "--config", cfgPath, "--json")
	if exit != exitUsage {
		t.Fatalf("init over an existing config exit %d, want 2", exit)
	}
	var body struct {
		Error struct{ Code, Message, Path string }
	}
	if err := json.Unmarshal([]byte(out), &body); err != nil {
		t.Fatalf("error output %q: %v", out, err)
	}
	if body.Error.Code != "config.exists" || body.Error.Path != cfgPath || !strings.Contains(body.Error.Message, "--force") {
		t.Errorf("error = %+v", body.Error)
	}
	if data, _ := os.ReadFile(cfgPath); string(data) != mine {
		t.Errorf("init without --force changed the config to %q", data)
	}

	exit, out, errOut := runInitCLI(t, "init", "--config", cfgPath, "--force")
	if exit != 0 {
		t.Fatalf("init --force exit %d: %s %s", exit, out, errOut)
	}
	if data, _ := os.ReadFile(cfgPath); !bytes.Equal(data, storesyncer.ExampleConfig) {
		t.Error("init --force did not replace the config")
	}
	if !strings.Contains(out, "Wrote "+cfgPath) || !strings.Contains(out, "Workspace: ") {
		t.Errorf("human output %q does not say where", out)
	}
}

func TestInitUsesEnvConfigPath(t *testing.T) {
	dir := initEnv(t)
	cfgPath := filepath.Join(dir, "from-env.toml")
	t.Setenv("STORESYNCER_CONFIG", cfgPath)
	if exit, out, errOut := runInitCLI(t, "init"); exit != 0 {
		t.Fatalf("init exit %d: %s %s", exit, out, errOut)
	}
	if _, err := os.Stat(cfgPath); err != nil {
		t.Errorf("$STORESYNCER_CONFIG not used: %v", err)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	dir := initEnv(t)
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("[sync]\n\nconcurrency = 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		msg  string
	}{
		{"bad value", bad, "bad.toml:3: [sync] concurrency: must be ≥ 1"},
		{"missing", filepath.Join(dir, "none.toml"), "storesyncer init"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(&globals{configPath: tt.path})
			var ce *cliError
			if !errors.As(err, &ce) || ce.Exit != exitUsage || ce.Code != "config.invalid" || ce.Path != tt.path {
				t.Fatalf("loadConfig = %#v, want exit 2 config.invalid naming %s", err, tt.path)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not contain %q", err, tt.msg)
			}
		})
	}
}
