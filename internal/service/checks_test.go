package service

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestCheckScope(t *testing.T) {
	tests := []struct {
		name   string
		system bool
		euid   int
		want   error
	}{
		{"user as user", false, 501, nil},
		{"user as root", false, 0, ErrRootUserService},
		{"system as root", true, 0, nil},
		{"system as user", true, 1000, ErrNeedRoot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckScope(tt.system, tt.euid); !errors.Is(err, tt.want) {
				t.Errorf("CheckScope = %v, want %v", err, tt.want)
			}
		})
	}
	if !strings.Contains(ErrRootUserService.Error(), "use --system") {
		t.Errorf("root refusal %q does not point at --system", ErrRootUserService)
	}
}

func TestCheckExecutable(t *testing.T) {
	tmp := t.TempDir()
	stable := t.TempDir() // not a temporary folder for this test: only tmp is
	exe := filepath.Join(stable, "storesyncer")
	must(t, os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755))
	plain := filepath.Join(stable, "notes.txt")
	must(t, os.WriteFile(plain, []byte("x"), 0o644))
	inTmp := filepath.Join(tmp, "storesyncer")
	must(t, os.WriteFile(inTmp, []byte("#!/bin/sh\n"), 0o755))

	tests := []struct {
		name     string
		path     string
		wantTemp bool
		wantErr  string
	}{
		{"ok", exe, false, ""},
		{"go run build", filepath.Join(stable, "go-build123456", "b001", "exe", "storesyncer"), true, ""},
		{"temporary folder", inTmp, true, ""},
		{"not executable", plain, false, "not an executable file"},
		{"missing", filepath.Join(stable, "nope"), false, "no such file"},
		{"relative", "bin/storesyncer", false, "not an absolute path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckExecutable(tt.path, []string{tmp})
			var te *TemporaryExecutableError
			switch {
			case tt.wantTemp:
				if !errors.As(err, &te) {
					t.Fatalf("CheckExecutable = %v, want a TemporaryExecutableError", err)
				}
				if !strings.Contains(err.Error(), "go build -o ~/bin/storesyncer ./cmd/storesyncer") {
					t.Errorf("message %q lacks the build command", err)
				}
			case tt.wantErr == "":
				if err != nil {
					t.Fatalf("CheckExecutable = %v, want nil", err)
				}
			default:
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("CheckExecutable = %v, want it to contain %q", err, tt.wantErr)
				}
			}
		})
	}
}

func TestCheckConfigPath(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	must(t, os.WriteFile(cfg, []byte(""), 0o600))
	tests := []struct {
		name, path, want string
	}{
		{"ok", cfg, ""},
		{"relative", "config.toml", "must be absolute"},
		{"missing", filepath.Join(dir, "other.toml"), "does not exist: run storesyncer init first"},
		{"folder", dir, "is a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckConfigPath(tt.path)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckConfigPath = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("CheckConfigPath = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestCheckReadable(t *testing.T) {
	eperm := func(string) ([]os.DirEntry, error) {
		return nil, &fs.PathError{Op: "open", Path: "x", Err: syscall.EPERM}
	}
	tests := []struct {
		name       string
		goos, path string
		readDir    func(string) ([]os.DirEntry, error)
		wantFolder string // "" with wantPrivacy: a protected place outside the three folders
		privacy    bool
		wantErr    string
	}{
		{"documents on macOS", Darwin, "/Users/me/Documents/StoreSyncer", eperm, "~/Documents", true, "move the workspace out of ~/Documents"},
		{"desktop on macOS", Darwin, "/Users/me/Desktop", eperm, "~/Desktop", true, "grant Full Disk Access to /usr/local/bin/storesyncer"},
		{"removable volume on macOS", Darwin, "/Volumes/USB/ws", eperm, "", true, "outside ~/Documents, ~/Desktop and ~/Downloads"},
		{"EPERM on Linux is no privacy matter", Linux, "/home/me/ws", eperm, "", false, "read workspace /home/me/ws"},
		{"missing", Darwin, "/Users/me/nope", os.ReadDir, "", false, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkReadable(tt.path, tt.goos, "/Users/me", "/usr/local/bin/storesyncer", tt.readDir)
			var pe *PrivacyError
			if errors.As(err, &pe) != tt.privacy {
				t.Fatalf("checkReadable = %v (%T), privacy error wanted: %v", err, err, tt.privacy)
			}
			if tt.privacy && pe.Folder != tt.wantFolder {
				t.Errorf("Folder = %q, want %q", pe.Folder, tt.wantFolder)
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
	if err := CheckReadable(t.TempDir()); err != nil {
		t.Errorf("CheckReadable(a readable folder) = %v", err)
	}
}

func TestUnitPath(t *testing.T) {
	tests := map[string]string{
		UnitPath(Linux, false, "/home/me"):   "/home/me/.config/systemd/user/storesyncer.service",
		UnitPath(Linux, true, "/root"):       "/etc/systemd/system/storesyncer.service",
		UnitPath(Darwin, false, "/Users/me"): "/Users/me/Library/LaunchAgents/com.storesyncer.agent.plist",
		UnitPath(Darwin, true, "/var/root"):  "/Library/LaunchDaemons/com.storesyncer.daemon.plist",
	}
	for got, want := range tests {
		if got != want {
			t.Errorf("UnitPath = %s, want %s", got, want)
		}
	}
}
