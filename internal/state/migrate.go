package state

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
)

// migrations are the schema steps; step i moves user_version from i to i+1. Never edit a
// released step: append a new one.
var migrations = []string{
	// 1: bases, jobs, history, events, kv.
	`CREATE TABLE bases (
		app        TEXT NOT NULL,
		version_id TEXT NOT NULL,
		key        TEXT NOT NULL,
		value      TEXT NOT NULL,
		updated_at INTEGER NOT NULL,
		PRIMARY KEY (app, version_id, key)
	) WITHOUT ROWID;
	CREATE TABLE jobs (
		id               INTEGER PRIMARY KEY,
		app              TEXT NOT NULL,
		resource         TEXT NOT NULL,
		keys             TEXT NOT NULL,
		intent           BLOB NOT NULL,
		intent_hash      TEXT NOT NULL,
		state            TEXT NOT NULL,
		attempts         INTEGER NOT NULL DEFAULT 0,
		next_attempt_at  INTEGER NOT NULL,
		last_error       TEXT NOT NULL DEFAULT '',
		held_reason      TEXT NOT NULL DEFAULT '',
		next_keys        TEXT,
		next_intent      BLOB,
		next_intent_hash TEXT,
		next_held_reason TEXT,
		created_at       INTEGER NOT NULL,
		updated_at       INTEGER NOT NULL,
		UNIQUE (app, resource)
	);
	CREATE INDEX jobs_due ON jobs (state, next_attempt_at);
	CREATE TABLE history (
		id        INTEGER PRIMARY KEY,
		time      INTEGER NOT NULL,
		app       TEXT NOT NULL,
		key       TEXT NOT NULL,
		action    TEXT NOT NULL,
		result    TEXT NOT NULL,
		detail    TEXT NOT NULL DEFAULT '',
		api_calls INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX history_app ON history (app, id);
	CREATE TABLE events (
		id   INTEGER PRIMARY KEY AUTOINCREMENT,
		time INTEGER NOT NULL,
		type TEXT NOT NULL,
		app  TEXT NOT NULL DEFAULT '',
		data TEXT NOT NULL DEFAULT '{}'
	);
	CREATE INDEX events_time ON events (time);
	CREATE TABLE kv (
		key        TEXT PRIMARY KEY,
		value      TEXT NOT NULL,
		updated_at INTEGER NOT NULL
	) WITHOUT ROWID;`,

	// 2: upload reservations, so a restarted daemon resumes or deletes an asset it reserved
	// instead of reserving a duplicate.
	`CREATE TABLE uploads (
		id           INTEGER PRIMARY KEY,
		job_id       INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
		app          TEXT NOT NULL,
		set_resource TEXT NOT NULL,
		asset_id     TEXT NOT NULL,
		file_md5     TEXT NOT NULL,
		file_name    TEXT NOT NULL,
		file_size    INTEGER NOT NULL DEFAULT 0,
		state        TEXT NOT NULL,
		created_at   INTEGER NOT NULL,
		updated_at   INTEGER NOT NULL,
		UNIQUE (asset_id)
	);
	CREATE INDEX uploads_set ON uploads (app, set_resource);
	CREATE INDEX uploads_job ON uploads (job_id);`,

	// 3: the file-hash cache, so neither a command nor a restarted daemon re-reads an
	// unchanged media file.
	`CREATE TABLE file_hashes (
		path       TEXT PRIMARY KEY,
		size       INTEGER NOT NULL,
		mtime_ns   INTEGER NOT NULL,
		ctime_ns   INTEGER NOT NULL,
		inode      INTEGER NOT NULL,
		md5        TEXT NOT NULL,
		facts      TEXT NOT NULL DEFAULT '{}',
		updated_at INTEGER NOT NULL
	) WITHOUT ROWID;`,

	// 4: team members per app, their invitations and tokens (only SHA-256 hashes of the
	// secrets), and who did each history row and event.
	`CREATE TABLE members (
		id           INTEGER PRIMARY KEY,
		app          TEXT NOT NULL,
		name         TEXT NOT NULL,
		email        TEXT NOT NULL DEFAULT '',
		role         TEXT NOT NULL,
		created_at   INTEGER NOT NULL,
		last_seen_at INTEGER NOT NULL DEFAULT 0,
		UNIQUE (app, name)
	);
	CREATE TABLE invitations (
		code_hash  TEXT PRIMARY KEY,
		app        TEXT NOT NULL,
		email      TEXT NOT NULL DEFAULT '',
		role       TEXT NOT NULL,
		invited_by TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL
	) WITHOUT ROWID;
	CREATE TABLE member_tokens (
		token_hash TEXT PRIMARY KEY,
		member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
		kind       TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL DEFAULT 0
	) WITHOUT ROWID;
	CREATE INDEX member_tokens_member ON member_tokens (member_id);
	ALTER TABLE history ADD COLUMN member TEXT NOT NULL DEFAULT '';
	ALTER TABLE events ADD COLUMN member TEXT NOT NULL DEFAULT '';`,

	// 5: who wrote a key through the dashboard, until its push names them in the history,
	// so a restart between the edit and the push does not lose the name.
	`CREATE TABLE edits (
		app       TEXT NOT NULL,
		key       TEXT NOT NULL,
		member    TEXT NOT NULL,
		edited_at INTEGER NOT NULL,
		PRIMARY KEY (app, key)
	) WITHOUT ROWID;`,
}

// migrate brings db from its PRAGMA user_version to len(steps), each step in its own
// transaction with the version bump, so a crash leaves a consistent schema. A database
// newer than this binary is refused.
func migrate(ctx context.Context, db *sql.DB, steps []string, log *slog.Logger) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(steps) {
		return fmt.Errorf("schema version %d is newer than this storesyncer knows (%d): upgrade storesyncer", version, len(steps))
	}
	for v := version; v < len(steps); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate to schema %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, steps[v]); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate to schema %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate to schema %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to schema %d: %w", v+1, err)
		}
		log.Debug("state schema migrated", "version", v+1)
	}
	return nil
}
