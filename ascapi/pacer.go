package ascapi

import (
	"context"
	"sync"
	"time"
)

// DefaultRateWindow is App Store Connect's rolling budget window (asc-api.md §2).
const DefaultRateWindow = time.Hour

// Pacer keeps the requests of every Client that shares it within one API key's budget of
// Limit requests per rolling Window, with no 429 whenever the budget is known.
//
// The budget is a reservation: a request takes a slot before it is sent, and its slot stays
// taken while it is in flight and for one Window after its answer arrived (the answer comes
// after App Store Connect counted the request, so the slot never frees before Apple's does).
// Remaining = Limit − own slots − slots seen spent by others. An answer's X-Rate-Limit can only
// lower Remaining: when it reports less than the own slots explain, the difference is taken as
// requests another client of the key sent, each held for one Window from when it was seen; a
// late answer that reports more is ignored. When the own slots fill the budget the Pacer waits
// for the oldest to age out; when requests of others fill it, it probes with a single request
// once a slot can have refilled (Limit/Window), doubling the gap while the probes find the
// budget still spent, and takes the probe's answer as the new count of others. A 429 holds
// every caller until its Retry-After. Share one Pacer between the clients of one key with
// WithPacer.
//
// The zero value is ready to use with Apple's one-hour window; set Window before first use
// for a simulator started with another. A Pacer is safe for concurrent use.
type Pacer struct {
	// Window is the length of the rolling budget window; zero is DefaultRateWindow.
	Window time.Duration

	mu           sync.Mutex
	limit        int         // last reported limit; 0 while unknown
	ours         []*slot     // own requests in flight or answered within the window
	others       []time.Time // requests spent by other clients, stamped when first seen
	blockedUntil time.Time   // set by a 429
	probing      bool        // a probe is in flight
	nextProbe    time.Time   // earliest time for the next probe
	probeGap     time.Duration
	changed      chan struct{} // closed and replaced whenever a slot is settled
}

// slot is one request's place in the budget.
type slot struct {
	answered time.Time // zero while in flight
	probe    bool
}

// Reservation is the slot one request holds. Call Done once, after the request was sent,
// with what its answer reported (later calls do nothing); Done may be called from any
// goroutine.
type Reservation struct {
	p *Pacer
	s *slot
}

// NewPacer returns a Pacer for Apple's one-hour window; it is equivalent to new(Pacer).
func NewPacer() *Pacer { return &Pacer{} }

func (p *Pacer) window() time.Duration {
	if p.Window > 0 {
		return p.Window
	}
	return DefaultRateWindow
}

// RateLimit returns the budget as the Pacer counts it: the last reported limit and what is
// left of it after every reserved slot. Known is false until an answer reported a limit.
func (p *Pacer) RateLimit() RateLimit {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.limit <= 0 {
		return RateLimit{}
	}
	return RateLimit{Limit: p.limit, Remaining: max(p.limit-len(p.ours)-len(p.others), 0), Known: true}
}

// Block holds every caller until t (a 429's Retry-After, or the backoff chosen for it).
func (p *Pacer) Block(t time.Time) {
	p.mu.Lock()
	if t.After(p.blockedUntil) {
		p.blockedUntil = t
	}
	p.mu.Unlock()
}

// Reserve blocks until a request may be sent and takes its slot. now and sleep come from the
// calling client so tests control time. It returns ctx's error when ctx ends first.
func (p *Pacer) Reserve(ctx context.Context, now func() time.Time, sleep func(context.Context, time.Duration) error) (*Reservation, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, wait, changed := p.tryReserve(now())
		if r != nil {
			return r, nil
		}
		if err := sleepOrWake(ctx, sleep, wait, changed); err != nil {
			return nil, err
		}
	}
}

// sleepOrWake sleeps d, or less when changed is closed first.
func sleepOrWake(ctx context.Context, sleep func(context.Context, time.Duration) error, d time.Duration, changed <-chan struct{}) error {
	if changed == nil {
		return sleep(ctx, d)
	}
	wake, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-changed:
			cancel()
		case <-wake.Done():
		}
	}()
	_ = sleep(wake, d)
	return ctx.Err()
}

// tryReserve takes a slot at now, or says how long to wait and what wakes the wait early.
func (p *Pacer) tryReserve(now time.Time) (*Reservation, time.Duration, <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.changed == nil {
		p.changed = make(chan struct{})
	}
	expiry := p.pruneLocked(now)
	if now.Before(p.blockedUntil) {
		return nil, p.blockedUntil.Sub(now), nil
	}
	s := &slot{}
	if p.limit > 0 && len(p.ours)+len(p.others) >= p.limit {
		wait := p.window() // until a settle wakes us
		if !expiry.IsZero() {
			wait = expiry.Sub(now)
		}
		if len(p.others) == 0 || len(p.ours) >= p.limit || p.probing {
			return nil, wait, p.changed
		}
		if now.Before(p.nextProbe) {
			return nil, min(wait, p.nextProbe.Sub(now)), p.changed
		}
		s.probe, p.probing = true, true
	}
	p.ours = append(p.ours, s)
	return &Reservation{p: p, s: s}, 0, nil
}

// pruneLocked drops the slots that left the window and returns when the next one leaves
// (zero when none can: every own slot is in flight and no other is counted).
func (p *Pacer) pruneLocked(now time.Time) time.Time {
	w := p.window()
	var next time.Time
	soonest := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	kept := p.ours[:0]
	for _, s := range p.ours {
		if !s.answered.IsZero() {
			if now.Sub(s.answered) >= w {
				continue
			}
			soonest(s.answered.Add(w))
		}
		kept = append(kept, s)
	}
	clear(p.ours[len(kept):])
	p.ours = kept
	i := 0
	for i < len(p.others) && now.Sub(p.others[i]) >= w {
		i++
	}
	p.others = p.others[i:]
	if len(p.others) > 0 {
		soonest(p.others[0].Add(w))
	}
	return next
}

// Done settles the reservation: the request was answered (or failed) at now, and rl is what
// its answer's X-Rate-Limit said (Known false when there was no answer or no header).
func (r *Reservation) Done(rl RateLimit, now time.Time) {
	if r == nil || r.p == nil {
		return
	}
	p := r.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if !r.s.answered.IsZero() {
		return
	}
	r.s.answered = now
	p.pruneLocked(now)
	if rl.Known && rl.Limit > 0 {
		p.limit = rl.Limit
		// Requests the answer counts that no own slot explains were sent by someone else.
		// Own slots in flight are assumed counted, so this is never an overestimate.
		spentByOthers := rl.Limit - rl.Remaining - len(p.ours)
		refill := p.window() / time.Duration(rl.Limit)
		switch {
		case r.s.probe:
			// A probe is the only request in flight of its kind: its answer is the news.
			p.setOthersLocked(max(spentByOthers, 0), now)
			if rl.Remaining > 0 {
				p.probeGap = refill
			} else { // still spent: probe less often, up to a tenth of the window
				p.probeGap = min(max(2*p.probeGap, refill), max(p.window()/10, refill))
			}
			p.nextProbe = now.Add(p.probeGap)
		case spentByOthers > len(p.others):
			if len(p.others) == 0 {
				p.probeGap, p.nextProbe = refill, now.Add(refill)
			}
			p.setOthersLocked(spentByOthers, now)
		}
	}
	if r.s.probe {
		p.probing = false
	}
	close(p.changed)
	p.changed = make(chan struct{})
}

// setOthersLocked makes the count of others' requests n, adding new ones stamped now or
// dropping the oldest.
func (p *Pacer) setOthersLocked(n int, now time.Time) {
	if n < len(p.others) {
		p.others = append([]time.Time(nil), p.others[len(p.others)-n:]...)
		return
	}
	for len(p.others) < n {
		p.others = append(p.others, now)
	}
}
