package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// NoteEdits records that member wrote keys of app (through the dashboard), replacing whoever
// wrote them before. On a read-only store it fails with ErrReadOnly.
func (s *Store) NoteEdits(ctx context.Context, app string, keys []string, member string) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO edits (app, key, member, edited_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (app, key) DO UPDATE SET member = excluded.member, edited_at = excluded.edited_at`)
		if err != nil {
			return err
		}
		defer ins.Close()
		now := s.nowMS()
		for _, k := range keys {
			if _, err := ins.ExecContext(ctx, app, k, member, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record edits of %s: %w", app, err)
	}
	return nil
}

// Editor returns the member who wrote every one of keys of app ("" when some key has no such
// record, or another member's), and asOf, the time of the newest of those records, for
// ForgetEdits.
func (s *Store) Editor(ctx context.Context, app string, keys []string) (name string, asOf int64, err error) {
	for i, k := range keys {
		var m string
		var at int64
		err := s.db.QueryRowContext(ctx, `SELECT member, edited_at FROM edits WHERE app = ? AND key = ?`, app, k).Scan(&m, &at)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", 0, fmt.Errorf("read edits of %s: %w", app, err)
		}
		asOf = max(asOf, at)
		switch {
		case i == 0:
			name = m
		case m != name:
			name = ""
		}
	}
	return name, asOf, nil
}

// ForgetEdits deletes the records of keys of app made up to asOf (Editor's): their push is
// done, and an edit made since waits for its own. On a read-only store it fails with
// ErrReadOnly.
func (s *Store) ForgetEdits(ctx context.Context, app string, keys []string, asOf int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `DELETE FROM edits WHERE app = ? AND key = ? AND edited_at <= ?`, app, k, asOf); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("forget edits of %s: %w", app, err)
	}
	return nil
}
