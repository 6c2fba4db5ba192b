// Package service installs and controls StoreSyncer as an OS service — a per-user
// LaunchAgent or systemd --user unit by default, a LaunchDaemon or system unit with
// --system — from StoreSyncer's own unit and plist templates, and checks what a service
// needs that a terminal has (macOS privacy folders, a stable executable path).
package service

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var templates = template.Must(template.ParseFS(templateFS, "templates/*.tmpl"))

// Operating systems Render knows.
const (
	Linux  = "linux"
	Darwin = "darwin"
)

// Params are the paths and environment baked into a unit or plist.
type Params struct {
	// Executable is the absolute path of the storesyncer binary.
	Executable string
	// ConfigPath is the absolute path passed as `run --config`. Empty passes none, so the
	// service reads the default config of the user it runs as (the packaged user unit,
	// which serves every user).
	ConfigPath string
	// Env holds environment variables for the service. Only names in EnvAllowList are
	// written; anything else (a token, a key) is dropped.
	Env map[string]string
	// LogDir is where launchd writes stdout and stderr (macOS only; systemd uses the
	// journal). Defaults to ~/Library/Logs/StoreSyncer under Env["HOME"] for an agent and
	// /Library/Logs/StoreSyncer for a daemon.
	LogDir string
	// User runs a system service as this user (systemd User=, launchd UserName); empty
	// runs it as root. Ignored for per-user services.
	User string
	// ReadWritePaths are the folders a system unit may write: the workspace and the state
	// dir (systemd ReadWritePaths=; ProtectSystem=strict makes the rest read-only). A
	// folder missing when the service starts is skipped, not an error. Ignored for
	// per-user services and launchd.
	ReadWritePaths []string
	// ReadPaths are further files a system unit reads (key files). When any of these, the
	// config, the executable or a ReadWritePaths entry lies in a home folder (/home, /root,
	// /run/user), the unit keeps home folders read-only (ProtectHome=read-only); otherwise
	// it hides them (ProtectHome=yes).
	ReadPaths []string
}

// WatchdogSec is the systemd watchdog timeout of the units: the daemon's main loops answer
// every half of it. It is generous because one plan of a big app may keep the pipeline
// busy for a while; a loop that is stuck for good is restarted.
const WatchdogSec = "5min"

// homeRoots are the folders ProtectHome= hides or makes read-only.
var homeRoots = []string{"/home", "/root", "/run/user"}

// EnvAllowList names the environment variables a service may carry: locations and locale,
// never credentials.
var EnvAllowList = []string{
	"HOME", "LANG", "LC_ALL", "TZ", "TMPDIR",
	"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
}

// Label returns the service's name for the OS's service manager: the systemd unit name
// without ".service", or the launchd label (also the plist's file name).
func Label(goos string, system bool) string {
	if goos == Darwin {
		if system {
			return "com.storesyncer.daemon"
		}
		return "com.storesyncer.agent"
	}
	return "storesyncer"
}

// ErrUnsupportedOS is returned for an OS without a StoreSyncer service template.
var ErrUnsupportedOS = errors.New("no service template for this OS (linux and darwin are supported)")

// Render returns the systemd unit (goos "linux") or launchd plist (goos "darwin") for a
// per-user service, or a system one when system is set. `service install` writes exactly
// these bytes, and packaging/ holds them for placeholder paths.
func Render(goos string, system bool, p Params) ([]byte, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	env := p.allowedEnv()
	args := []string{p.Executable, "run"}
	if p.ConfigPath != "" {
		args = append(args, "--config", p.ConfigPath)
	}
	var name string
	var data any
	switch goos {
	case Linux:
		name = "systemd.service.tmpl"
		quoted := make([]string, len(args))
		for i, a := range args {
			quoted[i] = systemdQuote(a)
		}
		var envLines []string
		for _, kv := range env {
			envLines = append(envLines, systemdQuote(kv[0]+"="+kv[1]))
		}
		var rw []string
		for _, path := range p.ReadWritePaths {
			rw = append(rw, systemdQuote("-"+filepath.Clean(path)))
		}
		data = map[string]any{
			"System": system, "ExecStart": strings.Join(quoted, " "),
			"User": userFor(system, p.User), "Environment": envLines,
			"WatchdogSec": WatchdogSec, "ReadWritePaths": rw, "ProtectHome": p.protectHome(),
		}
	case Darwin:
		name = "launchd.plist.tmpl"
		type kv struct{ Key, Value string }
		var envKV []kv
		for _, e := range env {
			envKV = append(envKV, kv{html.EscapeString(e[0]), html.EscapeString(e[1])})
		}
		escaped := make([]string, len(args))
		for i, a := range args {
			escaped[i] = html.EscapeString(a)
		}
		data = map[string]any{
			"System": system, "Label": Label(goos, system), "Args": escaped,
			"User": html.EscapeString(userFor(system, p.User)), "Environment": envKV,
			"LogDir": html.EscapeString(p.logDir(system)),
		}
	default:
		return nil, fmt.Errorf("render service for %q: %w", goos, ErrUnsupportedOS)
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	// kardianos/service parses what it installs as a template of its own; we hand it the
	// finished file, which must therefore hold no template action.
	if bytes.Contains(buf.Bytes(), []byte("{{")) {
		return nil, errors.New(`render service: a path or variable contains "{{", which the service installer cannot write`)
	}
	return buf.Bytes(), nil
}

func (p Params) check() error {
	for _, f := range []struct{ name, v string }{{"executable", p.Executable}, {"config", p.ConfigPath}} {
		if !filepath.IsAbs(f.v) && (f.name == "executable" || f.v != "") {
			return fmt.Errorf("service %s path %q is not absolute", f.name, f.v)
		}
	}
	for k, v := range p.Env {
		if strings.ContainsAny(k+v, "\n\r\x00") {
			return fmt.Errorf("service environment variable %s holds a line break or NUL", k)
		}
	}
	if strings.ContainsAny(p.Executable+p.ConfigPath+p.LogDir+p.User, "\n\r\x00") {
		return errors.New("service paths must not hold line breaks or NUL")
	}
	for _, path := range slices.Concat(p.ReadWritePaths, p.ReadPaths) {
		if !filepath.IsAbs(path) || strings.ContainsAny(path, "\n\r\x00") {
			return fmt.Errorf("service path %q must be absolute, without line breaks or NUL", path)
		}
	}
	return nil
}

// protectHome is the system unit's ProtectHome= value.
func (p Params) protectHome() string {
	for _, path := range slices.Concat([]string{p.Executable, p.ConfigPath}, p.ReadWritePaths, p.ReadPaths) {
		if path != "" && inHome(path) {
			return "read-only"
		}
	}
	return "yes"
}

func inHome(path string) bool {
	path = filepath.Clean(path)
	for _, root := range homeRoots {
		if path == root || strings.HasPrefix(path, root+"/") {
			return true
		}
	}
	return false
}

// allowedEnv returns the allow-listed variables that are set, sorted by name.
func (p Params) allowedEnv() [][2]string {
	var out [][2]string
	for _, k := range EnvAllowList {
		if v, ok := p.Env[k]; ok && v != "" {
			out = append(out, [2]string{k, v})
		}
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return out
}

func (p Params) logDir(system bool) string {
	switch {
	case p.LogDir != "":
		return p.LogDir
	case system:
		return "/Library/Logs/StoreSyncer"
	case p.Env["HOME"] != "":
		return filepath.Join(p.Env["HOME"], "Library", "Logs", "StoreSyncer")
	}
	return "/tmp" // launchd needs some path; doctor points at the missing HOME
}

func userFor(system bool, user string) string {
	if system {
		return user
	}
	return ""
}

// systemdQuote quotes one word of a systemd command line or assignment: specifiers (%)
// and variable expansion ($) are escaped, and words with blanks, quotes or backslashes
// are double-quoted with C-style escapes.
func systemdQuote(s string) string {
	s = strings.NewReplacer("%", "%%", "$", "$$").Replace(s)
	if s != "" && !strings.ContainsAny(s, " \t\"'\\;") {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
