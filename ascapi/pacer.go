package ascapi

import (
	"context"
	"sync"
	"time"
)

// rateWindow is App Store Connect's rolling budget window (asc-api.md §2).
const rateWindow = time.Hour

// Pacer keeps the requests of every Client that shares it within one API key's hourly budget,
// as last reported by X-Rate-Limit. While the remaining budget is above a tenth of the limit
// it does not delay anything; below that it spaces requests out, more widely the less is
// left; at zero it holds requests until the oldest request it sent in the window has aged
// out (or, if it sent none, one refill interval, limit/hour). A 429 holds every caller until
// the Retry-After time. Share one Pacer between the clients of one key with WithPacer.
//
// The zero value is ready to use; a Pacer is safe for concurrent use.
type Pacer struct {
	mu           sync.Mutex
	rl           RateLimit
	next         time.Time   // earliest time for the next paced send
	blockedUntil time.Time   // set by a 429
	sent         []time.Time // send times within the last rateWindow, oldest first
}

// NewPacer returns an empty Pacer; it is equivalent to new(Pacer).
func NewPacer() *Pacer { return &Pacer{} }

// RateLimit returns the last budget the Pacer observed.
func (p *Pacer) RateLimit() RateLimit {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rl
}

// Observe records the budget reported by an answer. An unknown RateLimit is ignored.
func (p *Pacer) Observe(rl RateLimit) {
	if !rl.Known {
		return
	}
	p.mu.Lock()
	p.rl = rl
	p.mu.Unlock()
}

// Block holds every caller until t (a 429's Retry-After, or the backoff chosen for it).
func (p *Pacer) Block(t time.Time) {
	p.mu.Lock()
	if t.After(p.blockedUntil) {
		p.blockedUntil = t
	}
	p.mu.Unlock()
}

// Wait blocks until a request may be sent and accounts for it. now and sleep come from the
// calling client so tests control time.
func (p *Pacer) Wait(ctx context.Context, now func() time.Time, sleep func(context.Context, time.Duration) error) error {
	d := p.reserve(now())
	if d <= 0 {
		return ctx.Err()
	}
	return sleep(ctx, d)
}

// reserve returns how long the caller must wait before sending, and books the send.
func (p *Pacer) reserve(now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pruneLocked(now)
	at := later(now, p.blockedUntil)
	if p.rl.Known && p.rl.Limit > 0 {
		refill := rateWindow / time.Duration(p.rl.Limit)
		low := max(p.rl.Limit/10, 1)
		switch {
		case p.rl.Remaining <= 0:
			free := now.Add(refill)
			if len(p.sent) > 0 {
				free = p.sent[0].Add(rateWindow)
			}
			at = later(later(at, free), p.next)
			p.next = at.Add(refill)
		case p.rl.Remaining <= low:
			spacing := refill * time.Duration(low) / time.Duration(p.rl.Remaining)
			at = later(at, p.next)
			p.next = at.Add(spacing)
		}
		if p.rl.Remaining > 0 {
			p.rl.Remaining-- // until the next answer says otherwise, parallel callers share it
		}
	}
	p.sent = append(p.sent, at)
	return at.Sub(now)
}

func (p *Pacer) pruneLocked(now time.Time) {
	i := 0
	for i < len(p.sent) && now.Sub(p.sent[i]) >= rateWindow {
		i++
	}
	p.sent = p.sent[i:]
	if len(p.sent) > 20000 { // bound memory; the oldest entries matter least
		p.sent = p.sent[len(p.sent)-20000:]
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
