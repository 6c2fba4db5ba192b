package service

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
)

// HomeOf returns the home folder of the user named account, whom a system service runs as.
// When this machine has no such user it returns the usual home for that name on goos
// (/root or /var/root for root, /home/NAME or /Users/NAME otherwise) with an error.
func HomeOf(account, goos string) (string, error) {
	u, err := user.Lookup(account)
	if err == nil && u.HomeDir != "" {
		return u.HomeDir, nil
	}
	guess := filepath.Join("/home", account)
	switch {
	case account == "root" && goos == Darwin:
		guess = "/var/root"
	case account == "root":
		guess = "/root"
	case goos == Darwin:
		guess = filepath.Join("/Users", account)
	}
	var unknown user.UnknownUserError
	switch {
	case err == nil:
		err = fmt.Errorf("user %s has no home folder", account)
	case errors.As(err, &unknown):
		err = fmt.Errorf("no user %s on this machine", account)
	default:
		err = fmt.Errorf("user %s: %w", account, err)
	}
	return guess, err
}

// DefaultConfigPath is the config file StoreSyncer uses by default for a user whose home is
// home, on goos: the OS config dir's storesyncer/config.toml.
func DefaultConfigPath(goos, home string) string {
	if goos == Darwin {
		return filepath.Join(home, "Library", "Application Support", "storesyncer", "config.toml")
	}
	return filepath.Join(home, ".config", "storesyncer", "config.toml")
}

// MakeDirs creates the folders of paths that are missing, mode 0700, owned by the user named
// account (empty: the current user), so that a system service running as that user can
// write them under ProtectSystem=strict. Folders that exist are left as they are.
func MakeDirs(paths []string, account string) error {
	uid, gid := -1, -1
	if account != "" {
		u, err := user.Lookup(account)
		if err != nil {
			return fmt.Errorf("user %s: %w", account, err)
		}
		if uid, err = strconv.Atoi(u.Uid); err != nil {
			return fmt.Errorf("user %s: uid %q: %w", account, u.Uid, err)
		}
		if gid, err = strconv.Atoi(u.Gid); err != nil {
			return fmt.Errorf("user %s: gid %q: %w", account, u.Gid, err)
		}
	}
	for _, p := range paths {
		if err := makeDirOwned(filepath.Clean(p), uid, gid); err != nil {
			return err
		}
	}
	return nil
}

// makeDirOwned is os.MkdirAll that hands every folder it creates to uid:gid.
func makeDirOwned(dir string, uid, gid int) error {
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s is not a folder", dir)
		}
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := makeDirOwned(parent, uid, gid); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if uid >= 0 {
		if err := os.Chown(dir, uid, gid); err != nil {
			return fmt.Errorf("hand %s to the service user: %w", dir, err)
		}
	}
	return nil
}
