package ascapitest

import (
	"bytes"
	"strings"
	"time"
)

// Kind tells API calls from upload and download traffic in the journal.
type Kind string

// The kinds of traffic the simulator serves.
const (
	KindAPI      Kind = "api"
	KindUpload   Kind = "upload"
	KindDownload Kind = "download"
)

// Entry is one request the simulator received.
type Entry struct {
	Time   time.Time
	Kind   Kind
	Method string
	Path   string
	Query  string
	// Route is the matched path pattern ("/v1/appScreenshots/{id}"), empty when none matched.
	Route  string
	Status int
	// Authorization reports whether the request carried an Authorization header; upload
	// and download traffic must never carry one.
	Authorization bool
	// KeyID is the key that signed an authenticated API call.
	KeyID string
	// Fault names the injected fault that shaped the answer, if any.
	Fault string
	// Body is the request's body when Server.JournalBodies is set.
	Body []byte
}

// maxJournal bounds the journal of a long-running simulator; tests never get near it.
const maxJournal = 100_000

func (s *Server) recordLocked(e Entry) {
	if len(s.journal) >= maxJournal {
		s.journal = append(s.journal[:0:0], s.journal[maxJournal/2:]...)
	}
	s.journal = append(s.journal, e)
}

// Journal returns a copy of every request recorded since the start or the last ResetJournal.
// It is safe for concurrent use.
func (s *Server) Journal() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Entry(nil), s.journal...)
}

// APICalls returns the journal's API calls (not upload or download traffic).
func (s *Server) APICalls() []Entry {
	var out []Entry
	for _, e := range s.Journal() {
		if e.Kind == KindAPI {
			out = append(out, e)
		}
	}
	return out
}

// CountAPI counts API calls with method (any when empty) whose path starts with pathPrefix.
func (s *Server) CountAPI(method, pathPrefix string) int {
	n := 0
	for _, e := range s.APICalls() {
		if (method == "" || e.Method == method) && strings.HasPrefix(e.Path, pathPrefix) {
			n++
		}
	}
	return n
}

// ResetJournal forgets the recorded requests.
func (s *Server) ResetJournal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.journal = nil
}

// Containing returns the journal entries whose path, query or body (kept with JournalBodies)
// holds marker: a test puts a marker in a file that must never be sent and asserts none.
func (s *Server) Containing(marker []byte) []Entry {
	var out []Entry
	for _, e := range s.Journal() {
		if bytes.Contains(e.Body, marker) || strings.Contains(e.Path, string(marker)) || strings.Contains(e.Query, string(marker)) {
			out = append(out, e)
		}
	}
	return out
}

// SetJournalBodies turns JournalBodies on or off while the server runs.
func (s *Server) SetJournalBodies(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.JournalBodies = on
}
