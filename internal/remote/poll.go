package remote

import "time"

// The processing-poll defaults: a set whose new assets process is read at once after the
// commits, then after 2 s, 4 s, 8 s … and at most every 60 s; an asset that has not finished
// after 10 minutes counts as stuck. A stuck asset costs 15 reads, not one every 2 s.
const (
	DefaultPollInterval       = 2 * time.Second
	DefaultPollMax            = time.Minute
	DefaultProcessingDeadline = 10 * time.Minute
)

// pollPolicy owns the processing-poll settings: the first wait, the longest wait and the
// deadline of one asset. Every poll is an API request, paced and counted as any other.
type pollPolicy struct {
	first, max, deadline time.Duration
}

func newPollPolicy(first, max, deadline time.Duration) pollPolicy {
	if first <= 0 {
		first = DefaultPollInterval
	}
	if max <= 0 {
		max = DefaultPollMax
	}
	if max < first {
		max = first
	}
	if deadline <= 0 {
		deadline = DefaultProcessingDeadline
	}
	return pollPolicy{first: first, max: max, deadline: deadline}
}

// backoff is the wait before each poll of one set: none before the first, then first,
// doubling up to max. reset starts over when new assets join the wait.
type backoff struct {
	p    pollPolicy
	next time.Duration
	n    int
}

func (p pollPolicy) backoff() *backoff { return &backoff{p: p} }

func (b *backoff) reset() { b.n, b.next = 0, 0 }

// wait returns how long to wait before the next poll.
func (b *backoff) wait() time.Duration {
	defer func() { b.n++ }()
	switch b.n {
	case 0:
		return 0
	case 1:
		b.next = b.p.first
	default:
		b.next = min(2*b.next, b.p.max)
	}
	return b.next
}
