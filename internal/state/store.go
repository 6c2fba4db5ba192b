// Package state is StoreSyncer's persistent state in SQLite: bases, the job queue, upload
// reservations, the file-hash cache, history, events and small settings, owned by one process per state dir
// (others may read it beside the owner with OpenReadOnly).
package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// DBFile and LockFile are the names of the database and the lock inside the state dir.
const (
	DBFile   = "state.db"
	LockFile = "lock"
)

// ErrNotFound is wrapped when a job, upload or row does not exist.
var ErrNotFound = errors.New("not found")

// Options configures Open. The zero value works: real time and no logging.
type Options struct {
	// Now is the clock for timestamps; nil means time.Now.
	Now func() time.Time
	// Logger receives migration notes; nil discards them.
	Logger *slog.Logger
}

// Store is an open state dir: the SQLite database and, when opened with Open, the lock that
// makes this process its only owner (OpenReadOnly reads beside the owner, without it). Its
// methods are safe for concurrent use; writes are serialized by SQLite. The zero value is
// not usable: call Open or OpenReadOnly, and Close when done.
type Store struct {
	db   *sql.DB
	lock *dirLock // nil when readOnly
	now  func() time.Time
	log  *slog.Logger
	dir  string
	// readOnly makes every write fail with ErrReadOnly (see writable).
	readOnly bool
}

// Open takes the lock of the state dir dir (creating the dir, mode 0700, or narrowing a wider
// one with a warning), opens <dir>/state.db in WAL mode and migrates it to the current
// schema. The database and its WAL and SHM files are 0600 whatever the umask. When another process
// holds the lock it returns a *LockedError, which wraps ErrLocked.
func Open(dir string, opts Options) (*Store, error) {
	if strings.ContainsAny(dir, "?#") {
		return nil, fmt.Errorf("open state dir %q: the path must not hold '?' or '#'", dir)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := narrowDir(dir, log); err != nil {
		return nil, fmt.Errorf("open state dir: %w", err)
	}
	lock, err := acquireLock(filepath.Join(dir, LockFile))
	if err != nil {
		return nil, err
	}
	s := &Store{lock: lock, now: opts.Now, log: log, dir: dir}
	if s.now == nil {
		s.now = time.Now
	}
	err = createDB(filepath.Join(dir, DBFile))
	if err == nil {
		err = narrowFiles(dir, s.log)
	}
	if err == nil {
		s.db, err = openDB(filepath.Join(dir, DBFile))
	}
	if err == nil {
		err = migrate(context.Background(), s.db, migrations, s.log)
	}
	if err == nil {
		// The WAL and SHM exist from the first write on (migrate wrote): check them too.
		err = narrowFiles(dir, s.log)
	}
	if err != nil {
		if s.db != nil {
			_ = s.db.Close()
		}
		_ = lock.release()
		return nil, fmt.Errorf("open state %s: %w", dir, err)
	}
	return s, nil
}

// openDB opens the database with the pragmas every connection needs. Transactions begin
// IMMEDIATE, so two writers wait for each other (busy_timeout) instead of failing when a
// read turns into a write.
func openDB(path string) (*sql.DB, error) {
	dsn := path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// Dir is the state dir.
func (s *Store) Dir() string { return s.dir }

// Close closes the database and releases the lock, if s holds it.
func (s *Store) Close() error {
	err := s.db.Close()
	if lerr := s.lock.release(); err == nil {
		err = lerr
	}
	return err
}

// tx runs fn in a write transaction, committing when it returns nil; on a read-only
// store it refuses to begin.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	if err := s.writable(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// ms is the storage form of a time: Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func (s *Store) nowMS() int64 { return ms(s.now()) }
