package ascapitest

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// serveUpload accepts one upload part: PUT /upload/<token>/<part>?Expires=…&Signature=….
// Like Apple's blob store it needs no JWT; whether one was sent is recorded in the journal.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	entry := Entry{Kind: KindUpload, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Authorization: r.Header.Get("Authorization") != ""}
	s.mu.Lock()
	entry.Time = s.now()
	status, msg := s.uploadLocked(w, r, &entry)
	entry.Status = status
	s.recordLocked(entry)
	s.mu.Unlock()
	if status == 0 {
		return // dropped
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg)
}

func (s *Server) uploadLocked(w http.ResponseWriter, r *http.Request, entry *Entry) (int, string) {
	plan := s.planFaultLocked(KindUpload, r.Method, "", r.URL.Path)
	entry.Fault = plan.name
	if plan.drop {
		dropConn(w)
		return 0, ""
	}
	if r.Method != http.MethodPut {
		return http.StatusMethodNotAllowed, "upload operations take PUT\n"
	}
	rest := strings.TrimPrefix(r.URL.Path, "/upload/")
	token, idx, ok := strings.Cut(rest, "/")
	a := s.byToken[token]
	i, err := strconv.Atoi(idx)
	if !ok || a == nil || err != nil || i < 0 || i >= len(a.parts) {
		return http.StatusNotFound, "no such upload\n"
	}
	if expired(s.now(), r.URL.Query().Get("Expires")) || r.URL.Query().Get("Signature") != signature(token, i) {
		return http.StatusForbidden, "request has expired or its signature does not match\n"
	}
	if a.state != stateAwaiting {
		return http.StatusConflict, "asset is no longer awaiting upload\n"
	}
	if got := r.Header.Get("Content-Type"); got != a.uploadContentType {
		return http.StatusBadRequest, fmt.Sprintf("Content-Type %q does not match the upload operation's %q\n", got, a.uploadContentType)
	}
	p := &a.parts[i]
	body, err := readBody(r, p.length)
	if s.JournalBodies {
		entry.Body = body
	}
	if err != nil || int64(len(body)) != p.length {
		return http.StatusBadRequest, fmt.Sprintf("part %d wants exactly %d bytes\n", i, p.length)
	}
	if plan.status != 0 && !plan.applied {
		return plan.status, "internal error\n"
	}
	if a.data == nil {
		a.data = make([]byte, a.fileSize) // allocated at the first part, not at reservation
	}
	copy(a.data[p.offset:], body)
	p.received = true
	if plan.status != 0 {
		return plan.status, "internal error\n"
	}
	return http.StatusOK, ""
}

// serveDownload answers GET /download/<token>/<w>x<h>bb.<f> with the asset re-encoded, and
// /download/<token>/video.mp4 with a preview's bytes.
func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request) {
	entry := Entry{Kind: KindDownload, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Authorization: r.Header.Get("Authorization") != ""}
	s.mu.Lock()
	entry.Time = s.now()
	rest := strings.TrimPrefix(r.URL.Path, "/download/")
	token, name, _ := strings.Cut(rest, "/")
	a := s.byToken[token]
	var data []byte
	if a != nil && a.state == stateComplete {
		data = a.data
	}
	s.mu.Unlock()

	status, ctype, out := s.download(data, a != nil && a.kind == typePreviews, name)
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(status)
	_, _ = w.Write(out)

	s.mu.Lock()
	entry.Status = status
	s.recordLocked(entry)
	s.mu.Unlock()
}

func (s *Server) download(data []byte, preview bool, name string) (int, string, []byte) {
	notFound := []byte("not found\n")
	if data == nil {
		return http.StatusNotFound, "text/plain", notFound
	}
	if preview && name == "video.mp4" {
		return http.StatusOK, "video/mp4", data
	}
	if preview {
		// The poster frame of a preview: a plain rendered frame.
		data = SamplePNG(886, 1920, 0)
		name = strings.TrimPrefix(name, "frame/")
	}
	var wd, ht int
	var format string
	if _, err := fmt.Sscanf(strings.Replace(name, "bb.", " ", 1), "%dx%d %s", &wd, &ht, &format); err != nil ||
		(format != "png" && format != "jpg" && format != "jpeg") {
		return http.StatusNotFound, "text/plain", notFound
	}
	if wd > 4096 || ht > 4096 {
		return http.StatusBadRequest, "text/plain", []byte("size too large\n")
	}
	out, err := render(data, wd, ht, format)
	if err != nil {
		return http.StatusInternalServerError, "text/plain", []byte(err.Error() + "\n")
	}
	ctype := "image/png"
	if format != "png" {
		ctype = "image/jpeg"
	}
	return http.StatusOK, ctype, out
}
