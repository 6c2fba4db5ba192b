package ascapitest

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// DefaultPartSize is the upload part size when Server.PartSize is 0.
const DefaultPartSize = 5 << 20

// Server is an in-memory App Store Connect. Its zero value works: on first use it creates a
// team key (see Credentials) and, unless NoSeed is set, loads Seed or the default seed. Set
// the exported fields before the first request; afterwards use the methods, which are safe
// for concurrent use.
type Server struct {
	// Now is the clock for tokens, rate limits, upload expiry and processing; nil is time.Now.
	Now func() time.Time
	// Logger receives one debug line per request; nil discards.
	Logger *slog.Logger
	// RateLimit is each key's budget per rolling RateWindow; 0 is DefaultRateLimit.
	RateLimit int
	// RateWindow is the budget's rolling window; 0 is DefaultRateWindow (an hour, as Apple).
	// A shorter one scales a long push down for tests (`simulator --rate-limit 300/1m`).
	RateWindow time.Duration
	// PartSize is the upload part size; 0 is DefaultPartSize.
	PartSize int64
	// ProcessingDelay is how long after the commit an asset stays UPLOAD_COMPLETE.
	ProcessingDelay time.Duration
	// ProcessAfterReads, when positive, makes an asset terminal at its Nth read after the
	// commit instead of after ProcessingDelay, so tests can count polls exactly.
	ProcessAfterReads int
	// UploadExpiry is how long upload URLs stay valid; 0 is 7 days.
	UploadExpiry time.Duration
	// Faults are the injected failures; change them later with SetFaults.
	Faults Faults
	// MainKeyPEM, when set, is the main team key's private key (PKCS#8 PEM, e.g. from
	// ReadKeyFile) instead of a freshly generated one, so credentials written by an earlier
	// run keep working.
	MainKeyPEM []byte
	// JournalBodies keeps each request's body (a JSON document, an upload part) in its
	// journal Entry, so a test can search everything that was sent (no secret left the
	// machine). Off by default: upload bodies are large.
	JournalBodies bool
	// Seed replaces the default seed when set; NoSeed starts with no apps at all.
	Seed   *Seed
	NoSeed bool

	mu          sync.Mutex
	initialized bool
	initErr     error
	keys        map[string]*apiKey
	mainKey     *apiKey
	spent       map[string][]time.Time
	verified    map[string]verifiedToken
	journal     []Entry
	oneShots    []oneShot
	dice        *dice
	nextID      int
	apps        map[string]*app
	appOrder    []string
	versions    map[string]*version
	infos       map[string]*appInfo
	infoLocs    map[string]*infoLoc
	versionLocs map[string]*versionLoc
	sets        map[string]*mediaSet
	assets      map[string]*asset
	byToken     map[string]*asset
	conformance *Conformance
	changes     uint64 // requests answered, for Changes

	httpSrv *httptest.Server
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// initLocked sets up the zero value on first use.
func (s *Server) initLocked() {
	if s.initialized {
		return
	}
	s.initialized = true
	s.keys = map[string]*apiKey{}
	s.spent = map[string][]time.Time{}
	s.verified = map[string]verifiedToken{}
	s.apps = map[string]*app{}
	s.versions = map[string]*version{}
	s.infos = map[string]*appInfo{}
	s.infoLocs = map[string]*infoLoc{}
	s.versionLocs = map[string]*versionLoc{}
	s.sets = map[string]*mediaSet{}
	s.assets = map[string]*asset{}
	s.byToken = map[string]*asset{}
	s.dice = newDice(s.Faults.Seed)
	k, err := newAPIKey(1, KeyOptions{PrivateKeyPEM: s.MainKeyPEM})
	if err != nil {
		s.initErr = err
		return
	}
	s.keys[k.id], s.mainKey = k, k
	if s.NoSeed {
		return
	}
	seed := s.Seed
	if seed == nil {
		seed = DefaultSeed()
	}
	if err := s.loadSeedLocked(seed); err != nil {
		s.initErr = fmt.Errorf("load seed: %w", err)
	}
}

// Init sets the server up now rather than on first use and reports a bad Seed.
func (s *Server) Init() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	return s.initErr
}

// Credentials returns the server's main team key.
func (s *Server) Credentials() Credentials {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	if s.mainKey == nil {
		return Credentials{}
	}
	return s.mainKey.creds
}

// AddKey registers another API key (an individual key, a low role, its own rate limit) and
// returns its credentials.
func (s *Server) AddKey(opts KeyOptions) (Credentials, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	k, err := newAPIKey(len(s.keys)+1, opts)
	if err != nil {
		return Credentials{}, err
	}
	s.keys[k.id] = k
	return k.creds, nil
}

// Options configure NewServer.
type Options struct {
	// Listen is the address to listen on; empty is 127.0.0.1:0.
	Listen string
	// Configure, when set, is called with the new Server before it starts so callers can
	// set its fields.
	Configure func(*Server)
}

// NewServer starts a Server on a loopback port. With a testing.TB (or anything with Cleanup)
// as owner, the server is closed when the test ends.
func NewServer(owner interface{ Cleanup(func()) }, opts Options) (*Server, error) {
	s := &Server{}
	if opts.Configure != nil {
		opts.Configure(s)
	}
	if err := s.Start(opts.Listen); err != nil {
		return nil, err
	}
	if owner != nil {
		owner.Cleanup(s.Close)
	}
	return s, nil
}

// Start listens on addr (empty is 127.0.0.1:0) and serves until Close.
func (s *Server) Start(addr string) error {
	if err := s.Init(); err != nil {
		return err
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	hs := &httptest.Server{Listener: ln, Config: &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}}
	hs.Start()
	s.mu.Lock()
	s.httpSrv = hs
	s.mu.Unlock()
	return nil
}

// URL is the base URL of a started server ("http://127.0.0.1:PORT"), or "" before Start.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.httpSrv == nil {
		return ""
	}
	return s.httpSrv.URL
}

// Close stops a started server.
func (s *Server) Close() {
	s.mu.Lock()
	hs := s.httpSrv
	s.mu.Unlock()
	if hs != nil {
		hs.CloseClientConnections()
		hs.Close()
	}
}

// newIDLocked returns a fresh resource ID shaped like Apple's UUIDs.
func (s *Server) newIDLocked() string {
	s.nextID++
	return fmt.Sprintf("5e1a7f00-%04x-4000-8000-%012x", s.nextID>>16, s.nextID)
}

// response is what a handler answers.
type response struct {
	status      int
	body        any
	location    string
	contentType string // empty is application/json
}

// writeJSONBody writes status and v as JSON and returns the bytes written.
func writeJSONBody(w http.ResponseWriter, status int, v any) []byte {
	var body []byte
	if v != nil {
		body = append(appendJSON(nil, v), '\n')
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return body
}

func readBody(r *http.Request, max int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("body larger than %d bytes", max)
	}
	return b, nil
}

func listenLoopback() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	return ln, nil
}
