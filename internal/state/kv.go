package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Well-known settings keys.
const (
	// KeyPaused is "true" while syncing is paused.
	KeyPaused = "paused"
	// KeyLastRemotePoll is the RFC 3339 time of the last remote poll.
	KeyLastRemotePoll = "last_remote_poll"
)

// KeyLastSync is the settings key of the RFC 3339 time of app's last sync.
func KeyLastSync(app string) string { return "last_sync/" + app }

// Setting returns a small setting and whether it is set.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM kv WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, true, nil
}

// SetSetting stores a small setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.exec(ctx, `INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, s.nowMS())
	if err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}

// DeleteSetting removes a setting.
func (s *Store) DeleteSetting(ctx context.Context, key string) error {
	if _, err := s.exec(ctx, `DELETE FROM kv WHERE key = ?`, key); err != nil {
		return fmt.Errorf("delete setting %s: %w", key, err)
	}
	return nil
}
