package remote

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/storesyncer/storesyncer/ascapi"
)

// DefaultSetParallelism is how many uploads of one set run at once by default: a full set of
// screenshots. Every request still goes through the account's pacer and budget.
const DefaultSetParallelism = 10

// Config configures New. Client is required (so the zero value is not usable); the rest have
// defaults.
type Config struct {
	// Client talks to App Store Connect.
	Client *ascapi.Client
	// Logger receives progress at debug level; nil discards.
	Logger *slog.Logger
	// Now is the clock for processing deadlines; nil is time.Now.
	Now func() time.Time
	// Sleep waits between processing polls; it must return ctx.Err() when ctx is done. Nil
	// sleeps on a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// PollInterval is the first wait between two reads of a set whose uploads process; each
	// later wait doubles, up to PollMax (defaults 2s and 1m, see poll.go).
	PollInterval time.Duration
	PollMax      time.Duration
	// ProcessingDeadline is how long a new asset may process before it counts as stuck
	// (default 10m).
	ProcessingDeadline time.Duration
	// SetParallelism bounds the uploads of one set that run at once (reserve, parts,
	// commit); the account's pacer still paces every request (default 10).
	SetParallelism int
	// Uploads records asset reservations so that a restarted daemon resumes or deletes them;
	// nil keeps no record.
	Uploads UploadJournal
}

// Remote fetches and writes one account's App Store Connect state. Create it with New; the
// zero value is not usable. A Remote is safe for concurrent use: groups of different
// resources may be applied at once.
type Remote struct {
	c       *ascapi.Client
	log     *slog.Logger
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
	poll    pollPolicy
	setPar  int
	uploads UploadJournal

	// locMu serializes the creation of version localizations, so that two groups of a new
	// locale make one creation between them and the second finds it in createdLocs.
	locMu sync.Mutex
	// mu guards createdLocs: version localizations created by an Apply, by version ID and
	// locale, so a later group of the same snapshot finds them without a read.
	mu          sync.Mutex
	createdLocs map[string]string
}

// New returns a Remote for cfg.
func New(cfg Config) (*Remote, error) {
	if cfg.Client == nil {
		return nil, errors.New("new remote: client is nil")
	}
	r := &Remote{
		c:           cfg.Client,
		log:         cfg.Logger,
		now:         cfg.Now,
		sleep:       cfg.Sleep,
		poll:        newPollPolicy(cfg.PollInterval, cfg.PollMax, cfg.ProcessingDeadline),
		setPar:      cfg.SetParallelism,
		uploads:     cfg.Uploads,
		createdLocs: map[string]string{},
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	r.log = r.log.With("component", "remote")
	if r.now == nil {
		r.now = time.Now
	}
	if r.sleep == nil {
		r.sleep = sleepCtx
	}
	if r.setPar <= 0 {
		r.setPar = DefaultSetParallelism
	}
	return r, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (r *Remote) rememberLoc(versionID, locale, id string) {
	r.mu.Lock()
	r.createdLocs[versionID+"/"+locale] = id
	r.mu.Unlock()
}

func (r *Remote) createdLoc(versionID, locale string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.createdLocs[versionID+"/"+locale]
}

func (r *Remote) forgetLoc(versionID, locale string) {
	r.mu.Lock()
	delete(r.createdLocs, versionID+"/"+locale)
	r.mu.Unlock()
}
