package ascapi

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// DefaultBaseURL is App Store Connect's API root.
const DefaultBaseURL = "https://api.appstoreconnect.apple.com/"

// Defaults for the tunable behaviour; each has an option.
const (
	defaultMaxRetries        = 5
	defaultUploadConcurrency = 4
	defaultPageLimit         = 200
	maxBackoff               = 2 * time.Minute
)

// Client talks to the App Store Connect API with one key. Create it with NewClient; the zero
// value is not usable. A Client is safe for concurrent use.
type Client struct {
	baseURL   *url.URL
	http      *http.Client
	upload    *http.Client
	tokens    *tokenSource
	pacer     *Pacer
	logger    *slog.Logger
	now       func() time.Time
	sleep     func(context.Context, time.Duration) error
	rand      func() float64
	observer  func(RequestInfo)
	retries   int
	uploadPar int

	rateMu sync.Mutex
	rate   RateLimit

	// Apps finds apps.
	Apps *AppsService
	// AppInfos lists an app's app-info records.
	AppInfos *AppInfosService
	// AppInfoLocalizations reads and writes name, subtitle and privacy URLs per locale.
	AppInfoLocalizations *AppInfoLocalizationsService
	// Versions reads and writes appStoreVersions.
	Versions *VersionsService
	// VersionLocalizations reads and writes appStoreVersionLocalizations.
	VersionLocalizations *VersionLocalizationsService
	// ScreenshotSets reads and writes appScreenshotSets.
	ScreenshotSets *ScreenshotSetsService
	// Screenshots reads and writes appScreenshots.
	Screenshots *ScreenshotsService
	// PreviewSets reads and writes appPreviewSets.
	PreviewSets *PreviewSetsService
	// Previews reads and writes appPreviews.
	Previews *PreviewsService
}

type service struct{ c *Client }

// NewClient returns a Client for creds. Options are applied in order; the first that fails
// stops construction.
func NewClient(creds Credentials, opts ...ClientOption) (*Client, error) {
	if err := creds.validate(); err != nil {
		return nil, err
	}
	base, _ := url.Parse(DefaultBaseURL)
	c := &Client{
		baseURL:   base,
		http:      &http.Client{Timeout: 60 * time.Second},
		upload:    &http.Client{Timeout: 300 * time.Second},
		pacer:     new(Pacer),
		logger:    slog.New(slog.DiscardHandler),
		now:       time.Now,
		sleep:     sleepCtx,
		rand:      rand.Float64,
		retries:   defaultMaxRetries,
		uploadPar: defaultUploadConcurrency,
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, fmt.Errorf("new client: %w", err)
		}
	}
	c.tokens = &tokenSource{creds: creds, now: c.now}
	s := service{c}
	c.Apps = &AppsService{s}
	c.AppInfos = &AppInfosService{s}
	c.AppInfoLocalizations = &AppInfoLocalizationsService{s}
	c.Versions = &VersionsService{s}
	c.VersionLocalizations = &VersionLocalizationsService{s}
	c.ScreenshotSets = &ScreenshotSetsService{s}
	c.Screenshots = &ScreenshotsService{s}
	c.PreviewSets = &PreviewSetsService{s}
	c.Previews = &PreviewsService{s}
	return c, nil
}

// BaseURL returns the API root the client sends to.
func (c *Client) BaseURL() string { return c.baseURL.String() }

// RateLimit returns the budget reported by the most recent answer that carried X-Rate-Limit.
func (c *Client) RateLimit() RateLimit {
	c.rateMu.Lock()
	defer c.rateMu.Unlock()
	return c.rate
}

func (c *Client) setRate(rl RateLimit) {
	if !rl.Known {
		return
	}
	c.rateMu.Lock()
	c.rate = rl
	c.rateMu.Unlock()
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// backoff returns the wait before retry number attempt (0-based): exponential from 1 s,
// capped, with jitter in [d/2, d).
func (c *Client) backoff(attempt int) time.Duration {
	d := time.Second << min(attempt, 10)
	if d > maxBackoff {
		d = maxBackoff
	}
	return d/2 + time.Duration(c.rand()*float64(d/2))
}
