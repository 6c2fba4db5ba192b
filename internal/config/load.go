package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// fileConfig is the file's shape. Pointers tell a key that is absent (default) from one
// set to its zero value (which may be an error).
type fileConfig struct {
	Workspace  *string        `toml:"workspace"`
	Daemon     fileDaemon     `toml:"daemon"`
	API        fileAPI        `toml:"api"`
	Watch      fileWatch      `toml:"watch"`
	Sync       fileSync       `toml:"sync"`
	Collection fileCollection `toml:"collection"`
	Accounts   []fileAccount  `toml:"account"`
}

type fileDaemon struct {
	StateDir  *string `toml:"state_dir"`
	LogLevel  *string `toml:"log_level"`
	LogFormat *string `toml:"log_format"`
}

type fileAPI struct {
	Listen      *string  `toml:"listen"`
	TokenFile   *string  `toml:"token_file"`
	MetricsAuth *bool    `toml:"metrics_auth"`
	TLSCert     *string  `toml:"tls_cert"`
	TLSKey      *string  `toml:"tls_key"`
	TLSGenerate *bool    `toml:"tls_generate"`
	PublicNames []string `toml:"public_names"`
}

type fileWatch struct {
	QuietPeriod    *string `toml:"quiet_period"`
	MaxWait        *string `toml:"max_wait"`
	DeleteDelay    *string `toml:"delete_delay"`
	RescanInterval *string `toml:"rescan_interval"`
}

type fileSync struct {
	Auto               *bool   `toml:"auto"`
	Concurrency        *int    `toml:"concurrency"`
	RemotePollInterval *string `toml:"remote_poll_interval"`
	EditInReview       *bool   `toml:"edit_in_review"`
	ApproveOver        *int    `toml:"approve_over"`
}

type fileCollection struct {
	ExtraLocales      []string `toml:"extra_locales"`
	ExtraDisplayTypes []string `toml:"extra_display_types"`
	Quiet             []string `toml:"quiet"`
}

type fileAccount struct {
	Name           *string `toml:"name"`
	IssuerID       *string `toml:"issuer_id"`
	Individual     *bool   `toml:"individual"`
	KeyID          *string `toml:"key_id"`
	PrivateKeyPath *string `toml:"private_key_path"`
	APIBaseURL     *string `toml:"api_base_url"`
	RateWindow     *string `toml:"rate_window"`
}

// Load reads and validates the config file at path. A missing file is an *Error with
// Line 0 that wraps fs.ErrNotExist (check with errors.Is); every other problem in the file
// is an *Error naming its line and key. Key files are not opened.
func Load(path string) (*Config, error) { return loadEnv(path, currentEnv()) }

// LoadFor is Load for a service that runs as another user: a leading ~ and the defaults
// (workspace, state dir) come from that user's home folder home on goos, never from this
// process's HOME or XDG variables.
func LoadFor(path, goos, home string) (*Config, error) {
	return loadEnv(path, userEnv(goos, home))
}

// DefaultFor is Default for another user (see LoadFor).
func DefaultFor(goos, home string) *Config { return defaultsFor(userEnv(goos, home)) }

func userEnv(goos, home string) env {
	return env{goos: goos, home: home, getenv: func(string) string { return "" }}
}

func loadEnv(path string, e env) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		msg := "cannot read the config file: " + errorReason(err)
		if errors.Is(err, fs.ErrNotExist) {
			msg = "no config file here (run `storesyncer init` to write one)"
		}
		return nil, &Error{Path: path, Msg: msg, err: err}
	}
	return parseEnv(data, path, e)
}

// errorReason is an OS error without the path it repeats.
func errorReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Parse validates the TOML in data. path names the file in errors, and relative paths in
// the file are resolved against its folder (the working directory when path is empty).
func Parse(data []byte, path string) (*Config, error) {
	return parseEnv(data, path, currentEnv())
}

func parseEnv(data []byte, path string, e env) (*Config, error) {
	var f fileConfig
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return nil, syntaxError(path, err)
	}
	base, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("cannot resolve the config file's folder: %v", err)}
	}
	p := &parser{path: path, lines: scanKeyLines(data), base: base, home: e.home}
	if err := p.unknownKeys(md); err != nil {
		return nil, err
	}
	cfg := defaultsFor(e)
	cfg.Path = path
	if err := p.apply(&f, cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// syntaxError turns a toml error (bad syntax or a value of the wrong type) into *Error.
func syntaxError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.Usage != "" {
			msg += " (" + strings.TrimSpace(strings.SplitN(pe.Usage, "\n", 2)[0]) + ")"
		}
		return &Error{Path: path, Line: pe.Position.Line, Key: pe.LastKey, Msg: msg}
	}
	if m := typeErrorPattern.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Path: path, Line: line, Key: m[2], Msg: fmt.Sprintf("expected %s, got %s", tomlTypeName(m[4]), tomlTypeName(m[3]))}
	}
	return &Error{Path: path, Msg: strings.TrimPrefix(err.Error(), "toml: ")}
}

// typeErrorPattern matches BurntSushi/toml's message for a value of the wrong type, which
// is a plain error, not a ParseError.
var typeErrorPattern = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]+)"\): incompatible types: TOML value has type (\S+); destination has type (\S+)$`)

// tomlTypeName says a Go or TOML type name the way the config's reader thinks of it.
func tomlTypeName(t string) string {
	switch {
	case strings.HasPrefix(t, "int"):
		return "a whole number"
	case t == "string":
		return "a string in quotes"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case t == "slice" || strings.HasPrefix(t, "[]"):
		return "a list [ … ]"
	case strings.HasPrefix(t, "map"):
		return "a table"
	}
	return t
}

// parser carries what every check needs to name a line and resolve a path.
type parser struct {
	path  string
	lines keyLines
	base  string
	home  string
}

// errAt reports a bad value of key (in [[account]] entry index, or -1).
func (p *parser) errAt(key string, index int, format string, args ...any) *Error {
	return &Error{Path: p.path, Line: p.lines.line(key, index), Key: key, Msg: fmt.Sprintf(format, args...)}
}

// unknownKeys reports the first key (in file order) that Config has no field for. A key
// under an unknown table is reported as the table.
func (p *parser) unknownKeys(md toml.MetaData) error {
	undecoded := md.Undecoded()
	if len(undecoded) == 0 {
		return nil
	}
	seen := map[string]bool{}
	for _, k := range undecoded {
		seen[k.String()] = true
	}
	for _, k := range undecoded {
		if len(k) > 1 && seen[k[:len(k)-1].String()] {
			continue // its table is unknown too: report the table
		}
		key := k.String()
		index := -1
		if k[0] == "account" {
			index = anyIndex
		}
		return p.errAt(key, index, "unknown key (see config.example.toml for the keys StoreSyncer knows)")
	}
	return nil
}
