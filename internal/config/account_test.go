package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAccountLookup(t *testing.T) {
	two := &Config{Path: "c.toml", Accounts: []Account{{Name: "default"}, {Name: "work"}}}
	one := &Config{Accounts: []Account{{Name: "solo"}}}
	tests := []struct {
		name    string
		cfg     *Config
		lookup  string
		want    string
		wantErr string
	}{
		{"named", two, "work", "work", ""},
		{"empty means default", two, "", "default", ""},
		{"empty means the only one", one, "", "solo", ""},
		{"unknown lists names", two, "home", "", "accounts: default, work"},
		{"none configured", &Config{}, "", "", "has no [[account]]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := tt.cfg.Account(tt.lookup)
			if tt.wantErr != "" {
				if !errors.Is(err, ErrNoAccount) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Account(%q) error = %v, want ErrNoAccount containing %q", tt.lookup, err, tt.wantErr)
				}
				return
			}
			if err != nil || a.Name != tt.want {
				t.Fatalf("Account(%q) = %q, %v; want %q", tt.lookup, a.Name, err, tt.want)
			}
		})
	}
}

func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	const pem = "-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----\n"
	const secret = "NOT-A-PEM-BUT-SECRET-BYTES"
	write := func(name, content string, mode os.FileMode) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.p8", pem, 0o600)
	bad := write("bad.p8", secret, 0o644)
	tests := []struct {
		name     string
		path     string
		wantErr  string
		wantMode fs.FileMode
	}{
		{"pem", good, "", 0o600},
		{"not pem", bad, "is not a PEM private key", 0o644},
		{"missing", filepath.Join(dir, "none.p8"), "no such file", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Account{Name: "default", KeyID: "K", PrivateKeyPath: tt.path}
			data, err := a.LoadKey()
			if tt.wantErr == "" {
				if err != nil || string(data) != pem {
					t.Fatalf("LoadKey() = %q, %v", data, err)
				}
			} else {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), tt.path) {
					t.Fatalf("LoadKey() error = %v, want one containing %q and the path", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("LoadKey() error echoes the key file's content: %v", err)
				}
			}
			mode, err := a.KeyFileMode()
			if tt.wantMode == 0 {
				if err == nil {
					t.Fatal("KeyFileMode() of a missing file: no error")
				}
				return
			}
			if err != nil || mode != tt.wantMode {
				t.Errorf("KeyFileMode() = %o, %v; want %o", mode, err, tt.wantMode)
			}
		})
	}
}
