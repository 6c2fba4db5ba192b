package dashboard

import (
	"context"
	"html/template"
	"net/http"
	"strings"

	"github.com/storesyncer/storesyncer/internal/roles"
)

// Team is the daemon's team as the dashboard needs it: invitations become members with a
// session, and a member's session is checked on every request, so removing the member
// ends it at once.
type Team interface {
	// Join uses the invitation of code: a new member called name, whose dashboard session
	// is sessionID (kept hashed). It returns the member and their personal API token for
	// the CLI. The error's message is safe to show.
	Join(ctx context.Context, code, name, sessionID string) (c roles.Caller, apiToken string, err error)
	// Session returns the member whose dashboard session sessionID is; an error when the
	// member was removed.
	Session(ctx context.Context, sessionID string) (roles.Caller, error)
	// Edited tells the daemon that the member ctx carries wrote the files of keys of app,
	// so that the history of their push names the member rather than "local".
	Edited(ctx context.Context, app string, keys []string)
}

// edited reports a member's edit of key to the Team; Local's edits need no note.
func (d *Dashboard) edited(r *http.Request, app, key string) {
	if d.cfg.Team != nil && !callerOf(r.Context()).IsLocal() {
		d.cfg.Team.Edited(r.Context(), app, []string{key})
	}
}

// mediaKey is the key of the set in rel ("screenshot/en-US/APP_IPHONE_67").
func mediaKey(rel string) string {
	p := strings.SplitN(rel, "/", 3)
	if len(p) != 3 {
		return rel
	}
	return p[1] + "/" + p[0] + "/" + p[2]
}

// callerOf is who the request's session is: Local for a session opened with the daemon's
// token or a login code.
func callerOf(ctx context.Context) roles.Caller { return roles.CallerFrom(ctx) }

// grant is what the request's caller may do of op on app; Local may do everything.
func grant(ctx context.Context, app string, op roles.Op) roles.Grant {
	c := callerOf(ctx)
	if c.IsLocal() {
		return roles.Grant{Allowed: true, Keys: roles.Every}
	}
	if c.App != app {
		return roles.Grant{}
	}
	return roles.Lookup(c.Role, op)
}

// refuse answers 403 naming the role and the operation.
func (d *Dashboard) refuse(w http.ResponseWriter, r *http.Request, op roles.Op, what string) {
	c := callerOf(r.Context())
	msg := (&roles.DeniedError{Role: c.Role, Op: op}).Error()
	if what != "" {
		msg += ": " + what
	}
	d.fail(w, r, http.StatusForbidden, msg)
}

var joinPage = template.Must(template.New("join").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>StoreSyncer · join the team</title>
<link rel="stylesheet" href="/assets/style.css"></head><body><main>
<h1>Join the team</h1>
{{if .Error}}<p class="error" role="alert">{{.Error}}</p>{{end}}
{{if .Token}}<p>You are <strong>{{.Name}}</strong>, {{.Role}} of {{.App}}.</p>
<p>Your personal API token for the CLI is shown this once:</p><pre>{{.Token}}</pre>
<p><a href="/">Open the dashboard</a></p>
{{else}}<form method="post" action="/invite/{{.Code}}">
<label for="name">Your name, as the team sees it</label>
<input id="name" name="name" required maxlength="40" autocomplete="name">
<button type="submit">Join</button></form>{{end}}
</main></body></html>`))

type joinView struct {
	Code, Error            string
	Name, Role, App, Token string
}

// invitePage asks the invited person for their display name.
func (d *Dashboard) invitePage(w http.ResponseWriter, r *http.Request) {
	d.renderJoin(w, http.StatusOK, joinView{Code: r.PathValue("code")})
}

// inviteJoin makes the member and their session. The code is never logged.
func (d *Dashboard) inviteJoin(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		d.fail(w, r, http.StatusForbidden, "this form was sent from another site: open the invitation itself and try again")
		return
	}
	if d.cfg.Team == nil {
		d.fail(w, r, http.StatusNotFound, "this daemon has no team")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	code, name := r.PathValue("code"), strings.TrimSpace(r.FormValue("name"))
	id, s, err := d.auth.newSession()
	if err != nil {
		d.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	c, tok, err := d.cfg.Team.Join(r.Context(), code, name, id)
	if err != nil {
		d.auth.end(id)
		d.renderJoin(w, http.StatusBadRequest, joinView{Code: code, Error: err.Error()})
		return
	}
	s.member = true
	d.log.Info("a member joined through the dashboard", "app", c.App, "member", c.Name, "role", c.Role)
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
	})
	d.renderJoin(w, http.StatusOK, joinView{Name: c.Name, Role: c.Role.Title(), App: c.App, Token: tok})
}

func (d *Dashboard) renderJoin(w http.ResponseWriter, status int, v joinView) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = joinPage.Execute(w, v)
}
