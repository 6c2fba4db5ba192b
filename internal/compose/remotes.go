package compose

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/engine"
	"github.com/storesyncer/storesyncer/internal/metrics"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/state"
)

// HTTPTimeout bounds one App Store Connect exchange, upload PUTs included, for every client
// StoreSyncer builds.
const HTTPTimeout = 2 * time.Minute

// AccountError is a config account that cannot be used: unknown, its key file unreadable or
// not a key. Code is "config.account" or "config.key"; Path is the file to fix. The message
// names the account and the key file, never the key.
type AccountError struct {
	Code string
	Path string
	Err  error
}

// Error returns the message, which names the account or key file.
func (e *AccountError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *AccountError) Unwrap() error { return e.Err }

// Remotes builds the App Store Connect clients of a config's accounts: every client of an
// account shares one request budget (Apple's limit is per key, not per process part), and
// every exchange is fed to the metrics when there are metrics. It is safe for concurrent use.
type Remotes struct {
	cfg       *config.Config
	store     *state.Store
	now       func() time.Time
	log       *slog.Logger
	metrics   *metrics.Metrics
	assetPoll time.Duration

	mu      sync.Mutex
	clients map[string]*ascapi.Client
	// pacers holds one request budget per account, shared by every client of that account, so
	// parallel workers never spend more than Apple's hourly limit together.
	pacers map[string]*ascapi.Pacer
}

// RemotesConfig configures NewRemotes. Config is required.
type RemotesConfig struct {
	// Config holds the accounts.
	Config *config.Config
	// Store keeps the uploads journal; Remote needs it, Client does not.
	Store *state.Store
	// Now is the clients' clock; nil is time.Now.
	Now func() time.Time
	// Logger receives the clients' logs; nil discards them.
	Logger *slog.Logger
	// Metrics, when set, observes every exchange.
	Metrics *metrics.Metrics
	// AssetPollInterval is how often processing uploads are re-read (0: the default); it is
	// remote's setting, the one place that polls processing.
	AssetPollInterval time.Duration
}

// NewRemotes returns the Remotes of cfg's accounts; Open calls it, and doctor, which needs
// clients but no state, calls it alone.
func NewRemotes(cfg RemotesConfig) *Remotes {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Remotes{cfg: cfg.Config, store: cfg.Store, now: cfg.Now, log: cfg.Logger, metrics: cfg.Metrics, assetPoll: cfg.AssetPollInterval,
		clients: map[string]*ascapi.Client{}, pacers: map[string]*ascapi.Pacer{}}
}

// Client returns a new client for account ("" is the default account), sharing the account's
// request budget; extra options are applied last (doctor uses fewer retries). Errors are
// *AccountError.
func (r *Remotes) Client(account string, extra ...ascapi.ClientOption) (*ascapi.Client, config.Account, error) {
	a, err := r.cfg.Account(account)
	if err != nil {
		return nil, config.Account{}, &AccountError{Code: "config.account", Path: r.cfg.Path, Err: err}
	}
	pemBytes, err := a.LoadKey()
	if err != nil {
		return nil, a, &AccountError{Code: "config.key", Path: a.PrivateKeyPath, Err: err}
	}
	key, err := ascapi.ParseKey(pemBytes)
	if err != nil {
		return nil, a, &AccountError{Code: "config.key", Path: a.PrivateKeyPath, Err: fmt.Errorf("account %q: %s: %w", a.Name, a.PrivateKeyPath, err)}
	}
	r.mu.Lock()
	pacer := r.pacers[a.Name]
	if pacer == nil {
		pacer = &ascapi.Pacer{Window: a.RateWindow} // rate_window: a simulator's shorter window
		r.pacers[a.Name] = pacer
	}
	r.mu.Unlock()
	opts := []ascapi.ClientOption{
		ascapi.WithPacer(pacer),
		ascapi.WithLogger(r.log),
		ascapi.WithClock(r.now),
		ascapi.WithHTTPClient(&http.Client{Timeout: HTTPTimeout}),
	}
	if r.metrics != nil {
		opts = append(opts, ascapi.WithObserver(r.observe))
	}
	if a.APIBaseURL != "" {
		opts = append(opts, ascapi.WithBaseURL(strings.TrimSuffix(a.APIBaseURL, "/")+"/"))
	}
	opts = append(opts, extra...)
	c, err := ascapi.NewClient(ascapi.Credentials{IssuerID: a.IssuerID, Individual: a.Individual, KeyID: a.KeyID, PrivateKey: key}, opts...)
	if err != nil {
		return nil, a, &AccountError{Code: "config.account", Path: r.cfg.Path, Err: fmt.Errorf("account %q: %w", a.Name, err)}
	}
	r.mu.Lock()
	r.clients[a.Name] = c
	r.mu.Unlock()
	return c, a, nil
}

// Remote returns a new Remote for account ("" is the default account) on a Client; the
// engine calls it once per account. Errors are *AccountError.
func (r *Remotes) Remote(account string) (*remote.Remote, error) {
	c, _, err := r.Client(account)
	if err != nil {
		return nil, err
	}
	return remote.New(remote.Config{Client: c, Logger: r.log, Now: r.now, PollInterval: r.assetPoll, Uploads: engine.StateJournal{Store: r.store}})
}

// observe feeds every App Store Connect exchange to the metrics.
func (r *Remotes) observe(info ascapi.RequestInfo) {
	endpoint := info.Endpoint
	if info.Upload {
		endpoint = "upload"
	}
	r.metrics.APIRequest(endpoint, info.Method, info.StatusCode, info.Duration)
	if info.Upload && info.StatusCode >= 200 && info.StatusCode <= 299 {
		r.metrics.UploadBytes(info.Bytes)
	}
	if !info.TokenExpiry.IsZero() {
		r.metrics.SetTokenExpiry(info.TokenExpiry)
	}
	if info.RateLimit.Known {
		r.metrics.SetRateLimit(info.RateLimit.Limit, info.RateLimit.Remaining)
	}
}

// LowestBudget returns the known request budget with the smallest share left, over every
// account in use.
func (r *Remotes) LowestBudget() (ascapi.RateLimit, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var best ascapi.RateLimit
	found := false
	for _, c := range r.clients {
		rl := c.RateLimit()
		if !rl.Known || rl.Limit <= 0 {
			continue
		}
		if !found || float64(rl.Remaining)/float64(rl.Limit) < float64(best.Remaining)/float64(best.Limit) {
			best, found = rl, true
		}
	}
	return best, found
}

// SpentBudget reports an account whose request budget is spent, with when its pacer lets
// requests go again; ok is false when every known budget has room.
func (r *Remotes) SpentBudget() (rl ascapi.RateLimit, resumeAt time.Time, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.clients {
		b := c.RateLimit()
		if !b.Known || b.Limit <= 0 || b.Remaining > 0 {
			continue
		}
		if at := c.RateResumeAt(); !ok || at.After(resumeAt) {
			rl, resumeAt, ok = b, at, true
		}
	}
	return rl, resumeAt, ok
}

// engineRemote is Remote as the engine takes it: an interface, nil on error.
func (r *Remotes) engineRemote(account string) (engine.Remote, error) {
	rem, err := r.Remote(account)
	if err != nil {
		return nil, err
	}
	return rem, nil
}
