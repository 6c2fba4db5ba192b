package ascapitest

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxBody bounds API request bodies; upload parts are bounded by their declared length.
const maxBody = 1 << 20

// ServeHTTP answers one request: API calls under /v1/, upload part PUTs under /upload/ and
// image downloads under /download/. It is safe for concurrent use.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.initLocked()
	latency := s.Faults.Latency
	s.mu.Unlock()
	defer func() { // after the answer, so a save that follows sees what it changed
		s.mu.Lock()
		s.changes++
		s.mu.Unlock()
	}()
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/upload/"):
		s.serveUpload(w, r)
	case strings.HasPrefix(r.URL.Path, "/download/"):
		s.serveDownload(w, r)
	default:
		s.serveAPI(w, r)
	}
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// mountPrefix is the path prefix a wrapping handler (http.StripPrefix) removed, so links
// and upload URLs keep working when the simulator is mounted below a path.
func mountPrefix(r *http.Request) string {
	u, err := url.ParseRequestURI(r.RequestURI)
	if err != nil || r.RequestURI == "" {
		return ""
	}
	if p, ok := strings.CutSuffix(u.Path, r.URL.Path); ok {
		return p
	}
	return ""
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r, maxBody)
	entry := Entry{Kind: KindAPI, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Authorization: r.Header.Get("Authorization") != ""}
	rt, id, pathFound := matchRoute(r.Method, r.URL.Path)
	if rt != nil {
		entry.Route = rt.pattern
	}

	s.mu.Lock()
	if s.JournalBodies {
		entry.Body = body
	}
	entry.Time = s.now()
	var status int
	var out []byte
	var dropped bool
	func() {
		// A handler bug must not leave the lock held: answer 500 and keep serving.
		defer func() {
			if p := recover(); p != nil {
				s.logger().Error("simulator handler panicked", "method", r.Method, "path", r.URL.Path, "panic", p)
				status, out = http.StatusInternalServerError, writeJSONBody(w, http.StatusInternalServerError, errInternal().body())
			}
		}()
		status, out, dropped = s.handleAPILocked(w, r, rt, id, pathFound, body, err, &entry)
	}()
	entry.Status = status
	s.recordLocked(entry)
	conf := s.conformance
	s.mu.Unlock()

	s.logger().Debug("simulator request", "method", r.Method, "path", r.URL.Path, "status", status, "fault", entry.Fault)
	if conf != nil && !dropped {
		conf.check(r, body, status, w.Header(), out)
	}
}

// handleAPILocked runs the API pipeline — faults, auth, rate limit, routing, parameters,
// handler — writes the answer and returns its status and body.
func (s *Server) handleAPILocked(w http.ResponseWriter, r *http.Request, rt *route, id string, pathFound bool,
	body []byte, bodyErr error, entry *Entry) (status int, out []byte, dropped bool) {
	fail := func(e *apiError) (int, []byte, bool) {
		return e.Status, writeJSONBody(w, e.Status, e.body()), false
	}
	pattern := ""
	if rt != nil {
		pattern = rt.pattern
	}
	plan := s.planFaultLocked(KindAPI, r.Method, pattern, r.URL.Path)
	entry.Fault = plan.name
	if plan.drop {
		dropConn(w)
		return 0, nil, true
	}
	key, aerr := s.authenticateLocked(r)
	if aerr != nil {
		return fail(aerr)
	}
	entry.KeyID = key.id
	if !s.spendLocked(key, w.Header()) {
		return fail(errRateLimit())
	}
	if rt == nil {
		if pathFound {
			return fail(errMethod(r.Method))
		}
		return fail(errPathNotFound(r.URL.Path))
	}
	if !key.canRead() || (rt.write && !key.canWrite()) {
		return fail(errForbidden())
	}
	if bodyErr != nil {
		return fail(errUnprocessable("The request body could not be read: "+bodyErr.Error(), ""))
	}
	if e := checkQuery(rt, r.URL.Query()); e != nil {
		return fail(e)
	}
	if plan.status != 0 && !plan.applied {
		return fail(faultError(plan.status))
	}
	host, prefix := baseURL(r), mountPrefix(r)
	c := &call{method: r.Method, route: rt.pattern, id: id, query: r.URL.Query(), body: body, key: key,
		base: host + prefix, self: host + prefix + r.URL.RequestURI()}
	resp, herr := rt.h(s, c)
	if plan.status != 0 {
		return fail(faultError(plan.status))
	}
	if herr != nil {
		return fail(herr)
	}
	if resp.location != "" {
		w.Header().Set("Location", resp.location)
	}
	if resp.contentType != "" {
		w.Header().Set("Content-Type", resp.contentType)
	}
	if resp.status == http.StatusNoContent {
		w.WriteHeader(resp.status)
		return resp.status, nil, false
	}
	return resp.status, writeJSONBody(w, resp.status, resp.body), false
}

func faultError(status int) *apiError {
	e := errInternal()
	e.Status = status
	if status == http.StatusServiceUnavailable {
		e.Code, e.Title, e.Detail = "SERVICE_UNAVAILABLE", "Service Unavailable", "The service is temporarily unavailable."
	}
	return e
}

// dropConn closes the client connection without an answer.
func dropConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		// A recorder cannot be hijacked: answer nothing useful.
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}
