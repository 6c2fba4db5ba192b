package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Base returns the base of key (what StoreSyncer last saw on App Store Connect) for the
// app's target version: the text, or for a media set a JSON list of checksums in order.
func (s *Store) Base(ctx context.Context, app, versionID, key string) (string, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM bases WHERE app = ? AND version_id = ? AND key = ?`, app, versionID, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read base %s %s: %w", app, key, err)
	}
	return v, true, nil
}

// SetBase records the base of one key.
func (s *Store) SetBase(ctx context.Context, app, versionID, key, value string) error {
	return s.SetBases(ctx, app, versionID, map[string]string{key: value})
}

// SetBases records several bases in one transaction (all of a resource after a write, or a
// whole version after a pull).
func (s *Store) SetBases(ctx context.Context, app, versionID string, values map[string]string) error {
	now := s.nowMS()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO bases (app, version_id, key, value, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (app, version_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for k, v := range values {
			if _, err := stmt.ExecContext(ctx, app, versionID, k, v, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write bases of %s: %w", app, err)
	}
	return nil
}

// DeleteBase forgets the base of one key (the key was deleted on both sides).
func (s *Store) DeleteBase(ctx context.Context, app, versionID, key string) error {
	if _, err := s.exec(ctx, `DELETE FROM bases WHERE app = ? AND version_id = ? AND key = ?`, app, versionID, key); err != nil {
		return fmt.Errorf("delete base %s %s: %w", app, key, err)
	}
	return nil
}

// Bases returns every base of the app's target version, by key.
func (s *Store) Bases(ctx context.Context, app, versionID string) (map[string]string, error) {
	out := map[string]string{}
	return out, s.readBases(ctx, out, app, `SELECT key, value FROM bases WHERE app = ? AND version_id = ?`, app, versionID)
}

// LocaleBases returns the bases of the app's target version whose key belongs to one of
// locales (the part before the first "/"), by key: a plan of a few keys reads only their
// locales' rows.
func (s *Store) LocaleBases(ctx context.Context, app, versionID string, locales []string) (map[string]string, error) {
	out := map[string]string{}
	for _, l := range locales {
		// A key of locale l sorts from "l/" up to, not including, "l0" ('0' follows '/').
		err := s.readBases(ctx, out, app, `SELECT key, value FROM bases WHERE app = ? AND version_id = ? AND key >= ? AND key < ?`,
			app, versionID, l+"/", l+"0")
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readBases adds the key and value rows of app's bases that query returns to out.
func (s *Store) readBases(ctx context.Context, out map[string]string, app, query string, args ...any) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read bases of %s: %w", app, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return fmt.Errorf("read bases of %s: %w", app, err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read bases of %s: %w", app, err)
	}
	return nil
}

// DeleteBasesExcept drops the app's bases of every version but versionID, for
// re-baselining when the target version changes. It returns how many it dropped.
func (s *Store) DeleteBasesExcept(ctx context.Context, app, versionID string) (int64, error) {
	res, err := s.exec(ctx, `DELETE FROM bases WHERE app = ? AND version_id != ?`, app, versionID)
	if err != nil {
		return 0, fmt.Errorf("re-baseline %s: %w", app, err)
	}
	return res.RowsAffected()
}
