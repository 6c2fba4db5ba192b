package daemon

import "time"

// Backoff bounds for failed jobs.
const (
	backoffBase = 5 * time.Second
	backoffMax  = 30 * time.Minute
)

// backoff returns the wait after attempt (1 for the first failure): backoffBase doubled per
// attempt, capped at backoffMax, then spread by ±25 % with r, a number in [0, 1).
func backoff(attempt int, r float64) time.Duration {
	d := backoffBase
	for i := 1; i < attempt && d < backoffMax; i++ {
		d *= 2
	}
	d = min(d, backoffMax)
	return time.Duration(float64(d) * (0.75 + r/2))
}
