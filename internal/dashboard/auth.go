package dashboard

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/storesyncer/storesyncer/internal/roles"
	"github.com/storesyncer/storesyncer/internal/safefile"
	"github.com/storesyncer/storesyncer/internal/statusapi"
)

// CodeLifetime is how long a login code from LoginCode can be exchanged for a session.
const CodeLifetime = 5 * time.Minute

// SessionLifetime is how long a session lives without a request.
const SessionLifetime = 12 * time.Hour

// cookieName is the session cookie's name.
const cookieName = "storesyncer_session"

// auth holds the login codes and sessions. Both are kept by their SHA-256 only, so what the
// process holds cannot be replayed from a memory dump of the maps.
type auth struct {
	now  func() time.Time
	rand io.Reader

	mu       sync.Mutex
	codes    map[[32]byte]time.Time // code hash → expiry
	sessions map[[32]byte]*session  // session ID hash → session
}

// session is one logged-in browser.
type session struct {
	csrf    string
	expires time.Time
	// member marks a team member's session: who it is is asked of Config.Team on every
	// request, so a removed member's session ends at once.
	member bool
}

func newAuth(now func() time.Time, rand io.Reader) *auth {
	return &auth{now: now, rand: rand, codes: map[[32]byte]time.Time{}, sessions: map[[32]byte]*session{}}
}

func (a *auth) random() (string, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(a.rand, b); err != nil {
		return "", fmt.Errorf("dashboard randomness: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func (a *auth) newCode() (string, error) {
	c, err := a.random()
	if err != nil {
		return "", err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	for h, exp := range a.codes {
		if now.After(exp) {
			delete(a.codes, h)
		}
	}
	a.codes[sha256.Sum256([]byte(c))] = now.Add(CodeLifetime)
	return c, nil
}

// useCode consumes code: true once, for a code that was issued and has not expired.
func (a *auth) useCode(code string) bool {
	h := sha256.Sum256([]byte(code))
	a.mu.Lock()
	defer a.mu.Unlock()
	exp, ok := a.codes[h]
	delete(a.codes, h)
	return ok && !a.now().After(exp)
}

func (a *auth) newSession() (id string, s *session, err error) {
	id, err = a.random()
	if err != nil {
		return "", nil, err
	}
	csrf, err := a.random()
	if err != nil {
		return "", nil, err
	}
	s = &session{csrf: csrf, expires: a.now().Add(SessionLifetime)}
	a.mu.Lock()
	a.sessions[sha256.Sum256([]byte(id))] = s
	a.mu.Unlock()
	return id, s, nil
}

// lookup returns the live session of id and extends it.
func (a *auth) lookup(id string) (*session, bool) {
	if id == "" {
		return nil, false
	}
	h := sha256.Sum256([]byte(id))
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.sessions[h]
	if !ok {
		return nil, false
	}
	now := a.now()
	if now.After(s.expires) {
		delete(a.sessions, h)
		return nil, false
	}
	s.expires = now.Add(SessionLifetime)
	return s, true
}

func (a *auth) end(id string) {
	a.mu.Lock()
	delete(a.sessions, sha256.Sum256([]byte(id)))
	a.mu.Unlock()
}

type ctxKey struct{}

// sessionOf returns the request's session, set by page and post.
func sessionOf(ctx context.Context) *session {
	s, _ := ctx.Value(ctxKey{}).(*session)
	return s
}

func (d *Dashboard) sessionFor(r *http.Request) (*session, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return nil, false
	}
	return d.auth.lookup(c.Value)
}

// withSession is r's context with its session and, for a member's session, the member (the
// command path checks their role). ok is false when the member was removed: the session
// ends.
func (d *Dashboard) withSession(r *http.Request, s *session) (context.Context, bool) {
	ctx := context.WithValue(r.Context(), ctxKey{}, s)
	if !s.member {
		return ctx, true
	}
	c, _ := r.Cookie(cookieName)
	if d.cfg.Team == nil || c == nil {
		return nil, false
	}
	m, err := d.cfg.Team.Session(r.Context(), c.Value)
	if err != nil {
		d.auth.end(c.Value)
		return nil, false
	}
	return roles.WithCaller(ctx, m), true
}

// page wraps a GET handler: without a session, the browser goes to the login form.
func (d *Dashboard) page(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := d.sessionFor(r)
		var ctx context.Context
		if ok {
			ctx, ok = d.withSession(r, s)
		}
		if !ok {
			if r.Header.Get("HX-Request") != "" || r.URL.Path == "/events" {
				d.fail(w, r, http.StatusUnauthorized, "your session ended: log in again")
				return
			}
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		h(w, r.WithContext(ctx))
	})
}

// post wraps a state-changing handler: it needs a session, an Origin (or Referer) of this
// server, and the session's CSRF token in the form field csrf or the X-CSRF-Token header.
func (d *Dashboard) post(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !sameOrigin(r) {
			d.log.Warn("refused a form post from another origin", "path", statusapi.LogPath(r.URL.Path))
			d.fail(w, r, http.StatusForbidden, "this form was sent from another site: open the dashboard itself and try again")
			return
		}
		s, ok := d.sessionFor(r)
		var ctx context.Context
		if ok {
			ctx, ok = d.withSession(r, s)
		}
		if !ok {
			d.fail(w, r, http.StatusUnauthorized, "your session ended: log in again")
			return
		}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			// Uploads: the body is bounded before it is parsed, and parsed here, so the
			// token is checked before a handler sees a file.
			r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
			if err := r.ParseMultipartForm(8 << 20); err != nil {
				d.fail(w, r, http.StatusRequestEntityTooLarge, "the upload is too large or not a form: at most 10 images of 32 MB each, or a ZIP of 256 MB")
				return
			}
			defer r.MultipartForm.RemoveAll()
		} else {
			r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		}
		tok := r.Header.Get("X-CSRF-Token")
		if tok == "" {
			tok = r.FormValue("csrf")
		}
		if subtle.ConstantTimeCompare([]byte(tok), []byte(s.csrf)) != 1 {
			d.fail(w, r, http.StatusForbidden, "the form is out of date: reload the page and try again")
			return
		}
		h(w, r.WithContext(ctx))
	})
}

// sameOrigin requires an Origin, or failing that a Referer, naming the host the request was
// sent to. The API's guard has already refused a non-loopback Host.
func sameOrigin(r *http.Request) bool {
	raw := r.Header.Get("Origin")
	if raw == "" || raw == "null" {
		raw = r.Header.Get("Referer")
	}
	u, err := url.Parse(raw)
	if raw == "" || err != nil {
		return false
	}
	return (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, r.Host)
}

func (d *Dashboard) startSession(w http.ResponseWriter, r *http.Request) {
	id, _, err := d.auth.newSession()
	if err != nil {
		d.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
	})
	// The code or token leaves the address bar: the page the browser lands on has none.
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// loginPage exchanges ?code= for a session, or shows the form that takes the API token.
func (d *Dashboard) loginPage(w http.ResponseWriter, r *http.Request) {
	if code := r.URL.Query().Get("code"); code != "" {
		if d.auth.useCode(code) {
			d.log.Info("dashboard login with a one-time code")
			d.startSession(w, r)
			return
		}
		d.render(w, r, http.StatusUnauthorized, "login", loginView{Error: "This login link was used already or has expired. Run `storesyncer dashboard` for a new one, or paste the API token."})
		return
	}
	d.render(w, r, http.StatusOK, "login", loginView{})
}

type loginView struct{ Error string }

// loginToken takes the API token from the form.
func (d *Dashboard) loginToken(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		d.fail(w, r, http.StatusForbidden, "this form was sent from another site: open the dashboard itself and try again")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	given := strings.TrimSpace(r.FormValue("token"))
	want, err := safefile.ReadRegular(d.cfg.TokenFile)
	if err != nil || given == "" || subtle.ConstantTimeCompare([]byte(given), []byte(strings.TrimSpace(string(want)))) != 1 {
		d.log.Warn("dashboard login refused: wrong API token")
		d.render(w, r, http.StatusUnauthorized, "login", loginView{Error: "That is not the API token. It is in the daemon's api-token file (see `storesyncer status`)."})
		return
	}
	d.log.Info("dashboard login with the API token")
	d.startSession(w, r)
}

func (d *Dashboard) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieName); err == nil {
		d.auth.end(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
