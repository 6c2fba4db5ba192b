package statusapi

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/storesyncer/storesyncer/internal/roles"
)

// Team is the part of the daemon that knows its team members: it authenticates their API
// tokens beside the daemon's own, and turns invitations into members. Errors as for Reader;
// Authenticate wraps ErrNotFound for a token that is no member's.
type Team interface {
	// Authenticate returns the member whose personal API token tok is.
	Authenticate(ctx context.Context, tok string) (roles.Caller, error)
	// Accept uses the invitation of req.Code once: the new member chose req.Name. An
	// unknown, used or expired code wraps ErrInvalid.
	Accept(ctx context.Context, req AcceptRequest) (AcceptResult, error)
}

// AcceptRequest is the body of POST /api/v1/invitations/accept.
type AcceptRequest struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// AcceptResult is the answer of POST /api/v1/invitations/accept: the new member and their
// personal API token, shown this once (the daemon keeps its hash).
type AcceptResult struct {
	App   string `json:"app"`
	Name  string `json:"name"`
	Role  string `json:"role"`
	Token string `json:"token"`
}

// Attempt limits: an address may fail this many invitation attempts and token checks per
// window; then every attempt is answered 429 until the window ends.
const (
	attemptLimit  = 10
	attemptWindow = time.Minute
)

// limiter counts attempts per address in fixed windows. The zero value is not usable; it is
// safe for concurrent use.
type limiter struct {
	now func() time.Time

	mu   sync.Mutex
	seen map[string]*window
}

type window struct {
	start time.Time
	n     int
}

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, seen: map[string]*window{}}
}

// allow counts a failed attempt of addr and reports whether it is within the limit.
func (l *limiter) allow(addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.seen) > 10000 { // forget old windows rather than grow without bound
		for a, w := range l.seen {
			if now.Sub(w.start) >= attemptWindow {
				delete(l.seen, a)
			}
		}
	}
	w := l.seen[addr]
	if w == nil || now.Sub(w.start) >= attemptWindow {
		w = &window{start: now}
		l.seen[addr] = w
	}
	w.n++
	return w.n <= attemptLimit
}

// blocked reports whether addr used up its failures, without counting an attempt.
func (l *limiter) blocked(addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.seen[addr]
	return w != nil && l.now().Sub(w.start) < attemptWindow && w.n >= attemptLimit
}

// remoteHost is the address part of r.RemoteAddr, the key of the limits.
func remoteHost(r *http.Request) string {
	h, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return strings.ToLower(h)
}

func tooMany(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "60")
	writeError(w, &Error{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: "too many attempts from this address: wait a minute"})
}

// accept serves POST /api/v1/invitations/accept: the code is the credential, so it needs no
// token, and its failed attempts are limited per address.
func (s *Server) accept(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Team == nil {
		writeError(w, &Error{Status: http.StatusNotFound, Code: "not_found", Message: "this daemon has no team"})
		return
	}
	addr := remoteHost(r)
	if s.attempts.blocked(addr) {
		tooMany(w)
		return
	}
	var req AcceptRequest
	if !s.decode(w, r, &req) {
		s.attempts.allow(addr)
		return
	}
	res, err := s.cfg.Team.Accept(r.Context(), req)
	if err != nil {
		s.attempts.allow(addr) // only failures count: a guesser fails, a team joins
		s.fail(w, r, err)
		return
	}
	s.log.Info("invitation accepted", "app", res.App, "member", res.Name, "role", res.Role)
	writeJSON(w, http.StatusOK, res)
}

// limitLogins counts the dashboard's failed logins and invitation uses (an answer of 400,
// 401 or 403 to /login or /invite/…) per address, as failed token checks are counted, and
// answers 429 once an address used up its failures.
func (s *Server) limitLogins(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		login := r.URL.Path == "/login" || strings.HasPrefix(r.URL.Path, "/invite/")
		if !login {
			next.ServeHTTP(w, r)
			return
		}
		addr := remoteHost(r)
		if s.attempts.blocked(addr) {
			tooMany(w)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status == http.StatusBadRequest || rec.status == http.StatusUnauthorized || rec.status == http.StatusForbidden {
			s.attempts.allow(addr)
		}
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
