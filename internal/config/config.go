// Package config loads and validates StoreSyncer's TOML config file (DESIGN.md §4).
package config

import "time"

// Config is StoreSyncer's configuration: the workspace, daemon settings and App Store
// Connect accounts. Load and Parse return it with every default filled in and every path
// absolute. The zero value is not useful: start from Default. A Config is not modified by
// this package after it is returned, so it is safe to share between goroutines read-only.
type Config struct {
	// Workspace is the folder that holds one folder per app (<workspace>/<bundle id>/).
	Workspace string
	// Path is the config file the values came from; empty for Default.
	Path       string
	Daemon     Daemon
	API        API
	Watch      Watch
	Sync       Sync
	Collection Collection
	Accounts   []Account
}

// Daemon holds the [daemon] table.
type Daemon struct {
	// StateDir holds the SQLite state, the lock file and the API token. Local disk only.
	StateDir string
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// LogFormat is "text", "json", or "" for automatic (text on a terminal, JSON
	// otherwise). The file spells automatic as "auto" or leaves the key out.
	LogFormat string
}

// API holds the [api] table: the status API, on loopback unless TLS is on.
type API struct {
	// Listen is host:port: a loopback one, or any with TLS.
	Listen string
	// TokenFile holds the bearer token for /api/v1/ (created 0600 by the daemon).
	TokenFile string
	// MetricsAuth makes /metrics require the token too.
	MetricsAuth bool
	// TLSCert and TLSKey are the API's certificate and key (PEM). With TLSGenerate and no
	// files, the daemon makes a self-signed pair in the state dir (api-tls.crt, api-tls.key).
	TLSCert, TLSKey string
	TLSGenerate     bool
	// PublicNames are the names the API is called by from other machines; the Host check
	// accepts them, and invitations use the first.
	PublicNames []string
}

// TLS reports whether the API serves HTTPS.
func (a API) TLS() bool { return a.TLSGenerate || a.TLSCert != "" }

// TLSFiles returns the certificate and key files, the generated ones in stateDir when the
// config names none.
func (a API) TLSFiles(stateDir string) (cert, key string) {
	if a.TLSCert != "" {
		return a.TLSCert, a.TLSKey
	}
	return joinPath(stateDir, "api-tls.crt"), joinPath(stateDir, "api-tls.key")
}

// Watch holds the [watch] table: the watcher's debounce timings.
type Watch struct {
	// QuietPeriod is how long a path must be quiet before it is flushed.
	QuietPeriod time.Duration
	// MaxWait flushes a path that keeps changing this long after its first event.
	MaxWait time.Duration
	// DeleteDelay is how long a delete waits (a rename-save is not a delete).
	DeleteDelay time.Duration
	// RescanInterval is the period of the full rescan that backs up fsnotify.
	RescanInterval time.Duration
}

// Sync holds the [sync] table.
type Sync struct {
	// Auto pushes local changes without asking.
	Auto bool
	// Concurrency is the number of sync workers (≥ 1).
	Concurrency int
	// RemotePollInterval is how often App Store Connect is read for web-UI changes.
	RemotePollInterval time.Duration
	// EditInReview lets texts (never media) go to a version WAITING_FOR_REVIEW.
	EditInReview bool
	// ApproveOver is the number of operations above which a change waits for approval,
	// even with Auto. Zero makes every change wait.
	ApproveOver int
}

// Collection holds the [collection] table: additions to the template layout's built-in
// lists, for locales and display types Apple adds before StoreSyncer knows them, and the
// warnings a team has chosen not to see.
type Collection struct {
	ExtraLocales      []string
	ExtraDisplayTypes []string
	// Quiet lists warning codes (keyword.bytes, …) that validate, plan, push and the daemon
	// do not report; an error code here is a config error.
	Quiet []string
}

// Default values, as documented in config.example.toml.
const (
	DefaultListen             = "127.0.0.1:7420"
	DefaultLogLevel           = "info"
	DefaultQuietPeriod        = 2 * time.Second
	DefaultMaxWait            = 30 * time.Second
	DefaultDeleteDelay        = 10 * time.Second
	DefaultRescanInterval     = time.Hour
	DefaultConcurrency        = 4
	DefaultRemotePollInterval = 10 * time.Minute
	DefaultApproveOver        = 20
	DefaultAccountName        = "default"
	// TokenFileName is the token file's name inside the state dir.
	TokenFileName = "api-token"
)

// Default returns the configuration used when the file sets nothing: the workspace
// ~/StoreSyncer, the OS state dir, and no accounts.
func Default() *Config {
	return defaultsFor(currentEnv())
}

func defaultsFor(e env) *Config {
	stateDir := e.stateDir()
	return &Config{
		Workspace: joinHome(e.home, "StoreSyncer"),
		Daemon:    Daemon{StateDir: stateDir, LogLevel: DefaultLogLevel},
		API:       API{Listen: DefaultListen, TokenFile: joinPath(stateDir, TokenFileName)},
		Watch: Watch{
			QuietPeriod:    DefaultQuietPeriod,
			MaxWait:        DefaultMaxWait,
			DeleteDelay:    DefaultDeleteDelay,
			RescanInterval: DefaultRescanInterval,
		},
		Sync: Sync{
			Auto:               true,
			Concurrency:        DefaultConcurrency,
			RemotePollInterval: DefaultRemotePollInterval,
			ApproveOver:        DefaultApproveOver,
		},
	}
}
