package ascapitest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultRateLimit is a key's budget per window when Server.RateLimit is 0: Apple's commonly
// observed 3600 (asc-api.md §2).
const DefaultRateLimit = 3600

// DefaultRateWindow is the rolling window of the budget when Server.RateWindow is 0: Apple's
// hour.
const DefaultRateWindow = time.Hour

// ParseRateBudget parses a budget spec "N/DURATION" such as "300/1m" or "3600/1h" (what
// `storesyncer simulator --rate-limit` takes) into the request count and the window.
func ParseRateBudget(spec string) (int, time.Duration, error) {
	n, d, ok := strings.Cut(strings.TrimSpace(spec), "/")
	if !ok {
		return 0, 0, fmt.Errorf("rate limit %q: want N/DURATION, e.g. 300/1m", spec)
	}
	limit, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil || limit < 1 {
		return 0, 0, fmt.Errorf("rate limit %q: %q is not a positive number of requests", spec, n)
	}
	window, err := time.ParseDuration(strings.TrimSpace(d))
	if err != nil || window <= 0 {
		return 0, 0, fmt.Errorf("rate limit %q: %q is not a positive duration (e.g. 1m, 10s, 1h)", spec, d)
	}
	return limit, window, nil
}

func (s *Server) rateWindow() time.Duration {
	if s.RateWindow > 0 {
		return s.RateWindow
	}
	return DefaultRateWindow
}

// spendLocked charges one request to key's rolling budget, sets X-Rate-Limit and reports
// whether the request may go on. A refused request is not charged. The header keeps Apple's
// names (user-hour-lim, user-hour-rem) whatever the window.
func (s *Server) spendLocked(key *apiKey, h http.Header) bool {
	limit := key.rateLimit
	if limit <= 0 {
		limit = s.RateLimit
	}
	if limit <= 0 {
		limit = DefaultRateLimit
	}
	now := s.now()
	cut := now.Add(-s.rateWindow())
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
