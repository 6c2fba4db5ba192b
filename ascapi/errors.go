package ascapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors. Match them with errors.Is; an *Error matches ErrNotFound, ErrConflict and
// ErrRateLimited by its status, and ErrWriteOutcomeUnknown when a write got a 5xx answer.
var (
	// ErrNotFound means the resource does not exist (HTTP 404, or no app with the bundle ID).
	ErrNotFound = errors.New("not found")
	// ErrConflict means App Store Connect refused a write by one of its rules (HTTP 409).
	ErrConflict = errors.New("conflict")
	// ErrRateLimited means the key's hourly budget was exhausted (HTTP 429) even after retries.
	ErrRateLimited = errors.New("rate limited")
	// ErrWriteOutcomeUnknown means a POST, PATCH or DELETE got a 5xx, timed out or lost its
	// connection: Apple may or may not have applied it. Re-read before deciding to retry.
	ErrWriteOutcomeUnknown = errors.New("write outcome unknown")
)

// ErrorSource points at the part of the request an error concerns: a JSON pointer into the
// body or a query parameter name.
type ErrorSource struct {
	Pointer   string `json:"pointer,omitempty"`
	Parameter string `json:"parameter,omitempty"`
}

// ErrorEntry is one element of a JSON:API error document.
type ErrorEntry struct {
	ID     string       `json:"id,omitempty"`
	Status string       `json:"status"`
	Code   string       `json:"code"`
	Title  string       `json:"title"`
	Detail string       `json:"detail"`
	Source *ErrorSource `json:"source,omitempty"`
}

// Error is an error answer from App Store Connect, with every entry of its error document.
// RetryAfter is the parsed Retry-After header (zero when absent).
type Error struct {
	StatusCode int
	Method     string
	Path       string
	Errors     []ErrorEntry
	RetryAfter time.Duration
	// Body holds the (scrubbed, truncated) body when it was not a JSON:API error document.
	Body string

	writeOutcomeUnknown bool
}

// Error summarizes the status and all entries.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	for i, en := range e.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(en.Code)
		if en.Detail != "" {
			b.WriteString(" (" + en.Detail + ")")
		} else if en.Title != "" {
			b.WriteString(" (" + en.Title + ")")
		}
		if en.Source != nil && en.Source.Pointer != "" {
			b.WriteString(" at " + en.Source.Pointer)
		} else if en.Source != nil && en.Source.Parameter != "" {
			b.WriteString(" at parameter " + en.Source.Parameter)
		}
	}
	if len(e.Errors) == 0 && e.Body != "" {
		b.WriteString(": " + e.Body)
	}
	return Scrub(b.String())
}

// HasCode reports whether any entry's code equals prefix or starts with prefix followed by a
// dot: HasCode("ENTITY_ERROR") matches "ENTITY_ERROR.ATTRIBUTE.INVALID". Apple sometimes puts
// the useful code in a later entry, so all entries are checked.
func (e *Error) HasCode(prefix string) bool {
	for _, en := range e.Errors {
		if en.Code == prefix || strings.HasPrefix(en.Code, prefix+".") {
			return true
		}
	}
	return false
}

// Retryable reports whether sending the same request again may succeed: 429 and 5xx.
func (e *Error) Retryable() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

// Is lets errors.Is match the sentinels by status.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrWriteOutcomeUnknown:
		return e.writeOutcomeUnknown
	}
	return false
}

// IsNotFound reports whether err means the resource does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsConflict reports whether err is a 409 from App Store Connect.
func IsConflict(err error) bool { return errors.Is(err, ErrConflict) }

// IsRateLimited reports whether err is a 429 from App Store Connect.
func IsRateLimited(err error) bool { return errors.Is(err, ErrRateLimited) }

// HasCode reports whether err is an *Error with an entry matching the code prefix.
func HasCode(err error, prefix string) bool {
	var e *Error
	return errors.As(err, &e) && e.HasCode(prefix)
}

const maxErrorBody = 64 << 10

// checkResponse returns nil for a 2xx answer and otherwise an *Error built from the body,
// which it consumes. now resolves an HTTP-date Retry-After.
func checkResponse(resp *http.Response, method, path string, now time.Time) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	e := &Error{StatusCode: resp.StatusCode, Method: method, Path: path}
	e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var doc struct {
		Errors []ErrorEntry `json:"errors"`
	}
	if json.Unmarshal(data, &doc) == nil && len(doc.Errors) > 0 {
		e.Errors = doc.Errors
		return e
	}
	body := strings.TrimSpace(string(bytes.ToValidUTF8(data, []byte("?"))))
	if len(body) > 300 {
		body = body[:300] + "…"
	}
	e.Body = Scrub(body)
	return e
}

// parseRetryAfter reads delay-seconds or an HTTP date; it returns 0 when absent or invalid.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
