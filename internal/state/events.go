package state

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Event is one append-only event, for server-sent events: IDs only grow (AUTOINCREMENT,
// never reused even after pruning), so a client resumes with Last-Event-ID. It is a plain
// value.
type Event struct {
	ID   int64           `json:"id"`
	Time time.Time       `json:"time"`
	Type string          `json:"type"`
	App  string          `json:"app,omitempty"`
	Data json.RawMessage `json:"data"`
	// Member is who caused it, as in HistoryEntry.Member; "" when nobody did (the daemon).
	Member string `json:"member,omitempty"`
}

// AddEvent appends an event (Time defaults to now, Data to {}) and returns it with its ID.
func (s *Store) AddEvent(ctx context.Context, e Event) (Event, error) {
	if e.Time.IsZero() {
		e.Time = fromMS(s.nowMS())
	}
	if len(e.Data) == 0 {
		e.Data = json.RawMessage("{}")
	}
	if !json.Valid(e.Data) {
		return Event{}, fmt.Errorf("add event %s: data is not JSON", e.Type)
	}
	res, err := s.exec(ctx, `INSERT INTO events (time, type, app, data, member) VALUES (?, ?, ?, ?, ?)`, ms(e.Time), e.Type, e.App, string(e.Data), e.Member)
	if err != nil {
		return Event{}, fmt.Errorf("add event %s: %w", e.Type, err)
	}
	e.ID, err = res.LastInsertId()
	e.Time = fromMS(ms(e.Time))
	return e, err
}

// Events returns up to limit events with an ID above afterID, oldest first.
func (s *Store) Events(ctx context.Context, afterID int64, limit int) ([]Event, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, time, type, app, data, member FROM events WHERE id > ? ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var t int64
		var data string
		if err := rows.Scan(&e.ID, &t, &e.Type, &e.App, &data, &e.Member); err != nil {
			return nil, fmt.Errorf("read events: %w", err)
		}
		e.Time, e.Data = fromMS(t), json.RawMessage(data)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	return out, nil
}

// LastEventID returns the newest event's ID, 0 when there is none.
func (s *Store) LastEventID(ctx context.Context) (int64, error) {
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM events`).Scan(&id); err != nil {
		return 0, fmt.Errorf("read last event: %w", err)
	}
	return id, nil
}

// PruneEvents deletes events older than before and returns how many.
func (s *Store) PruneEvents(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.exec(ctx, `DELETE FROM events WHERE time < ?`, ms(before))
	if err != nil {
		return 0, fmt.Errorf("prune events: %w", err)
	}
	return res.RowsAffected()
}
