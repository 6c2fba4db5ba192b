package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrReadOnly is wrapped by every write on a Store opened with OpenReadOnly.
var ErrReadOnly = errors.New("state is open read-only")

// ErrNoState is wrapped by OpenReadOnly when the state dir holds no database yet.
var ErrNoState = errors.New("no state yet")

// OpenReadOnly opens the state dir dir for reading, beside the process that owns it (a
// running daemon): it takes no lock and opens <dir>/state.db read-only. The database is
// in WAL mode, so reads see the owner's last committed transaction and neither side waits
// for the other. It never creates or migrates anything: a missing database wraps
// ErrNoState, and a schema other than this binary's is an error. Every write method of the
// returned Store fails with an error wrapping ErrReadOnly before it reaches SQLite.
func OpenReadOnly(dir string, opts Options) (*Store, error) {
	if strings.ContainsAny(dir, "?#") {
		return nil, fmt.Errorf("open state dir %q: the path must not hold '?' or '#'", dir)
	}
	path := filepath.Join(dir, DBFile)
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w in %s: run `storesyncer apps add` first", ErrNoState, dir)
		}
		return nil, fmt.Errorf("open state %s read-only: %w", dir, err)
	}
	s := &Store{now: opts.Now, log: opts.Logger, dir: dir, readOnly: true}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	db, err := openReadOnlyDB(path)
	if err == nil {
		err = checkSchema(context.Background(), db, len(migrations))
	}
	if err != nil {
		if db != nil {
			_ = db.Close()
		}
		return nil, fmt.Errorf("open state %s read-only: %w", dir, err)
	}
	s.db = db
	return s, nil
}

// openReadOnlyDB opens path as a read-only SQLite URI. The busy timeout covers the moments
// a reader must wait, such as while the owner checkpoints the WAL.
func openReadOnlyDB(path string) (*sql.DB, error) {
	// In a URI '%' starts an escape; '?' and '#' are refused by the caller. A Windows
	// drive path becomes file:/C:/…, which SQLite reads as C:\….
	uri := filepath.ToSlash(strings.ReplaceAll(path, "%", "%25"))
	if filepath.VolumeName(path) != "" {
		uri = "/" + uri
	}
	uri = "file:" + uri
	db, err := sql.Open("sqlite", uri+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// checkSchema refuses a database whose schema version is not want: a read-only store
// cannot migrate, and queries against another schema would fail obscurely.
func checkSchema(ctx context.Context, db *sql.DB, want int) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case version > want:
		return fmt.Errorf("schema version %d is newer than this storesyncer knows (%d): upgrade storesyncer", version, want)
	case version < want:
		return fmt.Errorf("schema version %d is older than this storesyncer's (%d): it is migrated when the state dir is opened for writing (restart the daemon with this storesyncer)", version, want)
	}
	return nil
}

// ReadOnly reports whether s was opened with OpenReadOnly.
func (s *Store) ReadOnly() bool { return s.readOnly }

// writable returns nil, or on a read-only store an error wrapping ErrReadOnly.
func (s *Store) writable() error {
	if s.readOnly {
		return fmt.Errorf("state dir %s: %w", s.dir, ErrReadOnly)
	}
	return nil
}

// exec runs a statement that writes, refusing it on a read-only store.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := s.writable(); err != nil {
		return nil, err
	}
	return s.db.ExecContext(ctx, query, args...)
}
