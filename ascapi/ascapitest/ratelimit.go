package ascapitest

import (
	"fmt"
	"net/http"
	"time"
)

// DefaultRateLimit is the requests-per-rolling-hour budget of a key when Server.RateLimit is 0.
const DefaultRateLimit = 3600

// spendLocked charges one request to key's rolling-hour budget, sets X-Rate-Limit and reports
// whether the request may go on.
func (s *Server) spendLocked(key *apiKey, h http.Header) bool {
	limit := key.rateLimit
	if limit <= 0 {
		limit = s.RateLimit
	}
	if limit <= 0 {
		limit = DefaultRateLimit
	}
	now := s.now()
	cut := now.Add(-time.Hour)
	used := s.spent[key.id]
	i := 0
	for i < len(used) && !used[i].After(cut) {
		i++
	}
	used = used[i:]
	ok := len(used) < limit
	if ok {
		used = append(used, now)
	}
	s.spent[key.id] = used
	h.Set("X-Rate-Limit", fmt.Sprintf("user-hour-lim:%d;user-hour-rem:%d;", limit, limit-len(used)))
	return ok
}
