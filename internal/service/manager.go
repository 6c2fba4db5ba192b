package service

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	kservice "github.com/kardianos/service"
)

// State is what Status reports.
type State string

// States of an installed (or not installed) service.
const (
	StateRunning      State = "running"
	StateStopped      State = "stopped"
	StateNotInstalled State = "not_installed"
	StateUnknown      State = "unknown"
)

// ErrNotInstalled is returned when an action needs an installed service.
var ErrNotInstalled = errors.New("the StoreSyncer service is not installed: run storesyncer service install")

// Manager installs and controls StoreSyncer's service on this machine through
// kardianos/service, with StoreSyncer's rendered unit or plist as the template. Create it
// with NewManager; it is not safe for concurrent use.
type Manager struct {
	system bool
	params Params
	unit   []byte
	svc    kservice.Service
}

// NewManager renders the unit or plist for this OS and prepares the service manager.
func NewManager(system bool, p Params) (*Manager, error) {
	goos := runtime.GOOS
	unit, err := Render(goos, system, p)
	if err != nil {
		return nil, err
	}
	cfg := &kservice.Config{
		Name:        Label(goos, system),
		DisplayName: "StoreSyncer",
		Description: "StoreSyncer daemon (App Store metadata sync)",
		Executable:  p.Executable,
		Arguments:   []string{"run", "--config", p.ConfigPath},
		Option:      kservice.KeyValue{"UserService": !system},
	}
	switch goos {
	case Linux:
		cfg.Option["SystemdScript"] = string(unit)
	case Darwin:
		cfg.Option["LaunchdConfig"] = string(unit)
		cfg.Option["RunAtLoad"] = true
		cfg.Option["LogDirectory"] = p.logDir(system)
	}
	svc, err := kservice.New(noopProgram{}, cfg)
	if err != nil {
		return nil, fmt.Errorf("service manager: %w", err)
	}
	if goos == Linux && !strings.Contains(svc.Platform(), "systemd") {
		return nil, fmt.Errorf("this system's service manager is %s; StoreSyncer installs systemd units only (run `storesyncer run` under your own supervisor)", svc.Platform())
	}
	return &Manager{system: system, params: p, unit: unit, svc: svc}, nil
}

// Unit returns the bytes Install writes.
func (m *Manager) Unit() []byte { return m.unit }

// Path returns where the unit or plist is installed.
func (m *Manager) Path() string {
	home, _ := os.UserHomeDir()
	return UnitPath(runtime.GOOS, m.system, home)
}

// UnitPath returns where the unit (goos "linux") or plist ("darwin") of a per-user or system
// service lives.
func UnitPath(goos string, system bool, home string) string {
	switch {
	case goos == Darwin && system:
		return "/Library/LaunchDaemons/" + Label(goos, system) + ".plist"
	case goos == Darwin:
		return filepath.Join(home, "Library", "LaunchAgents", Label(goos, system)+".plist")
	case system:
		return "/etc/systemd/system/" + Label(goos, system) + ".service"
	}
	return filepath.Join(home, ".config", "systemd", "user", Label(goos, system)+".service")
}

// Install writes the unit or plist and enables it (it does not start it). An existing one is
// an error that says to uninstall first.
func (m *Manager) Install() error {
	path := m.Path()
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("a StoreSyncer service is already installed at %s: run storesyncer service uninstall first", path)
	}
	if runtime.GOOS == Darwin {
		// launchd opens the log files but does not create their folder.
		if err := os.MkdirAll(m.params.logDir(m.system), 0o755); err != nil {
			return fmt.Errorf("create log folder: %w", err)
		}
	}
	if err := m.svc.Install(); err != nil {
		// The file may be written already (systemctl enable failed after it): remove it, so
		// the next install does not find a half-installed service.
		_ = os.Remove(path)
		return fmt.Errorf("install service: %w", err)
	}
	// launchd refuses a group- or world-writable plist; the installer honours the umask.
	if err := os.Chmod(path, 0o644); err != nil {
		return fmt.Errorf("install service: %w", err)
	}
	return nil
}

// Uninstall stops the service (if it runs) and removes it.
func (m *Manager) Uninstall() error {
	if _, err := os.Stat(m.Path()); errors.Is(err, os.ErrNotExist) {
		return ErrNotInstalled
	}
	_ = m.svc.Stop() // best effort: it may be stopped already
	if err := m.svc.Uninstall(); err != nil {
		return fmt.Errorf("uninstall service: %w", err)
	}
	return nil
}

// Start starts the installed service.
func (m *Manager) Start() error { return m.control("start", m.svc.Start) }

// Stop stops the running service.
func (m *Manager) Stop() error { return m.control("stop", m.svc.Stop) }

// Restart stops and starts the service.
func (m *Manager) Restart() error { return m.control("restart", m.svc.Restart) }

func (m *Manager) control(action string, f func() error) error {
	if st, _ := m.Status(); st == StateNotInstalled {
		return ErrNotInstalled
	}
	if err := f(); err != nil {
		return fmt.Errorf("%s service: %w", action, err)
	}
	return nil
}

// Status asks the service manager whether the service runs.
func (m *Manager) Status() (State, error) {
	st, err := m.svc.Status()
	switch {
	case errors.Is(err, kservice.ErrNotInstalled):
		return StateNotInstalled, nil
	case err != nil:
		return StateUnknown, fmt.Errorf("service status: %w", err)
	case st == kservice.StatusRunning:
		return StateRunning, nil
	case st == kservice.StatusStopped:
		return StateStopped, nil
	}
	return StateUnknown, nil
}

// noopProgram satisfies kservice.Interface for a Service used only to install and control:
// `storesyncer run` runs the daemon itself.
type noopProgram struct{}

func (noopProgram) Start(kservice.Service) error { return nil }
func (noopProgram) Stop(kservice.Service) error  { return nil }
