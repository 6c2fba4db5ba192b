package state

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
)

// Modes of the state at rest: the database holds every text base (the product page as it was
// last seen), so only its owner reads it, whatever the umask.
const (
	DirMode  fs.FileMode = 0o700
	FileMode fs.FileMode = 0o600
)

// dbFiles are the database and the files SQLite keeps beside it in WAL mode.
var dbFiles = []string{DBFile, DBFile + "-wal", DBFile + "-shm"}

// narrowDir creates dir with DirMode, or narrows an existing one that others can read or
// enter, with a warning: a pre-created 0755 dir would show the state files' names and sizes.
func narrowDir(dir string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, DirMode); err != nil {
		return err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		if err := os.Chmod(dir, DirMode); err != nil {
			return fmt.Errorf("narrow %s to %04o: %w", dir, DirMode, err)
		}
		log.Warn("state dir was open to others; narrowed it", "dir", dir, "was", fmt.Sprintf("%04o", perm), "now", fmt.Sprintf("%04o", DirMode))
	}
	return nil
}

// createDB makes the database file with FileMode before SQLite opens it, so its WAL and SHM
// (which SQLite creates with the database's mode) are private from the start.
func createDB(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, FileMode)
	if err != nil {
		return err
	}
	return f.Close()
}

// narrowFiles sets FileMode on the database files that exist and are wider, whatever made
// them (an older release, a umask, a copy).
func narrowFiles(dir string, log *slog.Logger) error {
	for _, name := range dbFiles {
		p := filepath.Join(dir, name)
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if perm := fi.Mode().Perm(); perm != FileMode && fi.Mode().IsRegular() {
			if err := os.Chmod(p, FileMode); err != nil {
				return fmt.Errorf("narrow %s to %04o: %w", p, FileMode, err)
			}
			if perm&0o077 != 0 {
				log.Warn("state file was readable by others; narrowed it", "file", p, "was", fmt.Sprintf("%04o", perm))
			}
		}
	}
	return nil
}

// CheckModes reports the state dir and database files of dir that others can read, one
// sentence each; none when all are private. doctor shows them.
func CheckModes(dir string) []string {
	var out []string
	if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm()&0o077 != 0 {
		out = append(out, fmt.Sprintf("%s has mode %04o: run chmod 700 %s (the daemon narrows it at start)", dir, fi.Mode().Perm(), dir))
	}
	for _, name := range dbFiles {
		p := filepath.Join(dir, name)
		if fi, err := os.Lstat(p); err == nil && fi.Mode().Perm()&0o077 != 0 {
			out = append(out, fmt.Sprintf("%s has mode %04o: run chmod 600 %s (it holds the product page's texts)", p, fi.Mode().Perm(), p))
		}
	}
	return out
}
