package ascapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Response wraps the last *http.Response of a call (its body already consumed) with the rate
// limit it reported.
type Response struct {
	*http.Response
	RateLimit RateLimit
}

// request is one API call: a path relative to the base URL (or an absolute next-page URL) and
// an optional JSON body.
type request struct {
	method string
	path   string // relative, e.g. "v1/apps"; ignored when abs is set
	abs    *url.URL
	query  url.Values
	body   any
}

func (c *Client) resolve(r request) (*url.URL, error) {
	if r.abs != nil {
		return r.abs, nil
	}
	u, err := c.baseURL.Parse(r.path)
	if err != nil {
		return nil, fmt.Errorf("build url for %s: %w", r.path, err)
	}
	if len(r.query) > 0 {
		u.RawQuery = r.query.Encode()
	}
	return u, nil
}

// do sends r, retrying as the package doc describes, and decodes a 2xx JSON body into out
// (when out is non-nil and the body is not empty).
func (c *Client) do(ctx context.Context, r request, out any) (*Response, error) {
	u, err := c.resolve(r)
	if err != nil {
		return nil, err
	}
	var payload []byte
	if r.body != nil {
		if payload, err = json.Marshal(r.body); err != nil {
			return nil, fmt.Errorf("%s %s: encode body: %w", r.method, u.Path, err)
		}
	}
	idempotent := r.method == http.MethodGet || r.method == http.MethodHead
	endpoint := c.endpoint(u)
	for attempt := 0; ; attempt++ {
		slot, err := c.pacer.Reserve(ctx, c.now, c.sleep)
		if err != nil {
			return nil, err
		}
		resp, err := c.send(ctx, r.method, u, payload, endpoint, attempt)
		if err != nil {
			slot.Done(RateLimit{}, c.now())
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if !idempotent && !notSent(err) {
				return nil, fmt.Errorf("%s %s: %w: %w", r.method, endpoint, ErrWriteOutcomeUnknown, err)
			}
			if attempt < c.retries {
				if err := c.sleep(ctx, c.backoff(attempt)); err != nil {
					return nil, err
				}
				continue
			}
			return nil, fmt.Errorf("%s %s: %w", r.method, endpoint, err)
		}
		out2 := &Response{Response: resp, RateLimit: ParseRateLimit(resp.Header.Get("X-Rate-Limit"))}
		slot.Done(out2.RateLimit, c.now())
		cerr := checkResponse(resp, r.method, u.Path, c.now())
		if cerr == nil {
			err := decodeBody(resp, out)
			resp.Body.Close()
			if err != nil {
				return out2, fmt.Errorf("%s %s: decode answer: %w", r.method, endpoint, err)
			}
			return out2, nil
		}
		resp.Body.Close()
		var apiErr *Error
		errors.As(cerr, &apiErr)
		switch {
		case apiErr.StatusCode == http.StatusTooManyRequests && attempt < c.retries:
			wait := apiErr.RetryAfter
			if wait <= 0 {
				wait = c.backoff(attempt)
			}
			c.pacer.Block(c.now().Add(wait))
			c.logger.DebugContext(ctx, "rate limited, backing off", "method", r.method, "path", u.Path, "wait", wait)
			continue // the pacer holds this and every other caller until then
		case apiErr.StatusCode >= 500 && idempotent && attempt < c.retries:
			if err := c.sleep(ctx, c.backoff(attempt)); err != nil {
				return nil, err
			}
			continue
		case apiErr.StatusCode >= 500 && !idempotent:
			apiErr.writeOutcomeUnknown = true
		}
		return out2, apiErr
	}
}

// send performs one HTTP exchange with the bearer token, logs it and reports it to the
// observer. Transport errors come back scrubbed.
func (c *Client) send(ctx context.Context, method string, u *url.URL, payload []byte, endpoint string, attempt int) (*http.Response, error) {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", scrubError(err))
	}
	token, err := c.tokens.Token()
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := c.now()
	resp, err := c.http.Do(req)
	dur := c.now().Sub(start)
	info := RequestInfo{Method: method, Endpoint: endpoint, Duration: dur, Attempt: attempt, TokenExpiry: c.tokens.Expiry()}
	if err != nil {
		err = scrubError(err)
		info.Err = err
		c.observe(info)
		c.logger.DebugContext(ctx, "api request", "method", method, "path", u.Path, "error", err, "duration", dur)
		return nil, err
	}
	rl := ParseRateLimit(resp.Header.Get("X-Rate-Limit"))
	c.setRate(rl)
	info.StatusCode, info.RateLimit = resp.StatusCode, rl
	c.observe(info)
	attrs := []any{"method", method, "path", u.Path, "status", resp.StatusCode, "duration", dur}
	if rl.Known {
		attrs = append(attrs, "rate_remaining", rl.Remaining)
	}
	c.logger.DebugContext(ctx, "api request", attrs...)
	return resp, nil
}

// notSent reports whether a transport error happened before the request left: the
// connection was never made, so even a write can be sent again.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func (c *Client) observe(info RequestInfo) {
	if c.observer != nil {
		c.observer(info)
	}
}

func decodeBody(resp *http.Response, out any) error {
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		return nil
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return scrubError(err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	return json.Unmarshal(data, out)
}

// RequestInfo describes one HTTP exchange for WithObserver. Endpoint is a template without IDs
// ("/v1/appScreenshotSets/{id}/appScreenshots", or "upload" for upload parts) so it can be
// a metric label.
type RequestInfo struct {
	Method     string
	Endpoint   string
	StatusCode int // 0 when no answer arrived
	Duration   time.Duration
	Attempt    int // 0 for the first try
	Upload     bool
	// Bytes is the size of an upload part's body; 0 for API requests.
	Bytes int64
	// TokenExpiry is when the JWT the request carried expires (zero for upload parts, which
	// carry none).
	TokenExpiry time.Time
	// RateLimit is what the answer's X-Rate-Limit said (Known false when absent).
	RateLimit RateLimit
	Err       error
}
