package statusapi

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/storesyncer/storesyncer/internal/roles"
)

// isLoopbackHost reports whether host (no port) names this machine's loopback interface.
func isLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// splitHostPort splits "host:port" (brackets allowed) and tolerates a missing port.
func splitHostPort(hostport string) (host, port string) {
	h, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return hostport, ""
	}
	return h, p
}

// hostAllowed checks the Host header: a browser tricked by DNS rebinding sends the attacker's
// name, never a loopback one or one of the configured public names.
func (s *Server) hostAllowed(hostHeader string) bool {
	host, _ := splitHostPort(hostHeader)
	return host != "" && (isLoopbackHost(host) || s.publicName(host))
}

// publicName reports whether host is one of [api] public_names.
func (s *Server) publicName(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	for _, n := range s.cfg.PublicNames {
		if strings.TrimSuffix(strings.ToLower(strings.Trim(n, "[]")), ".") == host {
			return true
		}
	}
	return false
}

// sameOrigin reports whether raw (an Origin or Referer value) is a URL of this server: our
// scheme (https with TLS), a loopback host or public name, and our port.
func (s *Server) sameOrigin(raw string, port int) bool {
	scheme, def := "http", "80"
	if s.cfg.TLS != nil {
		scheme, def = "https", "443"
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != scheme || u.Host == "" {
		return false
	}
	host, p := splitHostPort(u.Host)
	if p == "" {
		p = def
	}
	return (isLoopbackHost(host) || s.publicName(host)) && p == strconv.Itoa(port)
}

// guard rejects requests a browser could have been tricked into sending: a Host that is not
// loopback (DNS rebinding) and an Origin or Referer from any other origin (CSRF). It also sets
// headers that keep answers out of browsers and caches.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'none'")
		if !s.hostAllowed(r.Host) {
			s.log.Warn("refused request with a non-loopback Host", "host", r.Host, "path", LogPath(r.URL.Path))
			writeError(w, &Error{Status: http.StatusForbidden, Code: "forbidden_host", Message: "host " + strconv.Quote(r.Host) + " is not a loopback address: the API answers only on this machine; call it as http://127.0.0.1:" + strconv.Itoa(s.port()) + "/"})
			return
		}
		for _, name := range []string{"Origin", "Referer"} {
			if v := r.Header.Get(name); v != "" && !s.sameOrigin(v, s.port()) {
				s.log.Warn("refused cross-origin request", "header", name, "path", LogPath(r.URL.Path))
				writeError(w, &Error{Status: http.StatusForbidden, Code: "forbidden_origin", Message: name + " header from another origin: web pages cannot call this API; call it from a program on this machine without " + name})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// unauthorizedMessage says what to do without naming the token file: the answer goes to
// whoever asked, and the path tells a stranger where the secret lies.
const unauthorizedMessage = "missing or wrong bearer token: send Authorization: Bearer <token>, the token in the daemon's api-token file (see [api] token_file and `storesyncer status`)"

// bearerToken returns the credentials of an Authorization header of the Bearer scheme, whose
// name is case-insensitive (RFC 9110 §11.1): "Bearer", "bearer" and "BEARER" all work.
func bearerToken(auth string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(auth), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// requireToken answers 401 unless the request carries "Authorization: Bearer <token>" with
// the daemon's own token (the user running it: Local, the Owner of every app) or, when
// members is set and a Team is configured, a team member's personal token: the request's
// context then carries the member (roles.WithCaller). A member's token is looked up on every
// request, so a removed member's next request fails. Failed checks are limited per address.
func (s *Server) requireToken(next http.Handler, members bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := bearerToken(r.Header.Get("Authorization"))
		if ok && tokenEqual(tok, s.token) {
			// The daemon's own token is never locked out: another local process failing
			// on purpose must not lock out the CLI.
			next.ServeHTTP(w, r)
			return
		}
		addr := remoteHost(r)
		if s.attempts.blocked(addr) {
			tooMany(w)
			return
		}
		if ok && tok != "" && members && s.cfg.Team != nil {
			c, err := s.cfg.Team.Authenticate(r.Context(), tok)
			if err == nil {
				next.ServeHTTP(w, r.WithContext(roles.WithCaller(r.Context(), c)))
				return
			}
			if !errors.Is(err, ErrNotFound) {
				s.fail(w, r, err)
				return
			}
		}
		s.attempts.allow(addr)
		w.Header().Set("WWW-Authenticate", `Bearer realm="storesyncer"`)
		writeError(w, &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: unauthorizedMessage})
	})
}

// LogPath is path as logs may show it: an invitation's code (/invite/CODE) is a secret
// until used, so it is cut.
func LogPath(path string) string {
	if i := strings.Index(path, "/invite/"); i >= 0 {
		return path[:i] + "/invite/…"
	}
	return path
}
