package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"
)

// Account is one App Store Connect API key: a team key (IssuerID set) or an individual
// key (Individual). Its private key stays on disk until LoadKey. It is a plain value, safe
// to copy and share; the zero value has no key to load.
type Account struct {
	Name string
	// IssuerID is the team key's issuer UUID; empty for an individual key.
	IssuerID   string
	Individual bool
	KeyID      string
	// PrivateKeyPath is the absolute path of the .p8 file.
	PrivateKeyPath string
	// APIBaseURL replaces https://api.appstoreconnect.apple.com (tests and the simulator);
	// empty for Apple. It has no trailing slash.
	APIBaseURL string
	// RateWindow is the rolling window of the key's request budget: zero for Apple's hour,
	// shorter only for a simulator on loopback started with --rate-limit N/DURATION.
	RateWindow time.Duration
}

// LoadKey reads the account's .p8 private key. Errors name the file and never hold its
// content. It checks that the file is PEM, not that the key is valid ES256.
func (a Account) LoadKey() ([]byte, error) {
	data, err := os.ReadFile(a.PrivateKeyPath)
	if err != nil {
		return nil, fmt.Errorf("read private key of account %q: %s: %s", a.Name, a.PrivateKeyPath, errorReason(err))
	}
	if !bytes.Contains(data, []byte("-----BEGIN ")) || !bytes.Contains(data, []byte("PRIVATE KEY-----")) {
		return nil, fmt.Errorf("private key of account %q: %s is not a PEM private key (expected the AuthKey_%s.p8 file App Store Connect gave you)", a.Name, a.PrivateKeyPath, a.KeyID)
	}
	return data, nil
}

// KeyFileMode returns the permission bits of the private key file, so doctor can ask for
// 0600.
func (a Account) KeyFileMode() (fs.FileMode, error) {
	fi, err := os.Stat(a.PrivateKeyPath)
	if err != nil {
		return 0, fmt.Errorf("stat private key of account %q: %s: %s", a.Name, a.PrivateKeyPath, errorReason(err))
	}
	return fi.Mode().Perm(), nil
}

// ErrNoAccount is wrapped by Config.Account when no account matches.
var ErrNoAccount = errors.New("no such account")

// Account returns the account called name. An empty name means "default", or the only
// account when there is exactly one. The error wraps ErrNoAccount and lists the names.
func (c *Config) Account(name string) (Account, error) {
	if name == "" {
		if len(c.Accounts) == 1 {
			return c.Accounts[0], nil
		}
		name = DefaultAccountName
	}
	for _, a := range c.Accounts {
		if a.Name == name {
			return a, nil
		}
	}
	if len(c.Accounts) == 0 {
		return Account{}, fmt.Errorf("account %q: %w: %s has no [[account]] (add one with issuer_id, key_id and private_key_path)", name, ErrNoAccount, c.pathOrDefault())
	}
	names := make([]string, len(c.Accounts))
	for i, a := range c.Accounts {
		names[i] = a.Name
	}
	sort.Strings(names)
	return Account{}, fmt.Errorf("account %q: %w in %s (accounts: %s)", name, ErrNoAccount, c.pathOrDefault(), strings.Join(names, ", "))
}

func (c *Config) pathOrDefault() string {
	if c.Path == "" {
		return "the config"
	}
	return c.Path
}
