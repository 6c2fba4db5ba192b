package daemon

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
	"github.com/storesyncer/storesyncer/internal/config"
	"github.com/storesyncer/storesyncer/internal/metrics"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/state"
)

// remotes builds one App Store Connect client and Remote per account, on first use, and
// remembers the clients so status and the remote poll can read their request budgets. It is
// safe for concurrent use.
type remotes struct {
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

func newRemotes(cfg *config.Config, store *state.Store, now func() time.Time, log *slog.Logger, m *metrics.Metrics, assetPoll time.Duration) *remotes {
	return &remotes{cfg: cfg, store: store, now: now, log: log, metrics: m, assetPoll: assetPoll, clients: map[string]*ascapi.Client{}, pacers: map[string]*ascapi.Pacer{}}
}

// remote returns a new Remote for account ("" is the default account). The engine calls it
// once per account. Errors name the account and key file, never the key.
func (r *remotes) remote(account string) (*remote.Remote, error) {
	a, err := r.cfg.Account(account)
	if err != nil {
		return nil, err
	}
	pemBytes, err := a.LoadKey()
	if err != nil {
		return nil, err
	}
	key, err := ascapi.ParseKey(pemBytes)
	if err != nil {
		return nil, fmt.Errorf("account %q: %s: %w", a.Name, a.PrivateKeyPath, err)
	}
	r.mu.Lock()
	pacer := r.pacers[a.Name]
	if pacer == nil {
		pacer = ascapi.NewPacer()
		r.pacers[a.Name] = pacer
	}
	r.mu.Unlock()
	opts := []ascapi.ClientOption{
		ascapi.WithPacer(pacer),
		ascapi.WithLogger(r.log),
		ascapi.WithClock(r.now),
		ascapi.WithHTTPClient(&http.Client{Timeout: 60 * time.Second}),
		ascapi.WithObserver(r.observe),
	}
	if r.assetPoll > 0 {
		opts = append(opts, ascapi.WithPollInterval(r.assetPoll))
	}
	if a.APIBaseURL != "" {
		opts = append(opts, ascapi.WithBaseURL(strings.TrimSuffix(a.APIBaseURL, "/")+"/"))
	}
	c, err := ascapi.NewClient(ascapi.Credentials{IssuerID: a.IssuerID, Individual: a.Individual, KeyID: a.KeyID, PrivateKey: key}, opts...)
	if err != nil {
		return nil, fmt.Errorf("account %q: %w", a.Name, err)
	}
	r.mu.Lock()
	r.clients[a.Name] = c
	r.mu.Unlock()
	return remote.New(remote.Config{Client: c, Logger: r.log, Now: r.now, PollInterval: r.assetPoll, Uploads: remote.StateJournal{Store: r.store}})
}

// observe feeds every App Store Connect exchange to the metrics.
func (r *remotes) observe(info ascapi.RequestInfo) {
	endpoint := info.Endpoint
	if info.Upload {
		endpoint = "upload"
	}
	r.metrics.APIRequest(endpoint, info.Method, info.StatusCode, info.Duration)
	if info.RateLimit.Known {
		r.metrics.SetRateLimit(info.RateLimit.Limit, info.RateLimit.Remaining)
	}
}

// lowestBudget returns the known request budget with the smallest share left, over every
// account in use.
func (r *remotes) lowestBudget() (ascapi.RateLimit, bool) {
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
