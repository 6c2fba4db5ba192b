package statusapi

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// HeartbeatInterval is how often an idle event stream gets a comment line, so proxies and
// clients see the connection alive.
const HeartbeatInterval = 15 * time.Second

// Ticker is the part of *time.Ticker the server uses; tests inject one they drive by hand.
type Ticker interface {
	// C returns the channel the ticks arrive on.
	C() <-chan time.Time
	// Stop releases the ticker.
	Stop()
}

// Config configures a Server. Listen, TokenFile and Backend are required.
type Config struct {
	// Listen is the loopback address to listen on ("127.0.0.1:7420"; port 0 picks one).
	Listen string
	// TokenFile holds the bearer token; it is created (0600) when absent.
	TokenFile string
	// MetricsHandler serves GET /metrics; nil answers 404 there.
	MetricsHandler http.Handler
	// MetricsAuth makes /metrics require the bearer token too.
	MetricsAuth bool
	// Pages serves every path outside /api/, /healthz and /metrics (the dashboard); nil
	// answers 404 there. The Host and Origin guards apply to it too.
	Pages http.Handler
	// LoginCode makes a single-use dashboard login code for POST /api/v1/dashboard/login;
	// nil leaves that endpoint out.
	LoginCode func() (string, error)
	// Backend answers the API's questions.
	Backend Backend
	// Logger receives the server's logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// NewTicker makes the event streams' heartbeat ticker; nil means a time.Ticker.
	NewTicker func(d time.Duration) Ticker
	// Rand is the token's randomness; nil means crypto/rand.
	Rand io.Reader
	// Team authenticates team members' tokens beside the daemon's own and accepts
	// invitations; nil accepts only the daemon's own token.
	Team Team
	// TLS serves HTTPS; it is required when Listen is not a loopback address.
	TLS *TLSConfig
	// PublicNames are the host names (or addresses) the API may be called by besides
	// loopback ones: the Host check accepts them.
	PublicNames []string
}

// Server is the daemon's loopback HTTP API. Make one with New and start it with Run; its
// methods are safe for concurrent use.
type Server struct {
	cfg     Config
	log     *slog.Logger
	token   string
	handler http.Handler
	ready   chan struct{}
	// attempts limits invitation attempts and failed token checks per address.
	attempts *limiter
	// cert and fingerprint are the TLS certificate; fingerprint is "" without TLS.
	cert        tls.Certificate
	fingerprint string
	// public is true when Listen is not loopback: every request is authenticated.
	public bool
	// grace is how long Run waits for open requests when it stops.
	grace time.Duration

	mu   sync.Mutex
	addr *net.TCPAddr
}

// New checks cfg, creates or reads the token file and builds the routes. It does not listen.
func New(cfg Config) (*Server, error) {
	if cfg.Backend == nil {
		return nil, errors.New("statusapi: no backend")
	}
	if cfg.TokenFile == "" {
		return nil, errors.New("statusapi: no token file")
	}
	host, _, err := net.SplitHostPort(cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("api listen address %q: %w", cfg.Listen, err)
	}
	public := !isLoopbackHost(host)
	if public && cfg.TLS == nil {
		return nil, fmt.Errorf("api listen address %q is not a loopback address: the API leaves this machine only with TLS ([api] tls_cert and tls_key, or tls_generate)", cfg.Listen)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewTicker == nil {
		cfg.NewTicker = newTimeTicker
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	s := &Server{cfg: cfg, log: cfg.Logger.With("component", "statusapi"), ready: make(chan struct{}), attempts: newLimiter(cfg.Now), public: public, grace: 5 * time.Second}
	if cfg.TLS != nil {
		if s.cert, s.fingerprint, err = loadTLS(*cfg.TLS, cfg.Now()); err != nil {
			return nil, err
		}
	}
	tok, err := ensureToken(cfg.TokenFile, cfg.Rand, s.log)
	if err != nil {
		return nil, err
	}
	s.token = tok
	s.handler = s.guard(s.routes())
	return s, nil
}

// Handler returns the server's HTTP handler, guards included (for tests and embedding).
func (s *Server) Handler() http.Handler { return s.handler }

// Run listens on cfg.Listen and serves until ctx is cancelled, then shuts down gracefully:
// open event streams end, in-flight requests get up to five seconds to finish.
func (s *Server) Run(ctx context.Context) error {
	ln, err := s.listen(ctx)
	if err != nil {
		return err
	}
	close(s.ready)
	s.log.Info("API listening", "addr", ln.Addr().String())

	// Requests inherit ctx, so cancelling it ends long-lived event streams, which Shutdown
	// would otherwise wait for.
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       15 * time.Second,
		IdleTimeout:       60 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("api serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// A client that holds a request past the grace period (a browser tab on a slow
		// machine) is cut off: stopping the service is not its failure.
		s.log.Warn("API requests still open at shutdown: closing them", "grace", s.grace, "error", err)
		srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("api serve: %w", err)
	}
	return nil
}

// listen binds cfg.Listen once; a second Run is an error.
func (s *Server) listen(ctx context.Context) (net.Listener, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.addr != nil {
		return nil, errors.New("statusapi: Run called twice")
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("api listen: %w", err)
	}
	s.addr = ln.Addr().(*net.TCPAddr)
	if s.cfg.TLS != nil {
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{s.cert}, MinVersion: tls.VersionTLS12})
	}
	return ln, nil
}

// Fingerprint is the SHA-256 fingerprint of the API's TLS certificate; "" without TLS.
func (s *Server) Fingerprint() string { return s.fingerprint }

// URL is the API's base URL as others call it: https with TLS, and the first public name
// (with the listening port) when there is one.
func (s *Server) URL() string {
	scheme := "http"
	if s.cfg.TLS != nil {
		scheme = "https"
	}
	host := ""
	if len(s.cfg.PublicNames) > 0 {
		host = net.JoinHostPort(s.cfg.PublicNames[0], fmt.Sprint(s.port()))
	} else if a := s.Addr(); a != "" {
		host = a
	} else {
		host = s.cfg.Listen
	}
	return scheme + "://" + host
}

// Ready returns a channel closed once Run listens.
func (s *Server) Ready() <-chan struct{} { return s.ready }

// Addr returns the address Run listens on ("127.0.0.1:7420"), or "" before it listens.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.addr == nil {
		return ""
	}
	return s.addr.String()
}

// port is the listening port, used to recognise our own origin; 0 before Run listens.
func (s *Server) port() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.addr == nil {
		_, p, _ := net.SplitHostPort(s.cfg.Listen)
		var n int
		fmt.Sscan(p, &n)
		return n
	}
	return s.addr.Port
}

type timeTicker struct{ t *time.Ticker }

func newTimeTicker(d time.Duration) Ticker { return timeTicker{time.NewTicker(d)} }
func (t timeTicker) C() <-chan time.Time   { return t.t.C }
func (t timeTicker) Stop()                 { t.t.Stop() }

// DashboardURL is the address that logs a browser in with the one-time code.
func (s *Server) DashboardURL(code string) string {
	return "http://" + s.Addr() + "/login?code=" + url.QueryEscape(code)
}
