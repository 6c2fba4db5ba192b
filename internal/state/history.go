package state

import (
	"context"
	"fmt"
	"time"
)

// HistoryEntry is one row of the append-only sync history: what was done to a key and how
// it went. It is a plain value.
type HistoryEntry struct {
	ID   int64     `json:"id"`
	Time time.Time `json:"time"`
	App  string    `json:"app"`
	Key  string    `json:"key"`
	// Action is what was done: "push", "pull", "create", "delete", "reorder", "resolve", …
	Action string `json:"action"`
	// Result is "ok", "failed", "conflict", …
	Result string `json:"result"`
	Detail string `json:"detail,omitempty"`
	// APICalls counts App Store Connect API calls (upload traffic excluded).
	APICalls int `json:"api_calls"`
	// Member is who did it: a team member's name, "local" for the user running the daemon
	// (edits saved in the folder) and "web" for changes found on App Store Connect.
	Member string `json:"member,omitempty"`
}

// AddHistory appends e (its ID and, when zero, its Time are set here) and returns its ID.
func (s *Store) AddHistory(ctx context.Context, e HistoryEntry) (int64, error) {
	t := ms(e.Time)
	if e.Time.IsZero() {
		t = s.nowMS()
	}
	res, err := s.exec(ctx, `INSERT INTO history (time, app, key, action, result, detail, api_calls, member) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t, e.App, e.Key, e.Action, e.Result, e.Detail, e.APICalls, e.Member)
	if err != nil {
		return 0, fmt.Errorf("add history %s %s: %w", e.App, e.Key, err)
	}
	return res.LastInsertId()
}

// History returns up to limit entries of app ("" for every app), newest first, older than
// beforeID (0 to start from the newest): pass the last ID of a page to get the next.
func (s *Store) History(ctx context.Context, app string, limit int, beforeID int64) ([]HistoryEntry, error) {
	return s.HistoryOf(ctx, HistoryFilter{App: app}, limit, beforeID)
}

// HistoryFilter selects history rows; its zero value selects all.
type HistoryFilter struct {
	// App keeps the rows of one app.
	App string
	// Member keeps the rows one member did ("local", "web" or a member's name).
	Member string
}

// HistoryOf is History with a filter.
func (s *Store) HistoryOf(ctx context.Context, f HistoryFilter, limit int, beforeID int64) ([]HistoryEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	q := `SELECT id, time, app, key, action, result, detail, api_calls, member FROM history WHERE 1 = 1`
	var args []any
	if f.App != "" {
		q += ` AND app = ?`
		args = append(args, f.App)
	}
	if f.Member != "" {
		q += ` AND member = ?`
		args = append(args, f.Member)
	}
	if beforeID > 0 {
		q += ` AND id < ?`
		args = append(args, beforeID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var e HistoryEntry
		var t int64
		if err := rows.Scan(&e.ID, &t, &e.App, &e.Key, &e.Action, &e.Result, &e.Detail, &e.APICalls, &e.Member); err != nil {
			return nil, fmt.Errorf("read history: %w", err)
		}
		e.Time = fromMS(t)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	return out, nil
}
