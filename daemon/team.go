package daemon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/storesyncer/storesyncer/internal/command"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/dashboard"
	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/state"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// team is the daemon's team as the status API sees it: member tokens and invitations, kept
// (hashed) in the state.
type team struct{ d *Daemon }

var _ statusapi.Team = team{}

// Authenticate returns the member whose personal API token tok is.
func (t team) Authenticate(ctx context.Context, tok string) (roles.Caller, error) {
	m, err := t.d.store.MemberByToken(ctx, state.TokenAPI, tok)
	if errors.Is(err, state.ErrNotFound) {
		return roles.Caller{}, statusapi.ErrNotFound
	}
	if err != nil {
		return roles.Caller{}, err
	}
	return roles.Caller{Name: m.Name, App: m.App, Role: roles.Role(m.Role)}, nil
}

// Accept makes the invitation's member, with a new personal API token.
func (t team) Accept(ctx context.Context, req statusapi.AcceptRequest) (statusapi.AcceptResult, error) {
	if err := command.CheckDisplayName(req.Name); err != nil {
		return statusapi.AcceptResult{}, fmt.Errorf("%w: %v", statusapi.ErrInvalid, err)
	}
	tok, err := command.NewSecret()
	if err != nil {
		return statusapi.AcceptResult{}, err
	}
	m, err := t.d.store.AcceptInvitation(ctx, req.Code, req.Name, state.TokenAPI, tok)
	switch {
	case errors.Is(err, state.ErrInvitation):
		return statusapi.AcceptResult{}, &statusapi.Error{Status: http.StatusBadRequest, Code: "invitation", Message: err.Error()}
	case errors.Is(err, state.ErrMemberExists):
		return statusapi.AcceptResult{}, &statusapi.Error{Status: http.StatusConflict, Code: "exists", Message: "another member of the app has that name: choose another"}
	case err != nil:
		return statusapi.AcceptResult{}, err
	}
	t.d.hub.add(ctx, "member.joined", m.App, map[string]any{"member": m.Name, "role": m.Role,
		"message": fmt.Sprintf("%s joined %s as %s", m.Name, m.App, roles.Role(m.Role).Title())})
	return statusapi.AcceptResult{App: m.App, Name: m.Name, Role: m.Role, Token: tok}, nil
}

// InvitationURL is the URL of the daemon's API address that opens the invitation of code.
func (c commands) InvitationURL(code string) (url, fingerprint string) {
	return c.d.api.URL() + "/invite/" + code, c.d.api.Fingerprint()
}

// apiTLS is the status API's TLS from the config; nil when it is off.
func apiTLS(c *config.Config) *statusapi.TLSConfig {
	if !c.API.TLS() {
		return nil
	}
	cert, key := c.API.TLSFiles(c.Daemon.StateDir)
	return &statusapi.TLSConfig{CertFile: cert, KeyFile: key, Generate: c.API.TLSCert == "", Names: c.API.PublicNames}
}

var _ command.Inviter = commands{}

// dashboardTeam is the daemon's team as the dashboard sees it.
type dashboardTeam struct{ team }

var _ dashboard.Team = dashboardTeam{}

// memberSessionLifetime bounds a member's dashboard session in the state; the dashboard
// ends idle sessions sooner.
const memberSessionLifetime = 30 * 24 * time.Hour

// Join makes the invitation's member with a personal API token and the dashboard session
// sessionID.
func (t dashboardTeam) Join(ctx context.Context, code, name, sessionID string) (roles.Caller, string, error) {
	res, err := t.Accept(ctx, statusapi.AcceptRequest{Code: code, Name: name})
	if err != nil {
		var ae *statusapi.Error
		if errors.As(err, &ae) {
			return roles.Caller{}, "", errors.New(ae.Message)
		}
		return roles.Caller{}, "", err
	}
	m, err := t.d.store.MemberByToken(ctx, state.TokenAPI, res.Token)
	if err != nil {
		return roles.Caller{}, "", err
	}
	if err := t.d.store.AddMemberToken(ctx, m.ID, state.TokenSession, sessionID, t.d.clock.Now().Add(memberSessionLifetime)); err != nil {
		return roles.Caller{}, "", err
	}
	return roles.Caller{Name: m.Name, App: m.App, Role: roles.Role(m.Role)}, res.Token, nil
}

// Session returns the member of the dashboard session sessionID.
func (t dashboardTeam) Session(ctx context.Context, sessionID string) (roles.Caller, error) {
	m, err := t.d.store.MemberByToken(ctx, state.TokenSession, sessionID)
	if err != nil {
		return roles.Caller{}, err
	}
	return roles.Caller{Name: m.Name, App: m.App, Role: roles.Role(m.Role)}, nil
}

// Edited records, in the state, that the member ctx carries wrote keys of app: the push that
// sends them names the member in its history, also after a restart in between.
func (t dashboardTeam) Edited(ctx context.Context, app string, keys []string) {
	if err := t.d.store.NoteEdits(ctx, app, keys, roles.CallerFrom(ctx).Name); err != nil {
		t.d.log.Warn("record who edited", "app", app, "error", err)
	}
}
