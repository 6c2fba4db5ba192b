package watcher

// Op says what happened to a path, as far as the daemon is concerned.
type Op int

const (
	// Changed means the path exists and may hold new content (created, written, or replaced
	// by a rename-save). The daemon compares content, so a Changed that changed nothing is
	// harmless.
	Changed Op = iota + 1
	// Removed means the path stayed absent for DeleteDelay.
	Removed
)

// String returns "changed" or "removed".
func (o Op) String() string {
	switch o {
	case Changed:
		return "changed"
	case Removed:
		return "removed"
	}
	return "unknown"
}

// Kind tells collection files from the workspace's app.toml files.
type Kind int

const (
	// KindFile is a file (or, for a removal, possibly a folder) inside a watched root.
	KindFile Kind = iota
	// KindAppConfig is a <workspace>/<bundle id>/app.toml file.
	KindAppConfig
)

// String returns "file" or "app_config".
func (k Kind) String() string {
	if k == KindAppConfig {
		return "app_config"
	}
	return "file"
}

// Change is one debounced path.
type Change struct {
	// Path is absolute and clean.
	Path string
	Op   Op
	Kind Kind
	// Dir is set on a Removed change for a folder the watcher was watching: everything that
	// was under it is gone too.
	Dir bool
}

// Reason says why a batch was flushed; it is a bounded metric label.
type Reason string

const (
	// ReasonQuiet: the paths had no event for QuietPeriod.
	ReasonQuiet Reason = "quiet"
	// ReasonMaxWait: the paths kept changing for MaxWait since their first event.
	ReasonMaxWait Reason = "max_wait"
	// ReasonDeleteDelay: the paths stayed removed (or a removal turned into a change) for
	// DeleteDelay.
	ReasonDeleteDelay Reason = "delete_delay"
	// ReasonRescan: the batch asks for a full rescan; see Batch.Trigger.
	ReasonRescan Reason = "rescan"
)

// Trigger says why a full rescan was requested; it is a bounded metric label.
type Trigger string

// Triggers of a full rescan.
const (
	TriggerStartup    Trigger = "startup"     // Run started
	TriggerPeriodic   Trigger = "periodic"    // RescanInterval (±25 %) passed
	TriggerManual     Trigger = "manual"      // Rescan was called
	TriggerOverflow   Trigger = "overflow"    // the kernel queue or ours overflowed
	TriggerWatchError Trigger = "watch_error" // fsnotify reported an error
	TriggerBurst      Trigger = "burst"       // more than MaxPending paths were pending
	TriggerRoots      Trigger = "roots"       // SetRoots changed the watched roots
)

// Batch is what the watcher hands the daemon: either a set of debounced changes, or (Rescan
// true, Changes empty) a request to re-read every app.toml and every root from scratch,
// because events may have been lost or were too many to be worth listing.
type Batch struct {
	// Changes are sorted by Path.
	Changes []Change
	Reason  Reason
	Rescan  bool
	// Trigger is set when Rescan is.
	Trigger Trigger
}
