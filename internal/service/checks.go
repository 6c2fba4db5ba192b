package service

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrRootUserService is returned when a per-user service is installed as root: it would be
// root's own service (sudo keeps HOME pointing at root's home), which is never what is meant.
var ErrRootUserService = errors.New("a per-user service cannot be installed or managed as root: run without sudo, or use --system for a system service")

// ErrNeedRoot is returned when a system service is managed without root.
var ErrNeedRoot = errors.New("a system service (--system) needs root: run with sudo")

// TemporaryExecutableError reports an executable in a temporary folder — `go run` builds
// into one — which would vanish under the installed service.
type TemporaryExecutableError struct{ Path string }

// Error says why and how to build a stable executable.
func (e *TemporaryExecutableError) Error() string {
	return fmt.Sprintf("%s is in a temporary folder (go run builds there), so the service would lose it; build it first: go build -o ~/bin/storesyncer ./cmd/storesyncer, then run ~/bin/storesyncer service install", e.Path)
}

// CheckScope refuses a per-user service for root and a system service for anyone else;
// euid is os.Geteuid().
func CheckScope(system bool, euid int) error {
	switch {
	case !system && euid == 0:
		return ErrRootUserService
	case system && euid != 0:
		return ErrNeedRoot
	}
	return nil
}

// CheckExecutable checks that path is an absolute, executable regular file outside the
// temporary folders tmpDirs (os.TempDir() and /tmp when nil); it returns a
// *TemporaryExecutableError for one inside them.
func CheckExecutable(path string, tmpDirs []string) error {
	if !filepath.IsAbs(path) {
		return fmt.Errorf("executable %q is not an absolute path", path)
	}
	if tmpDirs == nil {
		tmpDirs = []string{os.TempDir(), "/tmp", "/private/tmp", "/var/folders"}
	}
	clean := filepath.Clean(path)
	for _, d := range tmpDirs {
		if d == "" {
			continue
		}
		d = filepath.Clean(d)
		if strings.HasPrefix(clean, d+string(filepath.Separator)) {
			return &TemporaryExecutableError{Path: path}
		}
	}
	if strings.Contains(clean, string(filepath.Separator)+"go-build") {
		return &TemporaryExecutableError{Path: path}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("executable: %w", err)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("executable %s is not an executable file", path)
	}
	return nil
}

// CheckConfigPath checks that path is absolute and names an existing file: the service
// reads it with no working directory and no shell to resolve anything.
func CheckConfigPath(path string) error {
	if !filepath.IsAbs(path) {
		return fmt.Errorf("config path %q must be absolute for a service (pass --config /full/path/config.toml)", path)
	}
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("config %s does not exist: run storesyncer init first, or pass --config", path)
		}
		return fmt.Errorf("config: %w", err)
	}
	if fi.IsDir() {
		return fmt.Errorf("config %s is a folder, not a file", path)
	}
	return nil
}
