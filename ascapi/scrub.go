package ascapi

import (
	"errors"
	"net/url"
	"regexp"
)

var (
	bearerRE = regexp.MustCompile(`(?i)bearer\s+[A-Za-z0-9._~+/=-]{16,}`)
	jwtRE    = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)
)

// Scrub removes bearer credentials and anything shaped like a JWT from s. Every message that
// may carry request details goes through it before it reaches an error or a log line.
func Scrub(s string) string {
	s = bearerRE.ReplaceAllString(s, "Bearer [redacted]")
	return jwtRE.ReplaceAllString(s, "[redacted-jwt]")
}

// redactURL returns u without its query (pre-signed upload URLs carry signatures there) and
// scrubbed.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		c.RawQuery = "…"
	}
	c.Fragment = ""
	return Scrub(c.String())
}

// scrubbedError keeps the wrapped error for errors.Is/As but prints a scrubbed message.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// scrubError rewrites transport errors so that neither a token nor a pre-signed URL's query
// appears in their message.
func scrubError(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		u, perr := url.Parse(ue.URL)
		shown := "[url]"
		if perr == nil {
			shown = redactURL(u)
		}
		return &scrubbedError{msg: Scrub(ue.Op + " " + shown + ": " + ue.Err.Error()), err: err}
	}
	return &scrubbedError{msg: Scrub(err.Error()), err: err}
}
