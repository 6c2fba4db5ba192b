package statusapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/storesyncer/storesyncer/internal/roles"
)

// maxBody bounds request bodies; the API's requests are a few hundred bytes.
const maxBody = 1 << 20

// Default and largest page sizes of GET /api/v1/history.
const (
	defaultHistoryLimit = 50
	maxHistoryLimit     = 1000
)

// routes builds the mux. /healthz and (unless MetricsAuth) /metrics are open; everything under
// /api/v1/ needs the token.
func (s *Server) routes() http.Handler {
	b := s.cfg.Backend
	api := http.NewServeMux()
	paths := map[string]string{} // path → method, for 405 answers
	handle := func(method, path string, h http.HandlerFunc) {
		api.Handle(method+" "+path, h)
		paths[path] = method
	}
	handle("GET", "/api/v1/status", func(w http.ResponseWriter, r *http.Request) {
		st := b.Status(r.Context())
		st.TLSFingerprint = s.fingerprint
		if app, ok := memberApp(r); ok {
			// A member sees their own app only.
			st.Apps = slices.DeleteFunc(st.Apps, func(a AppStatus) bool { return a.BundleID != app })
			st.Problems = slices.DeleteFunc(st.Problems, func(p Problem) bool { return p.App != app })
			st.Conflicts = slices.DeleteFunc(st.Conflicts, func(c Conflict) bool { return c.App != app })
		}
		writeJSON(w, http.StatusOK, st)
	})
	handle("GET", "/api/v1/queue", func(w http.ResponseWriter, r *http.Request) {
		jobs, err := b.Jobs(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if app, ok := memberApp(r); ok {
			jobs = slices.DeleteFunc(jobs, func(j Job) bool { return j.App != app })
		}
		writeJSON(w, http.StatusOK, JobList{Jobs: nonNil(jobs)})
	})
	handle("GET", "/api/v1/history", s.history)
	handle("GET", "/api/v1/events", s.events)
	handle("POST", "/api/v1/rescan", s.action(b.Rescan))
	handle("POST", "/api/v1/pause", s.action(b.Pause))
	handle("POST", "/api/v1/resume", s.action(b.Resume))
	handle("POST", "/api/v1/approve", func(w http.ResponseWriter, r *http.Request) {
		var req ApproveRequest
		if !s.decode(w, r, &req) {
			return
		}
		n, err := b.Approve(r.Context(), req)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, ApproveResult{Approved: n})
	})
	handle("POST", "/api/v1/jobs/{id}/retry", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			writeError(w, &Error{Status: http.StatusBadRequest, Code: "invalid", Message: fmt.Sprintf("job id %q is not a positive number", r.PathValue("id"))})
			return
		}
		if err := b.RetryJob(r.Context(), id); err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, OK{OK: true})
	})
	handle("POST", "/api/v1/commands/{name}", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			writeError(w, &Error{Status: http.StatusBadRequest, Code: "invalid", Message: "read request body: " + err.Error()})
			return
		}
		res, err := b.Command(r.Context(), r.PathValue("name"), body)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if res.Error != nil && res.Error.Code == CodeForbidden {
			writeJSON(w, http.StatusForbidden, ErrorResponse{Error: *res.Error})
			return
		}
		writeJSON(w, http.StatusOK, res)
	})
	if s.cfg.LoginCode != nil {
		handle("POST", "/api/v1/dashboard/login", func(w http.ResponseWriter, r *http.Request) {
			code, err := s.cfg.LoginCode()
			if err != nil {
				s.fail(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, DashboardLogin{URL: s.DashboardURL(code)})
		})
	}
	api.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		if m, ok := paths[r.URL.Path]; ok {
			w.Header().Set("Allow", m)
			writeError(w, &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed", Message: fmt.Sprintf("%s %s: use %s", r.Method, r.URL.Path, m)})
			return
		}
		writeError(w, &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no endpoint " + r.URL.Path})
	})

	root := http.NewServeMux()
	root.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, Health{Status: "ok"})
	})
	var metrics http.Handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, &Error{Status: http.StatusNotFound, Code: "not_found", Message: "metrics are not enabled"})
	})
	if s.cfg.MetricsHandler != nil {
		metrics = s.cfg.MetricsHandler
	}
	if s.cfg.MetricsAuth || s.public {
		// Off loopback every request but /healthz is authenticated.
		metrics = s.requireToken(metrics, false)
	}
	root.Handle("GET /metrics", metrics)
	root.HandleFunc("POST /api/v1/invitations/accept", s.accept)
	root.Handle("/api/v1/", s.requireToken(api, true))
	if s.cfg.Pages != nil {
		root.Handle("/", s.limitLogins(s.cfg.Pages))
	} else {
		root.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			writeError(w, &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no endpoint " + r.URL.Path})
		})
	}
	return root
}

// history serves GET /api/v1/history?app=&limit=&before=.
func (s *Server) history(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := intParam(q.Get("limit"), defaultHistoryLimit)
	if err != nil || limit < 1 {
		writeError(w, &Error{Status: http.StatusBadRequest, Code: "invalid", Message: fmt.Sprintf("limit %q is not a positive number", q.Get("limit"))})
		return
	}
	limit = min(limit, maxHistoryLimit)
	before, err := intParam(q.Get("before"), 0)
	if err != nil || before < 0 {
		writeError(w, &Error{Status: http.StatusBadRequest, Code: "invalid", Message: fmt.Sprintf("before %q is not an entry id", q.Get("before"))})
		return
	}
	var entries []HistoryEntry
	if app, ok := memberApp(r); ok {
		q.Set("app", app) // a member reads their own app's history only
	}
	if member := q.Get("member"); member != "" {
		mh, ok := s.cfg.Backend.(MemberHistory)
		if !ok {
			writeError(w, &Error{Status: http.StatusBadRequest, Code: "invalid", Message: "this daemon does not record members"})
			return
		}
		entries, err = mh.HistoryOf(r.Context(), q.Get("app"), member, limit, int64(before))
	} else {
		entries, err = s.cfg.Backend.History(r.Context(), q.Get("app"), limit, int64(before))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, HistoryList{Entries: nonNil(entries)})
}

// action adapts a Backend method without arguments or result.
func (s *Server) action(f func(context.Context) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := f(r.Context()); err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, OK{OK: true})
	}
}

// decode reads a JSON body into v; an empty body leaves v zero. It answers 400 and returns
// false when the body is not a JSON object of v's shape.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeError(w, &Error{Status: http.StatusBadRequest, Code: "invalid", Message: "read request body: " + err.Error()})
		return false
	}
	if strings.TrimSpace(string(body)) == "" {
		return true
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, &Error{Status: http.StatusBadRequest, Code: "invalid", Message: "request body: " + err.Error()})
		return false
	}
	return true
}

// fail answers a Backend error and logs the unexpected ones.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := errorFor(err)
	if e.Status >= 500 {
		if errors.Is(r.Context().Err(), context.Canceled) {
			return // the client went away or the daemon is stopping
		}
		s.log.Error("API request", "method", r.Method, "path", LogPath(r.URL.Path), "err", err)
	}
	writeError(w, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *Error) {
	writeJSON(w, e.Status, ErrorResponse{Error: ErrorBody{Code: e.Code, Message: e.Message, Path: e.Path}})
}

func intParam(v string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	return strconv.Atoi(v)
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// memberApp is the app of the team member asking; ok is false for the user running the
// daemon, who sees every app.
func memberApp(r *http.Request) (string, bool) {
	c := roles.CallerFrom(r.Context())
	return c.App, !c.IsLocal()
}
