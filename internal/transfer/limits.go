package transfer

// Limits bound what an import reads from a ZIP, so a zip bomb is refused before anything is
// written. The zero value means the defaults.
type Limits struct {
	// MaxEntries is the most entries an archive may hold (default 10,000).
	MaxEntries int
	// MaxTotalBytes is the most bytes all entries may expand to (default 2 GiB).
	MaxTotalBytes int64
	// MaxRatio is the highest expanded/compressed ratio allowed for an entry larger than
	// 1 MiB (default 500; deflate of ordinary media stays far below it).
	MaxRatio int64
	// MaxTextBytes is the largest text file read (default 1 MiB; Apple's longest field is 4,000
	// characters).
	MaxTextBytes int64
}

// Default import limits.
const (
	DefaultMaxEntries    = 10_000
	DefaultMaxTotalBytes = 2 << 30
	DefaultMaxRatio      = 500
	DefaultMaxTextBytes  = 1 << 20
	ratioFloor           = 1 << 20
)

func (l Limits) withDefaults() Limits {
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultMaxEntries
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = DefaultMaxTotalBytes
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = DefaultMaxRatio
	}
	if l.MaxTextBytes <= 0 {
		l.MaxTextBytes = DefaultMaxTextBytes
	}
	return l
}
