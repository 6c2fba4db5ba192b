package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/spf13/cobra"

	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/service"
)

// serviceFlags are the flags every `service` subcommand shares.
type serviceFlags struct {
	system     bool
	dryRun     bool
	goos       string
	runAs      string
	executable string
}

func newServiceCmd(g *globals) *cobra.Command {
	f := &serviceFlags{}
	cmd := &cobra.Command{
		Use:   "service",
		Short: "Install and control StoreSyncer as an OS service",
		Long: `Install StoreSyncer as a background service that runs "storesyncer run --config <config>":
a per-user LaunchAgent on macOS or a systemd --user unit on Linux, or with --system a
LaunchDaemon or system unit. The service is restarted after a failure, but not after a
config error (exit status 2) on Linux.`,
		Example: `  storesyncer service install --dry-run      # show the unit or plist, change nothing
  storesyncer service install                # install for you and start it
  sudo storesyncer service install --system --run-as sync
  storesyncer service status --json`,
		Args: cobra.ArbitraryArgs,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError("usage", "", "unknown service action %q: use install, uninstall, start, stop, restart or status", args[0])
			}
			return usageError("usage", "", "say what to do: storesyncer service install|uninstall|start|stop|restart|status")
		},
	}
	pf := cmd.PersistentFlags()
	pf.BoolVar(&f.system, "system", false, "a system service (LaunchDaemon, system unit; needs root) instead of a per-user one")
	pf.BoolVar(&f.dryRun, "dry-run", false, "print what would be done (install: the unit or plist) and change nothing")
	pf.StringVar(&f.goos, "os", "", "with --dry-run: render for this OS (linux or darwin) instead of the current one")
	pf.StringVar(&f.runAs, "run-as", "", "with --system: the user the service runs as (default root)")
	pf.StringVar(&f.executable, "executable", "", "the storesyncer binary the service runs (default: this one); use a stable path such as Homebrew's /opt/homebrew/bin/storesyncer")
	for _, a := range []struct{ use, short, long, example string }{
		{"install", "Install the service and start it",
			`Write the systemd unit or launchd plist for this binary and config, enable it and start it.
A per-user service starts at log-in; with --system it starts at boot and runs as --run-as
(default root), with that user's HOME, default config, workspace and state dir, which the
install creates for that user. --dry-run prints the unit or plist and changes nothing.`,
			`  storesyncer service install --dry-run                 # show the unit or plist, change nothing
  storesyncer service install                           # for you, started now and at log-in
  storesyncer service install --executable /opt/homebrew/bin/storesyncer
  sudo storesyncer service install --system --run-as storesyncer --config /etc/storesyncer/config.toml
  storesyncer service install --dry-run --os darwin --system   # a LaunchDaemon, from Linux`},
		{"uninstall", "Stop and remove the service",
			"Stop the service if it runs, disable it and remove its unit or plist. The config, the\nworkspace and the state dir stay.",
			"  storesyncer service uninstall\n  sudo storesyncer service uninstall --system"},
		{"start", "Start the installed service", "Start the installed service now.",
			"  storesyncer service start\n  sudo storesyncer service start --system"},
		{"stop", "Stop the service",
			"Stop the running service until the next start, log-in or boot. Queued jobs stay queued.",
			"  storesyncer service stop\n  sudo storesyncer service stop --system"},
		{"restart", "Restart the service",
			"Stop and start the service, e.g. after changing the config.",
			"  storesyncer service restart\n  sudo storesyncer service restart --system"},
		{"status", "Say whether the service is installed and running",
			"Say whether the service is installed and whether it runs (running, stopped, not_installed).\n`storesyncer status` asks the running daemon what it does.",
			"  storesyncer service status\n  storesyncer service status --json\n  sudo storesyncer service status --system"},
	} {
		cmd.AddCommand(&cobra.Command{
			Use:     a.use,
			Short:   a.short,
			Long:    a.long,
			Example: a.example,
			Args:    cobra.NoArgs,
			RunE:    func(*cobra.Command, []string) error { return runService(g, f, a.use) },
		})
	}
	return cmd
}

// serviceReport is what a service subcommand prints with --json.
type serviceReport struct {
	Action   string   `json:"action"`
	Name     string   `json:"name"`
	Scope    string   `json:"scope"`
	Path     string   `json:"path"`
	State    string   `json:"state,omitempty"`
	DryRun   bool     `json:"dry_run,omitempty"`
	Content  string   `json:"content,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	Notes    []string `json:"notes,omitempty"`
}

func runService(g *globals, f *serviceFlags, action string) error {
	goos := runtime.GOOS
	if f.goos != "" {
		if !f.dryRun {
			return usageError("usage", "", "--os %s only works with --dry-run", f.goos)
		}
		goos = f.goos
	}
	if goos != service.Linux && goos != service.Darwin {
		return usageError("usage", "", "StoreSyncer's service supports linux and darwin, not %s; run `storesyncer run` under your own supervisor", goos)
	}
	if f.runAs != "" && !f.system {
		return usageError("usage", "", "--run-as only applies to a system service (--system)")
	}
	params, warnings, err := serviceParams(g, f, goos)
	if err != nil {
		return err
	}
	home, _ := os.UserHomeDir()
	rep := serviceReport{
		Action: action, Name: service.Label(goos, f.system), Scope: "user",
		Path: service.UnitPath(goos, f.system, home), DryRun: f.dryRun, Warnings: warnings,
	}
	if f.system {
		rep.Scope = "system"
	}
	if f.dryRun {
		return serviceDryRun(g, goos, f, params, rep)
	}
	if err := service.CheckScope(f.system, os.Geteuid()); err != nil {
		return usageError("service.scope", "", "%v", err)
	}
	if action == "install" {
		if err := serviceChecks(params); err != nil {
			return err
		}
		if f.system {
			// ProtectSystem=strict lets the service write only these; they must exist,
			// owned by the user it runs as.
			if err := service.MakeDirs(params.ReadWritePaths, params.User); err != nil {
				return failure("service.failed", "", err)
			}
		}
	}
	m, err := service.NewManager(f.system, params)
	if err != nil {
		return failure("service.unavailable", "", err)
	}
	switch action {
	case "install":
		if err = m.Install(); err == nil {
			rep.State = "installed"
			if err = m.Start(); err == nil {
				rep.State = string(service.StateRunning)
			} else {
				err = fmt.Errorf("installed %s, but %w", rep.Path, err)
			}
		}
		if goos == service.Linux && !f.system {
			rep.Notes = append(rep.Notes, "to keep StoreSyncer running while you are logged out, run: loginctl enable-linger $USER")
		}
	case "uninstall":
		if err = m.Uninstall(); err == nil {
			rep.State = string(service.StateNotInstalled)
		}
	case "start":
		err = m.Start()
	case "stop":
		err = m.Stop()
	case "restart":
		err = m.Restart()
	}
	if err != nil {
		code := "service.failed"
		if errors.Is(err, service.ErrNotInstalled) {
			code = "service.not_installed"
		}
		return failure(code, rep.Path, err)
	}
	if rep.State == "" || action == "status" {
		st, err := m.Status()
		if err != nil {
			return failure("service.failed", rep.Path, err)
		}
		rep.State = string(st)
	}
	return printServiceReport(g, rep)
}

// serviceParams gathers the executable, config path and environment. A per-user service
// gets the allow-listed environment of this shell. A system service gets the home folder
// and paths of the user it runs as (--run-as, else root), never those of whoever runs the
// install: HOME, the default config under that home, and the workspace and state dir it may
// write. It also returns warnings for a dry run.
func serviceParams(g *globals, f *serviceFlags, goos string) (service.Params, []string, error) {
	exe := f.executable
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return service.Params{}, nil, failure("service.executable", "", fmt.Errorf("find this executable: %w", err))
		}
	}
	exe, err := filepath.Abs(exe)
	if err != nil {
		return service.Params{}, nil, usageError("usage", f.executable, "executable: %v", err)
	}
	if f.system {
		return systemServiceParams(g, f, goos, exe)
	}
	cfgPath, err := configFilePath(g)
	if err != nil {
		return service.Params{}, nil, err
	}
	cfg, err := filepath.Abs(cfgPath)
	if err != nil {
		return service.Params{}, nil, usageError("config.invalid", "", "config path: %v", err)
	}
	env := map[string]string{}
	for _, k := range service.EnvAllowList {
		if v := os.Getenv(k); v != "" {
			env[k] = v
		}
	}
	return service.Params{Executable: exe, ConfigPath: cfg, Env: env}, nil, nil
}

// systemServiceParams is serviceParams for --system.
func systemServiceParams(g *globals, f *serviceFlags, goos, exe string) (service.Params, []string, error) {
	var warnings []string
	account := f.runAs
	if account == "" {
		account = "root"
	}
	home, err := service.HomeOf(account, goos)
	if err != nil {
		if !f.dryRun {
			return service.Params{}, nil, usageError("service.user", "", "--run-as %s: %v (create the user first, e.g. useradd --system --create-home --home-dir /var/lib/storesyncer %s)", account, err, account)
		}
		warnings = append(warnings, fmt.Sprintf("%v; the paths below assume the home folder %s", err, home))
	}
	cfgPath := g.configPath
	if cfgPath == "" {
		cfgPath = os.Getenv("STORESYNCER_CONFIG")
	}
	if cfgPath == "" {
		cfgPath = service.DefaultConfigPath(goos, home)
	}
	if cfgPath, err = filepath.Abs(cfgPath); err != nil {
		return service.Params{}, nil, usageError("config.invalid", "", "config path: %v", err)
	}
	// The workspace and state dir the daemon will use as that user: from the config when it
	// is there, else the defaults under that user's home (the install refuses a missing
	// config; a dry run says so).
	cfg, err := config.LoadFor(cfgPath, goos, home)
	if err != nil {
		cfg = config.DefaultFor(goos, home)
	}
	p := service.Params{
		Executable: exe, ConfigPath: cfgPath, User: f.runAs,
		Env:            map[string]string{"HOME": home},
		ReadWritePaths: []string{cfg.Workspace, cfg.Daemon.StateDir},
	}
	if dir := filepath.Dir(cfg.API.TokenFile); dir != cfg.Daemon.StateDir && !slices.Contains(p.ReadWritePaths, dir) {
		p.ReadWritePaths = append(p.ReadWritePaths, dir)
	}
	for _, a := range cfg.Accounts {
		if a.PrivateKeyPath != "" {
			p.ReadPaths = append(p.ReadPaths, a.PrivateKeyPath)
		}
	}
	for _, k := range []string{"LANG", "LC_ALL", "TZ"} { // locale and time zone, nothing of the caller's paths
		if v := os.Getenv(k); v != "" {
			p.Env[k] = v
		}
	}
	return p, warnings, nil
}

// serviceChecks refuses an install the service could not run: a temporary executable, a
// missing or relative config.
func serviceChecks(p service.Params) error {
	if err := service.CheckExecutable(p.Executable, nil); err != nil {
		return usageError("service.executable", p.Executable, "%v", err)
	}
	if err := service.CheckConfigPath(p.ConfigPath); err != nil {
		return usageError("config.invalid", p.ConfigPath, "%v", err)
	}
	return nil
}

// serviceDryRun prints what the action would do; for install, the unit or plist itself on
// stdout, with what would stop a real install as warnings on stderr.
func serviceDryRun(g *globals, goos string, f *serviceFlags, p service.Params, rep serviceReport) error {
	if rep.Action == "install" {
		unit, err := service.Render(goos, f.system, p)
		if err != nil {
			return usageError("service.render", "", "%v", err)
		}
		rep.Content = string(unit)
		if err := service.CheckScope(f.system, os.Geteuid()); err != nil {
			rep.Warnings = append(rep.Warnings, err.Error())
		}
		if err := serviceChecks(p); err != nil {
			rep.Warnings = append(rep.Warnings, err.Error())
		}
	}
	if g.json {
		return writeJSON(g.stdout, rep)
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(g.stderr, "warning: %s\n", w)
	}
	if rep.Action == "install" {
		fmt.Fprintf(g.stderr, "# would write %s\n", rep.Path)
		_, err := fmt.Fprint(g.stdout, rep.Content)
		return err
	}
	_, err := fmt.Fprintf(g.stdout, "would %s the %s service %s (%s)\n", rep.Action, rep.Scope, rep.Name, rep.Path)
	return err
}

func printServiceReport(g *globals, rep serviceReport) error {
	if g.json {
		return writeJSON(g.stdout, rep)
	}
	if _, err := fmt.Fprintf(g.stdout, "%s (%s service, %s): %s\n", rep.Name, rep.Scope, rep.Path, rep.State); err != nil {
		return err
	}
	for _, n := range rep.Notes {
		if _, err := fmt.Fprintf(g.stdout, "note: %s\n", n); err != nil {
			return err
		}
	}
	return nil
}
