package ascapi

import "time"

// ResumeAt returns when the Pacer would let the next request go, seen at now: now when the
// budget has room, else the end of a 429's hold, the moment the oldest counted slot leaves
// the window, or the next probe when requests of others fill the budget, whichever comes
// first. It only reads; status pages use it to say when waiting work resumes.
func (p *Pacer) ResumeAt(now time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	expiry := p.pruneLocked(now)
	if now.Before(p.blockedUntil) {
		return p.blockedUntil
	}
	if p.limit <= 0 || len(p.ours)+len(p.others) < p.limit {
		return now
	}
	at := expiry
	if len(p.others) > 0 && len(p.ours) < p.limit && !p.probing && (at.IsZero() || p.nextProbe.Before(at)) {
		at = p.nextProbe
		if at.Before(now) {
			at = now
		}
	}
	if at.IsZero() {
		return now.Add(p.window())
	}
	return at
}

// RateResumeAt is the client's Pacer's ResumeAt at the client's clock's now.
func (c *Client) RateResumeAt() time.Time { return c.pacer.ResumeAt(c.now()) }
