package statusapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ClientConfig configures a Client. Listen and TokenFile are required.
type ClientConfig struct {
	// Listen is the daemon's API address, as in the config's [api] listen.
	Listen string
	// TokenFile is the daemon's token file, as in the config's [api] token_file.
	TokenFile string
	// BaseURL and Token, when BaseURL is set, replace Listen and TokenFile: a team member's
	// CLI reaching a daemon on another machine ("https://mac.example:7420") with their
	// personal token (storesyncer login).
	BaseURL string
	Token   string
	// Fingerprint, when set, makes the client speak TLS and accept only the certificate with
	// that SHA-256 fingerprint (the daemon's generated one; `status` and invitations show it).
	Fingerprint string
	// HTTPClient sends the requests; nil means a client without an overall timeout (a push
	// through the daemon can take minutes; pass a ctx with a deadline instead).
	HTTPClient *http.Client
}

// Client talks to a running daemon's API. Make one with NewClient (the zero value is not
// usable); it is safe for concurrent use.
type Client struct {
	cfg  ClientConfig
	base string
	hc   *http.Client
}

// NewClient checks cfg and returns a client. It does not contact the daemon.
func NewClient(cfg ClientConfig) (*Client, error) {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	scheme := "http"
	if cfg.Fingerprint != "" {
		scheme = "https"
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = pinnedTLS(cfg.Fingerprint)
		hc = &http.Client{Transport: tr, Timeout: hc.Timeout}
	}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("daemon URL %q: want http(s)://host:port", cfg.BaseURL)
		}
		if cfg.Fingerprint != "" && u.Scheme != "https" {
			return nil, fmt.Errorf("daemon URL %q: a certificate fingerprint needs https", cfg.BaseURL)
		}
		if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("daemon URL %q: only a loopback address may be reached without TLS", cfg.BaseURL)
		}
		if cfg.Token == "" {
			return nil, errors.New("statusapi client: no token")
		}
		return &Client{cfg: cfg, base: u.Scheme + "://" + u.Host, hc: hc}, nil
	}
	host, port, err := net.SplitHostPort(cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("api listen address %q: %w", cfg.Listen, err)
	}
	if !isLoopbackHost(host) && cfg.Fingerprint == "" {
		return nil, fmt.Errorf("api listen address %q is not a loopback address", cfg.Listen)
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1" // a daemon listening on every address answers on loopback too
	}
	if cfg.TokenFile == "" {
		return nil, errors.New("statusapi client: no token file")
	}
	return &Client{cfg: cfg, base: scheme + "://" + net.JoinHostPort(host, port), hc: hc}, nil
}

// Running reports whether a daemon answers /healthz at the configured address.
func (c *Client) Running(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/healthz", nil)
	if err != nil {
		return false
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var h Health
	return resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&h) == nil && h.Status == "ok"
}

// Status returns the daemon's status.
func (c *Client) Status(ctx context.Context) (Status, error) {
	var st Status
	err := c.do(ctx, http.MethodGet, "/api/v1/status", nil, &st)
	return st, err
}

// Jobs returns the daemon's job queue.
func (c *Client) Jobs(ctx context.Context) ([]Job, error) {
	var l JobList
	err := c.do(ctx, http.MethodGet, "/api/v1/queue", nil, &l)
	return l.Jobs, err
}

// History returns up to limit history entries of app ("" for all), newest first, with IDs
// below before (0 for the newest). limit 0 takes the server's default.
func (c *Client) History(ctx context.Context, app string, limit int, before int64) ([]HistoryEntry, error) {
	return c.HistoryOf(ctx, app, "", limit, before)
}

// HistoryOf is History of what member did ("" for everyone; "local", "web" or a member's
// name).
func (c *Client) HistoryOf(ctx context.Context, app, member string, limit int, before int64) ([]HistoryEntry, error) {
	q := url.Values{}
	if app != "" {
		q.Set("app", app)
	}
	if member != "" {
		q.Set("member", member)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if before > 0 {
		q.Set("before", strconv.FormatInt(before, 10))
	}
	path := "/api/v1/history"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var l HistoryList
	err := c.do(ctx, http.MethodGet, path, nil, &l)
	return l.Entries, err
}

// Command runs the command name ("push", "collections.create") in the daemon with req as
// its JSON body and waits for it.
func (c *Client) Command(ctx context.Context, name string, req any) (OpResult, error) {
	var res OpResult
	err := c.do(ctx, http.MethodPost, "/api/v1/commands/"+url.PathEscape(name), req, &res)
	return res, err
}

// newRequest builds an authorized request. A missing token file means no daemon ever ran
// for this state dir: ErrNotRunning.
func (c *Client) newRequest(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	tok, err := c.cfg.Token, error(nil)
	if c.cfg.BaseURL == "" {
		tok, err = readToken(c.cfg.TokenFile)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w (no token file %s)", ErrNotRunning, c.cfg.TokenFile)
	}
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, fmt.Errorf("api request %s: %w", path, err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// send sends req and maps a refused connection to ErrNotRunning and a non-2xx answer to *Error.
func (c *Client) send(req *http.Request) (*http.Response, error) {
	resp, err := c.hc.Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return nil, fmt.Errorf("%w at %s", ErrNotRunning, c.base)
		}
		// url.Error carries the URL, which holds no secret; the token is only in a header.
		return nil, fmt.Errorf("api %s %s: %w", req.Method, req.URL.Path, err)
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	var er ErrorResponse
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if json.Unmarshal(b, &er) != nil || er.Error.Code == "" {
		er.Error = ErrorBody{Code: "http_" + strconv.Itoa(resp.StatusCode), Message: http.StatusText(resp.StatusCode)}
	}
	return nil, &Error{Status: resp.StatusCode, Code: er.Error.Code, Message: er.Error.Message, Path: er.Error.Path}
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encode %s request: %w", path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := c.newRequest(ctx, method, path, body)
	if err != nil {
		return err
	}
	resp, err := c.send(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decode %s answer: %w", path, err)
	}
	// Read the trailing newline too, so the connection is reused.
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

// DashboardLogin asks the daemon for a one-time dashboard login URL.
func (c *Client) DashboardLogin(ctx context.Context) (string, error) {
	var res DashboardLogin
	err := c.do(ctx, http.MethodPost, "/api/v1/dashboard/login", struct{}{}, &res)
	return res.URL, err
}

// Accept uses an invitation: code from its URL, name the display name the member chose. It
// needs no token; the answer holds the member's personal API token.
func (c *Client) Accept(ctx context.Context, code, name string) (AcceptResult, error) {
	b, err := json.Marshal(AcceptRequest{Code: code, Name: name})
	if err != nil {
		return AcceptResult{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/v1/invitations/accept", bytes.NewReader(b))
	if err != nil {
		return AcceptResult{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.send(req)
	if err != nil {
		return AcceptResult{}, err
	}
	defer resp.Body.Close()
	var res AcceptResult
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return AcceptResult{}, fmt.Errorf("decode invitation answer: %w", err)
	}
	return res, nil
}
