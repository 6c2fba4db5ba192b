package ascapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ClientOption configures a Client in NewClient; it returns an error for a bad value.
type ClientOption func(*Client) error

// WithBaseURL sets the API root. It must be https, or http on a loopback host (tests and the
// simulator). A path prefix is kept: request paths are resolved below it.
func WithBaseURL(u string) ClientOption {
	return func(c *Client) error {
		p, err := url.Parse(u)
		if err != nil {
			return fmt.Errorf("base URL: %w", err)
		}
		switch {
		case p.Host == "":
			return fmt.Errorf("base URL %q: no host", u)
		case p.Scheme == "https":
		case p.Scheme == "http" && isLoopback(p.Hostname()):
		default:
			return fmt.Errorf("base URL %q: must be https (http only on a loopback host)", u)
		}
		if !strings.HasSuffix(p.Path, "/") {
			p.Path += "/"
		}
		p.RawQuery, p.Fragment = "", ""
		c.baseURL = p
		return nil
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// WithHTTPClient sets the HTTP client for API calls. Upload PUTs and downloads use the
// client set by WithUploadHTTPClient.
func WithHTTPClient(h *http.Client) ClientOption {
	return func(c *Client) error {
		if h == nil {
			return errors.New("http client is nil")
		}
		c.http = h
		return nil
	}
}

// WithLogger sets the logger; requests are logged at debug level (default: discard).
func WithLogger(l *slog.Logger) ClientOption {
	return func(c *Client) error {
		if l == nil {
			return errors.New("logger is nil")
		}
		c.logger = l.With("component", "ascapi")
		return nil
	}
}

// WithClock sets the clock used for tokens, rate pacing, Retry-After dates and deadlines.
func WithClock(now func() time.Time) ClientOption {
	return func(c *Client) error {
		if now == nil {
			return errors.New("clock is nil")
		}
		c.now = now
		return nil
	}
}

// WithSleep sets how the client waits (backoff, pacing, polling); tests pass a function that
// advances a fake clock instead of sleeping. It must return ctx.Err() when ctx is done.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) ClientOption {
	return func(c *Client) error {
		if sleep == nil {
			return errors.New("sleep is nil")
		}
		c.sleep = sleep
		return nil
	}
}

// WithRand sets the source of jitter: a function returning values in [0, 1).
func WithRand(f func() float64) ClientOption {
	return func(c *Client) error {
		if f == nil {
			return errors.New("rand is nil")
		}
		c.rand = f
		return nil
	}
}

// WithUploadConcurrency sets how many upload parts are sent at once (default 4).
func WithUploadConcurrency(n int) ClientOption {
	return func(c *Client) error {
		if n < 1 {
			return fmt.Errorf("upload concurrency %d: must be at least 1", n)
		}
		c.uploadPar = n
		return nil
	}
}

// WithMaxRetries sets how many times a GET (or a request answered 429) and an upload part are
// retried (default 5).
func WithMaxRetries(n int) ClientOption {
	return func(c *Client) error {
		if n < 0 {
			return fmt.Errorf("max retries %d: must not be negative", n)
		}
		c.retries = n
		return nil
	}
}

// WithPacer makes the client share p with the other clients of the same key.
func WithPacer(p *Pacer) ClientOption {
	return func(c *Client) error {
		if p == nil {
			return errors.New("pacer is nil")
		}
		c.pacer = p
		return nil
	}
}

// WithObserver sets a hook called after every HTTP exchange (API calls and upload parts),
// e.g. for metrics. It must be safe for concurrent use and must not block.
func WithObserver(f func(RequestInfo)) ClientOption {
	return func(c *Client) error {
		c.observer = f
		return nil
	}
}
