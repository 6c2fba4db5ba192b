package service

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"

	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSystemdAnalyzeVerify asks systemd itself whether the rendered units are valid.
func TestSystemdAnalyzeVerify(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		missingTool(t, "systemd-analyze is not installed (.ci/run installs the systemd package)")
	}
	exe, err := os.Executable() // verify wants ExecStart's binary to exist: the test binary does
	must(t, err)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "my config.toml") // a space, to exercise quoting
	must(t, os.WriteFile(cfg, []byte(""), 0o600))
	for _, system := range []bool{false, true} {
		t.Run(fmt.Sprintf("system=%v", system), func(t *testing.T) {
			unit, err := Render(Linux, system, Params{
				Executable: exe, ConfigPath: cfg,
				Env:            map[string]string{"HOME": "/home/me", "LANG": "de_DE.UTF-8", "TMPDIR": "/tmp/100% $x"},
				ReadWritePaths: []string{dir, "/var/lib/storesyncer state"},
			})
			must(t, err)
			path := filepath.Join(t.TempDir(), "storesyncer.service")
			must(t, os.WriteFile(path, unit, 0o644))
			args := []string{"verify", path}
			cmd := exec.Command("systemd-analyze", args...)
			if !system {
				runtime := filepath.Join(t.TempDir(), "run")
				must(t, os.Mkdir(runtime, 0o700))
				cmd = exec.Command("systemd-analyze", append([]string{"--user"}, args...)...)
				cmd.Env = append(os.Environ(), "XDG_RUNTIME_DIR="+runtime)
			}
			out, err := cmd.CombinedOutput()
			// verify exits 0 on unknown keys and bad values, but names the file and line.
			if err != nil || bytes.Contains(out, []byte(path)) {
				t.Errorf("systemd-analyze verify: %v\n%s\nunit:\n%s", err, out, unit)
			}
		})
	}
}

func TestRenderSystemd(t *testing.T) {
	sandbox := []string{ // a per-user unit can keep these: seccomp needs no privilege
		"NoNewPrivileges=yes", "UMask=0077", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
		"SystemCallFilter=@system-service", "SystemCallArchitectures=native", "MemoryDenyWriteExecute=yes",
		"Type=notify", "NotifyAccess=main", "WatchdogSec=" + WatchdogSec,
	}
	tests := []struct {
		name   string
		system bool
		params Params
		want   []string // lines that must appear
		absent []string
	}{
		{"user", false, Params{Executable: "/opt/storesyncer/bin/storesyncer", ConfigPath: "/home/me/.config/storesyncer/config.toml", User: "ignored", ReadWritePaths: []string{"/home/me/ws"}},
			append([]string{
				"ExecStart=/opt/storesyncer/bin/storesyncer run --config /home/me/.config/storesyncer/config.toml",
				"Restart=on-failure", "RestartSec=5s", "RestartPreventExitStatus=2",
				"StartLimitIntervalSec=300", "StartLimitBurst=5", "WantedBy=default.target",
			}, sandbox...),
			// Namespacing needs privileges a user manager may lack (unprivileged user
			// namespaces are off on some distributions): the unit would not start.
			[]string{"multi-user.target", "network-online.target", "User=", "ProtectSystem=", "ProtectHome=", "PrivateTmp=", "ReadWritePaths=", "CapabilityBoundingSet="}},
		{"system with a user and odd paths", true, Params{Executable: "/opt/my apps/storesyncer", ConfigPath: `/etc/s"s/100%.toml`, User: "sync",
			ReadWritePaths: []string{"/srv/sync/work space", "/var/lib/sync/state/"}},
			append([]string{
				`ExecStart="/opt/my apps/storesyncer" run --config "/etc/s\"s/100%%.toml"`,
				"User=sync", "WantedBy=multi-user.target", "After=network-online.target",
				"ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "CapabilityBoundingSet=",
				`ReadWritePaths="-/srv/sync/work space"`, "ReadWritePaths=-/var/lib/sync/state",
			}, sandbox...),
			[]string{"default.target", "ProtectHome=read-only"}},
		{"system with the workspace in a home folder", true, Params{Executable: "/usr/bin/storesyncer", ConfigPath: "/etc/storesyncer/config.toml", User: "me",
			ReadWritePaths: []string{"/home/me/StoreSyncer", "/var/lib/storesyncer"}},
			[]string{"ProtectHome=read-only", "ReadWritePaths=-/home/me/StoreSyncer"},
			[]string{"ProtectHome=yes"}},
		{"system with a key file in a home folder", true, Params{Executable: "/usr/bin/storesyncer", ConfigPath: "/etc/storesyncer/config.toml",
			ReadWritePaths: []string{"/var/lib/storesyncer"}, ReadPaths: []string{"/root/AuthKey.p8"}},
			[]string{"ProtectHome=read-only"},
			[]string{"User="}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Render(Linux, tt.system, tt.params)
			must(t, err)
			lines := strings.Split(string(out), "\n")
			for _, w := range tt.want {
				if !contains(lines, w) {
					t.Errorf("unit lacks line %q:\n%s", w, out)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(string(out), a) {
					t.Errorf("unit holds %q:\n%s", a, out)
				}
			}
		})
	}
}

// TestSystemdAnalyzeSecurity: systemd rates the system unit's exposure at most 3.0 ("OK"),
// both for the packaged unit and for one whose workspace is in a home folder.
func TestSystemdAnalyzeSecurity(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		missingTool(t, "systemd-analyze is not installed (.ci/run installs the systemd package)")
	}
	for name, p := range map[string]Params{
		"packaged": packagedParams(t, "systemd/storesyncer-system.service"),
		"home": {Executable: "/usr/bin/storesyncer", ConfigPath: "/home/me/.config/storesyncer/config.toml", User: "me",
			Env: map[string]string{"HOME": "/home/me"}, ReadWritePaths: []string{"/home/me/StoreSyncer", "/home/me/.local/state/storesyncer"}},
	} {
		t.Run(name, func(t *testing.T) {
			unit, err := Render(Linux, true, p)
			must(t, err)
			path := filepath.Join(t.TempDir(), "storesyncer.service")
			must(t, os.WriteFile(path, unit, 0o644))
			exposure, out := securityExposure(t, path)
			if exposure > 3.0 {
				t.Errorf("exposure %.1f > 3.0:\n%s", exposure, out)
			}
		})
	}
}

// securityExposure runs systemd-analyze security --offline=yes on the unit file at path and
// returns the overall exposure it reports, with its output.
func securityExposure(t testing.TB, path string) (float64, string) {
	t.Helper()
	out, err := exec.Command("systemd-analyze", "security", "--offline=yes", path).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level in:\n%s", out)
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	must(t, err)
	return v, string(out)
}

// TestRenderEnvAllowList: only allow-listed variables reach the unit or plist.
func TestRenderEnvAllowList(t *testing.T) {
	env := map[string]string{
		"HOME": "/home/me", "XDG_STATE_HOME": "/home/me/.state", "LANG": "",
		"STORESYNCER_API_TOKEN": "tok-secret", "AWS_SECRET_ACCESS_KEY": "aws-secret", "PATH": "/usr/bin",
	}
	for _, goos := range []string{Linux, Darwin} {
		out, err := Render(goos, false, Params{Executable: "/usr/bin/storesyncer", ConfigPath: "/c.toml", Env: env})
		must(t, err)
		s := string(out)
		for _, secret := range []string{"tok-secret", "aws-secret", "STORESYNCER_API_TOKEN", "PATH", "LANG"} {
			if strings.Contains(s, secret) {
				t.Errorf("%s: output holds %q", goos, secret)
			}
		}
		for _, kept := range []string{"/home/me/.state", "HOME"} {
			if !strings.Contains(s, kept) {
				t.Errorf("%s: output lacks %q", goos, kept)
			}
		}
	}
}

func TestRenderErrors(t *testing.T) {
	ok := Params{Executable: "/usr/bin/storesyncer", ConfigPath: "/etc/c.toml"}
	tests := []struct {
		name string
		goos string
		p    Params
		want string
	}{
		{"relative executable", Linux, Params{Executable: "storesyncer", ConfigPath: "/c.toml"}, `executable path "storesyncer" is not absolute`},
		{"relative config", Darwin, Params{Executable: "/bin/s", ConfigPath: "config.toml"}, `config path "config.toml" is not absolute`},
		{"template braces", Linux, Params{Executable: "/bin/s", ConfigPath: "/{{x}}.toml"}, `contains "{{"`},
		{"line break in env", Linux, Params{Executable: "/bin/s", ConfigPath: "/c.toml", Env: map[string]string{"HOME": "/a\nExecStartPre=/evil"}}, "line break"},
		{"windows", "windows", ok, "no service template"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Render(tt.goos, false, tt.p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Render error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := Render("plan9", false, ok); !errors.Is(err, ErrUnsupportedOS) {
		t.Errorf("Render(plan9) = %v, want ErrUnsupportedOS", err)
	}
}

// TestPlist parses the rendered plist as XML and checks the keys launchd acts on,
// including paths that need escaping.
func TestPlist(t *testing.T) {
	tests := []struct {
		name   string
		system bool
		p      Params
		want   map[string]any
	}{
		{"agent", false, Params{
			Executable: "/Users/me/bin/store & syncer", ConfigPath: "/Users/me/Library/Application Support/storesyncer/<config>.toml",
			Env: map[string]string{"HOME": "/Users/me"},
		}, map[string]any{
			"Label":                "com.storesyncer.agent",
			"ProgramArguments":     []any{"/Users/me/bin/store & syncer", "run", "--config", "/Users/me/Library/Application Support/storesyncer/<config>.toml"},
			"EnvironmentVariables": map[string]any{"HOME": "/Users/me"},
			"RunAtLoad":            true,
			"KeepAlive":            map[string]any{"SuccessfulExit": false, "Crashed": true},
			"ThrottleInterval":     "30",
			"ExitTimeOut":          "30",
			"ProcessType":          "Background",
			"StandardOutPath":      "/Users/me/Library/Logs/StoreSyncer/storesyncer.out.log",
			"StandardErrorPath":    "/Users/me/Library/Logs/StoreSyncer/storesyncer.err.log",
		}},
		{"daemon as a user", true, Params{Executable: "/usr/local/bin/storesyncer", ConfigPath: "/usr/local/etc/storesyncer/config.toml", User: "_storesyncer"},
			map[string]any{
				"Label":             "com.storesyncer.daemon",
				"ProgramArguments":  []any{"/usr/local/bin/storesyncer", "run", "--config", "/usr/local/etc/storesyncer/config.toml"},
				"UserName":          "_storesyncer",
				"RunAtLoad":         true,
				"KeepAlive":         map[string]any{"SuccessfulExit": false, "Crashed": true},
				"ThrottleInterval":  "30",
				"ExitTimeOut":       "30",
				"ProcessType":       "Background",
				"StandardOutPath":   "/Library/Logs/StoreSyncer/storesyncer.out.log",
				"StandardErrorPath": "/Library/Logs/StoreSyncer/storesyncer.err.log",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Render(Darwin, tt.system, tt.p)
			must(t, err)
			got, err := parsePlist(out)
			if err != nil {
				t.Fatalf("plist does not parse: %v\n%s", err, out)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("plist (-want +got):\n%s\n%s", diff, out)
			}
		})
	}
}

func TestSystemdQuote(t *testing.T) {
	tests := map[string]string{
		"/usr/bin/storesyncer": "/usr/bin/storesyncer",
		"/a b":                 `"/a b"`,
		`/a"b`:                 `"/a\"b"`,
		`C:\x`:                 `"C:\\x"`,
		"/100%":                "/100%%",
		"$HOME/x":              "$$HOME/x",
		"":                     `""`,
	}
	for in, want := range tests {
		if got := systemdQuote(in); got != want {
			t.Errorf("systemdQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

// parsePlist decodes the subset of the plist format the templates use: the top-level dict
// with string, integer (kept as its text), true/false, array and dict values.
func parsePlist(data []byte) (map[string]any, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "dict" {
			v, err := plistValue(dec, se)
			if err != nil {
				return nil, err
			}
			return v.(map[string]any), nil
		}
	}
}

func plistValue(dec *xml.Decoder, se xml.StartElement) (any, error) {
	switch se.Name.Local {
	case "string", "integer", "key":
		var s string
		err := dec.DecodeElement(&s, &se)
		return s, err
	case "true", "false":
		return se.Name.Local == "true", dec.Skip()
	case "array", "dict":
		var items []any
		for {
			tok, err := dec.Token()
			if err != nil {
				return nil, err
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				v, err := plistValue(dec, tok)
				if err != nil {
					return nil, err
				}
				items = append(items, v)
			case xml.EndElement:
				if se.Name.Local == "array" {
					return items, nil
				}
				m := map[string]any{}
				if len(items)%2 != 0 {
					return nil, errors.New("dict with a key and no value")
				}
				for i := 0; i < len(items); i += 2 {
					m[items[i].(string)] = items[i+1]
				}
				return m, nil
			}
		}
	}
	return nil, fmt.Errorf("unexpected plist element <%s>", se.Name.Local)
}

// missingTool fails under CI, which installs every tool the tests use (.ci/run), and skips
// with why elsewhere, so a test that did not run never passes as one that did.
func missingTool(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}
