package state

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable test clock, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openStore(t testing.TB, dir string, c *clock) *Store {
	t.Helper()
	s, err := Open(dir, Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestOpenSchemaAndPragmas(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	s := openStore(t, dir, newClock())
	var version int
	var mode string
	var fk int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if version != len(migrations) || mode != "wal" || fk != 1 {
		t.Errorf("user_version %d journal_mode %q foreign_keys %d; want %d, wal, 1", version, mode, fk, len(migrations))
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("state dir mode = %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	if _, err := os.Stat(filepath.Join(dir, DBFile)); err != nil {
		t.Errorf("no %s: %v", DBFile, err)
	}
}

func TestMigrationFromV1(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// Build a version-1 database as an older storesyncer left it.
	db, err := openDB(filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, migrations[:1], discard()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO jobs (app, resource, keys, intent, intent_hash, state, next_attempt_at, created_at, updated_at)
		VALUES ('com.a', 'ja/screenshot/APP_IPHONE_67', '["ja/screenshot/APP_IPHONE_67"]', x'7b7d', 'h1', 'pending', 0, 0, 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO bases VALUES ('com.a', 'v1', 'ja/name', 'Name', 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s := openStore(t, dir, newClock())
	var version int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != len(migrations) {
		t.Fatalf("user_version after upgrade = %d, %v; want %d", version, err, len(migrations))
	}
	if v, ok, err := s.Base(ctx, "com.a", "v1", "ja/name"); err != nil || !ok || v != "Name" {
		t.Errorf("base after upgrade = %q %v %v", v, ok, err)
	}
	jobs, err := s.Jobs(ctx, JobFilter{})
	if err != nil || len(jobs) != 1 {
		t.Fatalf("jobs after upgrade = %v, %v", jobs, err)
	}
	// The table step 2 added works and references the old job.
	if _, err := s.AddUpload(ctx, Upload{JobID: jobs[0].ID, App: "com.a", SetResource: jobs[0].Resource, AssetID: "as1", FileMD5: "m", FileName: "1.png"}); err != nil {
		t.Fatalf("AddUpload after upgrade: %v", err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	db, err := openDB(filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "newer than this storesyncer") {
		t.Fatalf("Open(newer schema) = %v", err)
	}
	// The failed Open released the lock.
	s, err := acquireLock(filepath.Join(dir, LockFile))
	if err != nil {
		t.Fatalf("lock still held after a failed Open: %v", err)
	}
	s.release()
}

func TestLockContention(t *testing.T) {
	dir := t.TempDir()
	first, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir, Options{})
	var le *LockedError
	if !errors.Is(err, ErrLocked) || !errors.As(err, &le) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	if le.PID != os.Getpid() || le.Dir != dir {
		t.Errorf("LockedError = %+v, want pid %d dir %s", le, os.Getpid(), dir)
	}
	if !strings.Contains(err.Error(), "in use by process") {
		t.Errorf("message %q does not name the holder", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open after Close = %v", err)
	}
	second.Close()
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
