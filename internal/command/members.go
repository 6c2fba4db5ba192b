package command

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// This file holds the team commands: members list, invite, set-role, remove.

func init() {
	register(func() Request { return &MembersList{} })
	register(func() Request { return &MembersInvite{} })
	register(func() Request { return &MembersSetRole{} })
	register(func() Request { return &MembersRemove{} })
}

// DefaultInvitationTTL is how long an invitation stays open unless the inviter says.
const DefaultInvitationTTL = 7 * 24 * time.Hour

// MemberStore is the part of the state the team commands use.
type MemberStore interface {
	Members(ctx context.Context, app string) ([]state.Member, error)
	Member(ctx context.Context, app, name string) (state.Member, error)
	AddInvitation(ctx context.Context, code string, inv state.Invitation) error
	SetMemberRole(ctx context.Context, app, name, role string) error
	RemoveMember(ctx context.Context, app, name string) error
}

var _ MemberStore = (*state.Store)(nil)

// Inviter is the part of a running daemon that makes invitation URLs; a Daemon without it
// (and a run without a daemon) cannot invite.
type Inviter interface {
	// InvitationURL returns the URL that opens the invitation of code, and the SHA-256
	// fingerprint of the daemon's TLS certificate ("" without TLS).
	InvitationURL(code string) (url, fingerprint string)
}

// teamApp resolves an app-less team command in-process (the daemon's Hold has resolved it
// already): the workspace's only app.
func teamApp(e *Env, app *string) error {
	if *app != "" || e.Workspace == nil {
		return nil
	}
	a, err := e.Workspace.ResolveApp("", "")
	if err != nil {
		return Usage("usage", "%v", err)
	}
	*app = a.BundleID
	return nil
}

func memberStore(e *Env) (MemberStore, error) {
	ms, ok := e.Store.(MemberStore)
	if !ok {
		return nil, Failure("members", errors.New("this state keeps no members"))
	}
	return ms, nil
}

func (e *Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// MemberRow is a member as the team commands report it.
type MemberRow struct {
	Name      string    `json:"name"`
	Email     string    `json:"email,omitempty"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	LastSeen  time.Time `json:"last_seen,omitzero"`
}

// MembersList lists an app's team: Local, its Owner, first.
type MembersList struct {
	App string `json:"app,omitempty"`
}

// Name is "members.list".
func (*MembersList) Name() string              { return "members.list" }
func (r *MembersList) scope() (scope, *string) { return existingApp, &r.App }
func (r *MembersList) run(ctx context.Context, e *Env) (Report, error) {
	if err := teamApp(e, &r.App); err != nil {
		return nil, err
	}
	ms, err := memberStore(e)
	if err != nil {
		return nil, err
	}
	members, err := ms.Members(ctx, r.App)
	if err != nil {
		return nil, err
	}
	rep := MembersReport{App: r.App, Members: []MemberRow{{Name: roles.Local, Role: string(roles.Owner)}}}
	for _, m := range members {
		rep.Members = append(rep.Members, MemberRow{Name: m.Name, Email: m.Email, Role: m.Role, CreatedAt: m.CreatedAt, LastSeen: m.LastSeen})
	}
	return rep, nil
}

// MembersReport is an app's team.
type MembersReport struct {
	App     string      `json:"app"`
	Members []MemberRow `json:"members"`
}

// Lines is one line per member.
func (r MembersReport) Lines() []string {
	out := []string{fmt.Sprintf("members of %s:", r.App)}
	for _, m := range r.Members {
		line := fmt.Sprintf("  %-20s %-16s", m.Name, roles.Role(m.Role).Title())
		if m.Email != "" {
			line += " " + m.Email
		}
		if !m.LastSeen.IsZero() {
			line += " (last seen " + m.LastSeen.Format(time.DateTime) + " UTC)"
		}
		out = append(out, strings.TrimRight(line, " "))
	}
	return out
}

// MembersInvite makes a single-use invitation to app's team with role. It needs the running
// daemon: the invitation is a URL of its API address.
type MembersInvite struct {
	App   string `json:"app,omitempty"`
	Role  string `json:"role"`
	Email string `json:"email,omitempty"`
	// Expires is how long the invitation stays open (a Go duration, "72h"); "" is 7 days.
	Expires string `json:"expires,omitempty"`
}

// Name is "members.invite".
func (*MembersInvite) Name() string              { return "members.invite" }
func (r *MembersInvite) scope() (scope, *string) { return existingApp, &r.App }
func (r *MembersInvite) validate() error {
	if _, err := roles.Parse(r.Role); err != nil {
		return Usage("usage", "--role: %v", err)
	}
	if r.Expires != "" {
		if d, err := time.ParseDuration(r.Expires); err != nil || d <= 0 {
			return Usage("usage", "--expires %q is not a positive duration (72h, 30m)", r.Expires)
		}
	}
	if strings.ContainsAny(r.Email, "\r\n") {
		return Usage("usage", "--email holds a line break")
	}
	return nil
}
func (r *MembersInvite) run(ctx context.Context, e *Env) (Report, error) {
	if err := teamApp(e, &r.App); err != nil {
		return nil, err
	}
	role, _ := roles.Parse(r.Role)
	c := e.grant.caller
	if err := roles.CheckManage(c.Role, roles.MembersInvite, role); err != nil {
		return nil, Forbidden(err.(*roles.DeniedError))
	}
	inv, ok := e.Daemon.(Inviter)
	if !ok {
		return nil, Usage("members.no_daemon", "an invitation is a URL of the running daemon's API address, and no daemon runs: start `storesyncer run` (with [api] listen reachable by the member) and invite again")
	}
	ms, err := memberStore(e)
	if err != nil {
		return nil, err
	}
	ttl := DefaultInvitationTTL
	if r.Expires != "" {
		ttl, _ = time.ParseDuration(r.Expires)
	}
	code, err := NewSecret()
	if err != nil {
		return nil, Failure("members.invite", err)
	}
	expires := e.now().Add(ttl).UTC()
	if err := ms.AddInvitation(ctx, code, state.Invitation{App: r.App, Email: r.Email, Role: string(role), InvitedBy: c.Name, ExpiresAt: expires}); err != nil {
		return nil, Failure("members.invite", err)
	}
	u, fp := inv.InvitationURL(code)
	return InviteReport{App: r.App, Role: string(role), Email: r.Email, URL: u, Fingerprint: fp, ExpiresAt: expires}, nil
}

// InviteReport is a new invitation. Its URL holds the single-use code: it is shown once, to
// the inviter, and kept nowhere else in clear.
type InviteReport struct {
	App         string    `json:"app"`
	Role        string    `json:"role"`
	Email       string    `json:"email,omitempty"`
	URL         string    `json:"url"`
	Fingerprint string    `json:"tls_fingerprint,omitempty"`
	ExpiresAt   time.Time `json:"expires_at"`
}

// Lines says what to hand the member.
func (r InviteReport) Lines() []string {
	who := "the new member"
	if r.Email != "" {
		who = r.Email
	}
	out := []string{
		fmt.Sprintf("invitation to %s as %s, for %s, open until %s UTC (single use):", r.App, roles.Role(r.Role).Title(), who, r.ExpiresAt.Format(time.DateTime)),
		"  " + r.URL,
		"open it in a browser for the dashboard, or run: storesyncer login '" + r.URL + "' --name NAME",
	}
	if r.Fingerprint != "" {
		out[2] += " --fingerprint " + r.Fingerprint
		out = append(out, "the daemon's TLS certificate has SHA-256 fingerprint "+r.Fingerprint+": check that the browser shows the same")
	}
	return out
}

// MembersSetRole changes a member's role.
type MembersSetRole struct {
	App    string `json:"app,omitempty"`
	Member string `json:"member"`
	Role   string `json:"role"`
}

// Name is "members.set-role".
func (*MembersSetRole) Name() string              { return "members.set-role" }
func (r *MembersSetRole) scope() (scope, *string) { return existingApp, &r.App }
func (r *MembersSetRole) validate() error {
	if _, err := roles.Parse(r.Role); err != nil {
		return Usage("usage", "role: %v", err)
	}
	return checkMemberName(r.Member)
}
func (r *MembersSetRole) run(ctx context.Context, e *Env) (Report, error) {
	role, _ := roles.Parse(r.Role)
	ms, m, err := existingMember(ctx, e, &r.App, r.Member)
	if err != nil {
		return nil, err
	}
	for _, target := range []roles.Role{roles.Role(m.Role), role} {
		if err := roles.CheckManage(e.grant.caller.Role, roles.MembersSetRole, target); err != nil {
			return nil, Forbidden(err.(*roles.DeniedError))
		}
	}
	if err := ms.SetMemberRole(ctx, r.App, r.Member, string(role)); err != nil {
		return nil, err
	}
	return MemberChangeReport{App: r.App, Member: r.Member, Role: string(role)}, nil
}

// MembersRemove removes a member: their sessions and tokens end at once.
type MembersRemove struct {
	App    string `json:"app,omitempty"`
	Member string `json:"member"`
}

// Name is "members.remove".
func (*MembersRemove) Name() string              { return "members.remove" }
func (r *MembersRemove) scope() (scope, *string) { return existingApp, &r.App }
func (r *MembersRemove) validate() error         { return checkMemberName(r.Member) }
func (r *MembersRemove) run(ctx context.Context, e *Env) (Report, error) {
	ms, m, err := existingMember(ctx, e, &r.App, r.Member)
	if err != nil {
		return nil, err
	}
	if err := roles.CheckManage(e.grant.caller.Role, roles.MembersRemove, roles.Role(m.Role)); err != nil {
		return nil, Forbidden(err.(*roles.DeniedError))
	}
	if err := ms.RemoveMember(ctx, r.App, r.Member); err != nil {
		return nil, err
	}
	return MemberChangeReport{App: r.App, Member: r.Member, Removed: true}, nil
}

// MemberChangeReport is what set-role or remove did.
type MemberChangeReport struct {
	App     string `json:"app"`
	Member  string `json:"member"`
	Role    string `json:"role,omitempty"`
	Removed bool   `json:"removed,omitempty"`
}

// Lines is one line.
func (r MemberChangeReport) Lines() []string {
	if r.Removed {
		return []string{fmt.Sprintf("removed %s from %s: their sessions and tokens no longer work", r.Member, r.App)}
	}
	return []string{fmt.Sprintf("%s is now %s of %s", r.Member, roles.Role(r.Role).Title(), r.App)}
}

// existingMember resolves app and returns member name of it; no such member is a usage
// error naming the app.
func existingMember(ctx context.Context, e *Env, app *string, name string) (MemberStore, state.Member, error) {
	if err := teamApp(e, app); err != nil {
		return nil, state.Member{}, err
	}
	ms, err := memberStore(e)
	if err != nil {
		return nil, state.Member{}, err
	}
	m, err := ms.Member(ctx, *app, name)
	if errors.Is(err, state.ErrNotFound) {
		return nil, state.Member{}, &Error{Exit: statusapi.ExitUsage, Code: "not_found", Err: fmt.Errorf("%s has no member %q: storesyncer members list shows them", *app, name)}
	}
	return ms, m, err
}

// checkMemberName refuses the names no member can have.
func checkMemberName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return Usage("usage", "name the member (storesyncer members list shows them)")
	case name == roles.Local || name == roles.Web:
		return Usage("usage", "%q is not a member: it names the user running the daemon or App Store Connect", name)
	}
	return nil
}

// CheckDisplayName checks the name a member chooses when accepting an invitation: 1 to 40
// printable characters, not "local" or "web". The error is a usage *Error.
func CheckDisplayName(name string) error {
	name = strings.TrimSpace(name)
	if err := checkMemberName(name); err != nil {
		return err
	}
	if len([]rune(name)) > 40 {
		return Usage("usage", "the name is longer than 40 characters")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return Usage("usage", "the name holds a control character")
		}
	}
	return nil
}

// NewSecret returns 32 random bytes as hex: an invitation code, an API token, a session.
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make secret: %w", err)
	}
	return hex.EncodeToString(b), nil
}
