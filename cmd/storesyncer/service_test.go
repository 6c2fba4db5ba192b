package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/storesyncer/storesyncer/internal/service"
)

// runCLI runs the command line and returns stdout, stderr and the exit code.
func runServiceCLI(t testing.TB, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), exitCode(err)
}

// TestServiceDryRunSystemRunsAsTheUser: a system unit carries the --run-as user's HOME,
// config and writable folders, never those of root who installs it.
func TestServiceDryRunSystemRunsAsTheUser(t *testing.T) {
	u, err := user.Lookup("nobody") // a user every Linux and macOS machine has
	if err != nil {
		t.Fatalf("look up nobody: %v", err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("workspace = \"~/ws\"\n[daemon]\nstate_dir = \""+dir+"/state\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", "/root")
	t.Setenv("XDG_STATE_HOME", "/root/.local/state")
	t.Setenv("STORESYNCER_CONFIG", "")
	bin := filepath.Join(dir, "storesyncer")
	for _, tt := range []struct {
		name   string
		config []string
		want   service.Params
	}{
		{"with --config", []string{"--config", cfg}, service.Params{
			Executable: bin, ConfigPath: cfg, User: "nobody",
			Env:            map[string]string{"HOME": u.HomeDir},
			ReadWritePaths: []string{filepath.Join(u.HomeDir, "ws"), filepath.Join(dir, "state")},
		}},
		{"default config", nil, service.Params{
			Executable: bin, ConfigPath: service.DefaultConfigPath("linux", u.HomeDir), User: "nobody",
			Env:            map[string]string{"HOME": u.HomeDir},
			ReadWritePaths: []string{filepath.Join(u.HomeDir, "StoreSyncer"), filepath.Join(u.HomeDir, ".local", "state", "storesyncer")},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"LANG", "LC_ALL", "TZ"} {
				t.Setenv(k, "")
			}
			args := append([]string{"service", "install", "--dry-run", "--os", "linux", "--system", "--run-as", "nobody", "--executable", bin}, tt.config...)
			stdout, stderr, code := runServiceCLI(t, args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			want, err := service.Render("linux", true, tt.want)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), stdout); diff != "" {
				t.Errorf("dry-run output (-want +got):\n%s", diff)
			}
			if strings.Contains(stdout, "/root") {
				t.Errorf("the unit names root's home:\n%s", stdout)
			}
		})
	}
}

// TestServiceDryRun: --dry-run prints exactly what Render makes for this executable and
// config, for either OS, and says what a real install would refuse.
func TestServiceDryRun(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte(""), 0o600); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range service.EnvAllowList {
		t.Setenv(k, "")
	}
	t.Setenv("HOME", "/home/tester")
	t.Setenv("STORESYNCER_API_TOKEN", "must-not-leak")
	for _, tt := range []struct {
		goos   string
		system bool
	}{{"linux", false}, {"darwin", false}} { // --system: TestServiceDryRunSystemRunsAsTheUser
		args := []string{"service", "install", "--dry-run", "--os", tt.goos, "--config", cfg}
		if tt.system {
			args = append(args, "--system")
		}
		t.Run(strings.Join(args[3:5], "=")+map[bool]string{true: "/system"}[tt.system], func(t *testing.T) {
			stdout, stderr, code := runServiceCLI(t, args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			want, err := service.Render(tt.goos, tt.system, service.Params{
				Executable: exe, ConfigPath: cfg, Env: map[string]string{"HOME": "/home/tester"},
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), stdout); diff != "" {
				t.Errorf("dry-run output (-want +got):\n%s", diff)
			}
			if strings.Contains(stdout+stderr, "must-not-leak") {
				t.Error("a variable outside the allow-list reached the output")
			}
			// go test builds into a temporary folder, exactly like go run.
			if !strings.Contains(stderr, "build it first: go build -o ~/bin/storesyncer ./cmd/storesyncer") {
				t.Errorf("stderr lacks the temporary-executable warning:\n%s", stderr)
			}
			if !strings.Contains(stderr, "# would write "+service.UnitPath(tt.goos, tt.system, "/home/tester")) {
				t.Errorf("stderr does not say where the file would go:\n%s", stderr)
			}
		})
	}
}

func TestServiceDryRunJSON(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte(""), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "storesyncer")
	stdout, stderr, code := runServiceCLI(t, "service", "install", "--dry-run", "--os", "linux", "--json", "--config", cfg, "--executable", bin)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	var rep serviceReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if rep.Name != "storesyncer" || rep.Scope != "user" || !rep.DryRun || !strings.Contains(rep.Content, "ExecStart="+bin+" run --config "+cfg) {
		t.Errorf("report = %+v", rep)
	}
}

func TestServiceUsageErrors(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.toml")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"--os without --dry-run", []string{"service", "install", "--os", "darwin"}, "--os darwin only works with --dry-run"},
		{"unknown OS", []string{"service", "install", "--dry-run", "--os", "windows"}, "supports linux and darwin, not windows"},
		{"--run-as without --system", []string{"service", "install", "--dry-run", "--run-as", "sync"}, "--run-as only applies to a system service"},
		{"unknown action", []string{"service", "reload"}, `unknown service action "reload"`},
		{"no action", []string{"service"}, "say what to do"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := runServiceCLI(t, append(tt.args, "--config", cfg)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", stderr, tt.want)
			}
		})
	}
}

// TestServiceInstallRefusals: a real install stops before touching the system when it
// could not work. Which refusal comes first depends on who runs the test.
func TestServiceInstallRefusals(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, []byte(""), 0o600); err != nil {
		t.Fatal(err)
	}
	want := "build it first" // the test binary lives in a temporary folder
	if os.Geteuid() == 0 {
		want = "use --system"
	}
	_, stderr, code := runServiceCLI(t, "service", "install", "--config", cfg)
	if code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("install: exit %d, stderr %q; want exit %d mentioning %q", code, stderr, exitUsage, want)
	}
	_, stderr, code = runServiceCLI(t, "service", "install", "--config", "relative.toml", "--system", "--executable", "/usr/bin/env")
	if os.Geteuid() == 0 {
		if code != exitUsage || !strings.Contains(stderr, "does not exist") {
			t.Errorf("install with a missing config: exit %d, stderr %q", code, stderr)
		}
	} else if code != exitUsage || !strings.Contains(stderr, "needs root") {
		t.Errorf("system install as a user: exit %d, stderr %q", code, stderr)
	}
}
