package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func linuxEnv(vars map[string]string) env {
	return env{goos: "linux", home: "/home/u", getenv: func(k string) string { return vars[k] }}
}

func TestDefaults(t *testing.T) {
	got, err := parseEnv(nil, "/etc/ss/config.toml", linuxEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Workspace: "/home/u/StoreSyncer",
		Path:      "/etc/ss/config.toml",
		Daemon:    Daemon{StateDir: "/home/u/.local/state/storesyncer", LogLevel: "info"},
		API:       API{Listen: "127.0.0.1:7420", TokenFile: "/home/u/.local/state/storesyncer/api-token"},
		Watch:     Watch{QuietPeriod: 2 * time.Second, MaxWait: 30 * time.Second, DeleteDelay: 10 * time.Second, RescanInterval: time.Hour},
		Sync:      Sync{Auto: true, Concurrency: 4, RemotePollInterval: 10 * time.Minute, ApproveOver: 20},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}

func TestStateDir(t *testing.T) {
	tests := []struct {
		name string
		env  env
		want string
	}{
		{"linux XDG", linuxEnv(map[string]string{"XDG_STATE_HOME": "/xdg"}), "/xdg/storesyncer"},
		{"linux no XDG", linuxEnv(nil), "/home/u/.local/state/storesyncer"},
		{"linux relative XDG ignored", linuxEnv(map[string]string{"XDG_STATE_HOME": "rel"}), "/home/u/.local/state/storesyncer"},
		{"macOS", env{goos: "darwin", home: "/Users/u", getenv: func(string) string { return "" }}, "/Users/u/Library/Application Support/StoreSyncer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.env.stateDir(); got != tt.want {
				t.Errorf("stateDir() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseValues(t *testing.T) {
	const file = `workspace = "ws"
[daemon]
state_dir = "~/state"
log_level = "debug"
log_format = "json"
[api]
listen = "[::1]:9000"
metrics_auth = true
[watch]
quiet_period = "500ms"
max_wait = "5s"
delete_delay = "0s"
rescan_interval = "30m"
[sync]
auto = false
concurrency = 8
remote_poll_interval = "1m"
edit_in_review = true
approve_over = 0
[collection]
extra_locales = ["xx-YY"]
extra_display_types = ["APP_IPHONE_99"]
quiet = ["keyword.bytes", "set.empty"]
[[account]]
issuer_id = "iss"
key_id = "K1"
private_key_path = "keys/a.p8"
[[account]]
name = "me"
individual = true
key_id = "K2"
private_key_path = "/abs/b.p8"
api_base_url = "http://127.0.0.1:8080/prefix/"
rate_window = "1m"
`
	got, err := parseEnv([]byte(file), "/etc/ss/config.toml", linuxEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Workspace:  "/etc/ss/ws",
		Path:       "/etc/ss/config.toml",
		Daemon:     Daemon{StateDir: "/home/u/state", LogLevel: "debug", LogFormat: "json"},
		API:        API{Listen: "[::1]:9000", TokenFile: "/home/u/state/api-token", MetricsAuth: true},
		Watch:      Watch{QuietPeriod: 500 * time.Millisecond, MaxWait: 5 * time.Second, RescanInterval: 30 * time.Minute},
		Sync:       Sync{Concurrency: 8, RemotePollInterval: time.Minute, EditInReview: true},
		Collection: Collection{ExtraLocales: []string{"xx-YY"}, ExtraDisplayTypes: []string{"APP_IPHONE_99"}, Quiet: []string{"keyword.bytes", "set.empty"}},
		Accounts: []Account{
			{Name: "default", IssuerID: "iss", KeyID: "K1", PrivateKeyPath: "/etc/ss/keys/a.p8"},
			{Name: "me", Individual: true, KeyID: "K2", PrivateKeyPath: "/abs/b.p8", APIBaseURL: "http://127.0.0.1:8080/prefix", RateWindow: time.Minute},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	const acct = "[[account]]\nissuer_id = \"i\"\nkey_id = \"k\"\nprivate_key_path = \"k.p8\"\n"
	tests := []struct {
		name    string
		file    string
		line    int
		key     string
		msgPart string
	}{
		{"syntax", "[sync]\nauto = = true\n", 2, "sync.auto", "expected value"},
		{"wrong type", "[sync]\n\nconcurrency = \"four\"\n", 3, "sync.concurrency", "expected a whole number"},
		{"unknown top key", "workspace = \"w\"\nworkspaces = \"x\"\n", 2, "workspaces", "unknown key"},
		{"unknown key in table", "[sync]\nauto = true\n# c\nconcurency = 3\n", 4, "sync.concurency", "unknown key"},
		{"unknown table", "[sync]\n[synk]\nauto = true\n", 2, "synk", "unknown key"},
		{"unknown key in second account", acct + "\n[[account]]\nname = \"b\"\nindividual = true\nkey_id = \"k\"\nprivate_key_path = \"p\"\nkeyid = \"x\"\n", 11, "account.keyid", "unknown key"},
		{"unknown dotted key", "sync.bogus = 1\n", 1, "sync.bogus", "unknown key"},
		{"bad duration", "[watch]\nquiet_period = \"2 seconds\"\n", 2, "watch.quiet_period", `expected a number with a unit, e.g. "2s"`},
		{"zero duration", "[watch]\nrescan_interval = \"0s\"\n", 2, "watch.rescan_interval", "longer than 0"},
		{"negative duration", "[watch]\ndelete_delay = \"-1s\"\n", 2, "watch.delete_delay", "negative"},
		{"max_wait under quiet", "[watch]\nquiet_period = \"10s\"\nmax_wait = \"5s\"\n", 3, "watch.max_wait", "shorter than quiet_period"},
		{"bad poll", "[sync]\nremote_poll_interval = \"often\"\n", 2, "sync.remote_poll_interval", "not a duration"},
		{"zero concurrency", "[sync]\nconcurrency = 0\n", 2, "sync.concurrency", "must be ≥ 1"},
		{"negative concurrency", "[sync]\nconcurrency = -2\n", 2, "sync.concurrency", "must be ≥ 1"},
		{"negative approve_over", "[sync]\napprove_over = -1\n", 2, "sync.approve_over", "≥ 0"},
		{"listen not loopback", "[api]\nlisten = \"0.0.0.0:7420\"\n", 2, "api.listen", "not loopback"},
		{"listen lan", "[api]\nlisten = \"192.168.1.2:7420\"\n", 2, "api.listen", "not loopback"},
		{"listen lan plain http", "[api]\npublic_names = [\"mac.example\"]\nlisten = \"192.168.1.2:7420\"\n", 3, "api.listen", "without TLS"},
		{"tls cert without key", "[api]\ntls_cert = \"c.pem\"\n", 2, "api.tls_cert", "go together"},
		{"bad public name", "[api]\npublic_names = [\"mac.example\", \"http://x\"]\n", 2, "api.public_names", "not a host name"},
		{"listen no port", "[api]\nlisten = \"127.0.0.1\"\n", 2, "api.listen", "host:port"},
		{"listen bad port", "[api]\nlisten = \"127.0.0.1:http\"\n", 2, "api.listen", "not a number"},
		{"log level", "[daemon]\nlog_level = \"verbose\"\n", 2, "daemon.log_level", "debug, info, warn, error"},
		{"log format", "[daemon]\nlog_format = \"xml\"\n", 2, "daemon.log_format", "auto, text or json"},
		{"empty workspace", "workspace = \"\"\n", 1, "workspace", "must not be empty"},
		{"bad locale", "[collection]\nextra_locales = [\"en_US\"]\n", 2, "collection.extra_locales", "not a locale"},
		{"bad display type", "[collection]\nextra_display_types = [\"iphone\"]\n", 2, "collection.extra_display_types", "not a display type"},
		{"quiet an error", "[collection]\nquiet = [\"keyword.bytes\", \"text.too_long\"]\n", 2, "collection.quiet", `"text.too_long" is not a warning code`},
		{"quiet an unknown code", "[collection]\n\nquiet = [\"keyword.byte\"]\n", 3, "collection.quiet", "warnings: text.empty, keyword.bytes"},
		{"issuer missing", "[[account]]\nkey_id = \"k\"\nprivate_key_path = \"p\"\n", 1, "account", "needs issuer_id"},
		{"issuer empty", "[[account]]\nissuer_id = \"\"\nkey_id = \"k\"\nprivate_key_path = \"p\"\n", 2, "account.issuer_id", "needs issuer_id"},
		{"individual with issuer", "[[account]]\nindividual = true\nissuer_id = \"i\"\nkey_id = \"k\"\nprivate_key_path = \"p\"\n", 3, "account.issuer_id", "individual key has no issuer"},
		{"key_id missing in second", acct + "[[account]]\nname = \"b\"\nissuer_id = \"i\"\nprivate_key_path = \"p\"\n", 5, "account", "needs key_id"},
		{"key path missing", "[[account]]\nissuer_id = \"i\"\nkey_id = \"k\"\n", 1, "account", "needs private_key_path"},
		{"duplicate names", acct + "[[account]]\nname = \"default\"\nissuer_id = \"i\"\nkey_id = \"k\"\nprivate_key_path = \"p\"\n", 6, "account.name", "duplicate account name"},
		{"duplicate default names", acct + acct, 5, "account", "duplicate account name"},
		{"http base url remote", acct + "api_base_url = \"http://example.com\"\n", 5, "account.api_base_url", "only on loopback"},
		{"relative base url", acct + "api_base_url = \"/v1\"\n", 5, "account.api_base_url", "absolute URL"},
		{"ftp base url", acct + "api_base_url = \"ftp://127.0.0.1\"\n", 5, "account.api_base_url", "not http or https"},
		{"rate window without base url", acct + "rate_window = \"1m\"\n", 5, "account.rate_window", "loopback api_base_url"},
		{"rate window on apple", acct + "api_base_url = \"https://api.appstoreconnect.apple.com\"\nrate_window = \"1m\"\n", 6, "account.rate_window", "only for the simulator"},
		{"rate window not a duration", acct + "api_base_url = \"http://127.0.0.1:9\"\nrate_window = \"a minute\"\n", 6, "account.rate_window", "not a duration"},
		{"rate window zero", acct + "api_base_url = \"http://[::1]:9\"\nrate_window = \"0s\"\n", 6, "account.rate_window", "longer than 0"},
		{"rate window in second account", acct + "api_base_url = \"http://localhost:9\"\nrate_window = \"1m\"\n[[account]]\nname = \"b\"\nissuer_id = \"i\"\nkey_id = \"k\"\nprivate_key_path = \"p\"\nrate_window = \"1m\"\n", 12, "account.rate_window", "loopback"},
		{"multi-line string does not confuse lines", "workspace = \"\"\"\n[sync]\nx\n\"\"\"\n[sync]\nconcurrency = 0\n", 6, "sync.concurrency", "≥ 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseEnv([]byte(tt.file), "config.toml", linuxEnv(nil))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error = %v, want *Error", err)
			}
			if ce.Line != tt.line || ce.Key != tt.key || !strings.Contains(ce.Msg, tt.msgPart) {
				t.Errorf("got line %d key %q msg %q; want line %d key %q msg containing %q", ce.Line, ce.Key, ce.Msg, tt.line, tt.key, tt.msgPart)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{Path: "config.toml", Line: 12, Key: "sync.concurrency", Msg: "must be ≥ 1"}, "config.toml:12: [sync] concurrency: must be ≥ 1"},
		{Error{Path: "c.toml", Line: 3, Key: "account.key_id", Msg: "m"}, "c.toml:3: [[account]] key_id: m"},
		{Error{Path: "c.toml", Line: 1, Key: "workspace", Msg: "m"}, "c.toml:1: workspace: m"},
		{Error{Path: "c.toml", Msg: "m"}, "c.toml: m"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte("workspace = \"apps\"\n[sync]\nconcurrency = 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Workspace != filepath.Join(dir, "apps") || cfg.Sync.Concurrency != 2 {
		t.Errorf("Load: workspace %q concurrency %d", cfg.Workspace, cfg.Sync.Concurrency)
	}

	_, err = Load(filepath.Join(dir, "missing.toml"))
	var ce *Error
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &ce) || ce.Path != filepath.Join(dir, "missing.toml") {
		t.Errorf("Load(missing) = %v, want *Error wrapping fs.ErrNotExist naming the path", err)
	}
	if !strings.Contains(err.Error(), "storesyncer init") {
		t.Errorf("Load(missing) = %q, want a hint to run init", err)
	}
}

func TestAPIOffLoopbackWithTLS(t *testing.T) {
	cfg, err := parseEnv([]byte("[api]\nlisten = \"0.0.0.0:7420\"\ntls_generate = true\npublic_names = [\"mac.example\", \"192.168.1.2\"]\n"), "config.toml", linuxEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.API.TLS() || cfg.API.Listen != "0.0.0.0:7420" || len(cfg.API.PublicNames) != 2 {
		t.Fatalf("api = %+v", cfg.API)
	}
	if cert, key := cfg.API.TLSFiles("/state"); cert != "/state/api-tls.crt" || key != "/state/api-tls.key" {
		t.Errorf("generated files = %s, %s", cert, key)
	}
}
