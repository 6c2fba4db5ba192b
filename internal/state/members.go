package state

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Member is a team member of one app. It is a plain value.
type Member struct {
	ID   int64  `json:"id"`
	App  string `json:"app"`
	Name string `json:"name"`
	// Email is a label only; no mail is sent.
	Email     string    `json:"email,omitempty"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	// LastSeen is when a token of the member was last used; zero when never.
	LastSeen time.Time `json:"last_seen,omitzero"`
}

// Invitation is an open invitation to join an app's team. Its code is known only to whoever
// was given it: the state keeps its hash.
type Invitation struct {
	App       string
	Email     string
	Role      string
	InvitedBy string
	ExpiresAt time.Time
}

// The kinds of member tokens.
const (
	// TokenAPI is a personal API token for the CLI (storesyncer login).
	TokenAPI = "api"
	// TokenSession is a dashboard session.
	TokenSession = "session"
)

// ErrInvitation is returned for an invitation code that is unknown, used or expired: the
// three answer alike, so a guesser learns nothing.
var ErrInvitation = errors.New("the invitation is unknown, used or expired: ask for a new one")

// ErrMemberExists is wrapped when an app already has a member of that name.
var ErrMemberExists = errors.New("a member of that name exists")

// HashSecret is the stored form of a token or invitation code: hex SHA-256. The secrets are
// 32 random bytes, so a fast hash is enough and a stolen state DB yields none.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// AddInvitation stores an invitation under the hash of code.
func (s *Store) AddInvitation(ctx context.Context, code string, inv Invitation) error {
	_, err := s.exec(ctx, `INSERT INTO invitations (code_hash, app, email, role, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		HashSecret(code), inv.App, inv.Email, inv.Role, inv.InvitedBy, s.nowMS(), ms(inv.ExpiresAt))
	if err != nil {
		return fmt.Errorf("add invitation to %s: %w", inv.App, err)
	}
	return nil
}

// AcceptInvitation uses the invitation of code once: it becomes member name of the
// invitation's app, with token (of kind) as their first credential. An unknown, used or
// expired code is ErrInvitation; a taken name wraps ErrMemberExists and leaves the
// invitation open.
func (s *Store) AcceptInvitation(ctx context.Context, code, name, kind, token string) (Member, error) {
	name = strings.TrimSpace(name)
	var m Member
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.nowMS()
		var inv Invitation
		err := tx.QueryRowContext(ctx, `SELECT app, email, role FROM invitations WHERE code_hash = ? AND expires_at > ?`, HashSecret(code), now).
			Scan(&inv.App, &inv.Email, &inv.Role)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrInvitation
		}
		if err != nil {
			return err
		}
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE app = ? AND name = ?`, inv.App, name).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return fmt.Errorf("%w: %q on %s", ErrMemberExists, name, inv.App)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM invitations WHERE code_hash = ?`, HashSecret(code)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO members (app, name, email, role, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)`,
			inv.App, name, inv.Email, inv.Role, now, now)
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO member_tokens (token_hash, member_id, kind, created_at) VALUES (?, ?, ?, ?)`, HashSecret(token), id, kind, now); err != nil {
			return err
		}
		m = Member{ID: id, App: inv.App, Name: name, Email: inv.Email, Role: inv.Role, CreatedAt: fromMS(now), LastSeen: fromMS(now)}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrInvitation) {
			return Member{}, err
		}
		return Member{}, fmt.Errorf("accept invitation: %w", err)
	}
	return m, nil
}

// AddMemberToken gives member id another token of kind (a dashboard session, a new API
// token); a zero expires never expires.
func (s *Store) AddMemberToken(ctx context.Context, id int64, kind, token string, expires time.Time) error {
	var exp int64
	if !expires.IsZero() {
		exp = ms(expires)
	}
	if _, err := s.exec(ctx, `INSERT INTO member_tokens (token_hash, member_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		HashSecret(token), id, kind, s.nowMS(), exp); err != nil {
		return fmt.Errorf("add member token: %w", err)
	}
	return nil
}

// MemberByToken returns the member token (of kind) belongs to and marks them seen. A token
// that is unknown, expired or whose member was removed wraps ErrNotFound.
func (s *Store) MemberByToken(ctx context.Context, kind, token string) (Member, error) {
	now := s.nowMS()
	row := s.db.QueryRowContext(ctx, `SELECT m.id, m.app, m.name, m.email, m.role, m.created_at, m.last_seen_at
		FROM member_tokens t JOIN members m ON m.id = t.member_id
		WHERE t.token_hash = ? AND t.kind = ? AND (t.expires_at = 0 OR t.expires_at > ?)`, HashSecret(token), kind, now)
	m, err := scanMember(row)
	if err != nil {
		return Member{}, err
	}
	// A minute's precision is enough for "last seen", and spares a write per request.
	if now-ms(m.LastSeen) > int64(time.Minute/time.Millisecond) && s.writable() == nil {
		if _, err := s.exec(ctx, `UPDATE members SET last_seen_at = ? WHERE id = ?`, now, m.ID); err == nil {
			m.LastSeen = fromMS(now)
		}
	}
	return m, nil
}

// Members returns the members of app ("" for every app), by app and name.
func (s *Store) Members(ctx context.Context, app string) ([]Member, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, app, name, email, role, created_at, last_seen_at FROM members
		WHERE ? = '' OR app = ? ORDER BY app, name`, app, app)
	if err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	return out, nil
}

// HasMembers reports whether any app has a team member.
func (s *Store) HasMembers(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM members`).Scan(&n); err != nil {
		return false, fmt.Errorf("read members: %w", err)
	}
	return n > 0, nil
}

// Member returns member name of app; ErrNotFound when there is none.
func (s *Store) Member(ctx context.Context, app, name string) (Member, error) {
	return scanMember(s.db.QueryRowContext(ctx, `SELECT id, app, name, email, role, created_at, last_seen_at FROM members WHERE app = ? AND name = ?`, app, name))
}

// SetMemberRole changes member name's role on app; ErrNotFound when there is no such member.
func (s *Store) SetMemberRole(ctx context.Context, app, name, role string) error {
	res, err := s.exec(ctx, `UPDATE members SET role = ? WHERE app = ? AND name = ?`, role, app, name)
	if err != nil {
		return fmt.Errorf("set role of %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("member %q of %s: %w", name, app, ErrNotFound)
	}
	return nil
}

// RemoveMember removes member name of app and, in the same statement, every session and
// token of theirs; ErrNotFound when there is no such member.
func (s *Store) RemoveMember(ctx context.Context, app, name string) error {
	res, err := s.exec(ctx, `DELETE FROM members WHERE app = ? AND name = ?`, app, name)
	if err != nil {
		return fmt.Errorf("remove member %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("member %q of %s: %w", name, app, ErrNotFound)
	}
	return nil
}

func scanMember(row scanner) (Member, error) {
	var m Member
	var created, seen int64
	err := row.Scan(&m.ID, &m.App, &m.Name, &m.Email, &m.Role, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return Member{}, fmt.Errorf("member: %w", ErrNotFound)
	}
	if err != nil {
		return Member{}, fmt.Errorf("read member: %w", err)
	}
	m.CreatedAt = fromMS(created)
	if seen > 0 {
		m.LastSeen = fromMS(seen)
	}
	return m, nil
}
