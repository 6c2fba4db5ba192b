package statusapi

import "context"

// Reader is the part of the daemon the read endpoints ask: status, queue, history, events.
//
// A method may return an error wrapping ErrNotFound (answered 404) or ErrInvalid (400), or an
// *Error to choose the status and code; any other error is answered 500 with its message.
type Reader interface {
	// Status returns a snapshot of the daemon.
	Status(ctx context.Context) Status
	// Jobs returns the persisted jobs, oldest first.
	Jobs(ctx context.Context) ([]Job, error)
	// History returns up to limit entries, newest first, for app ("" for all) with an ID
	// below before (0 for the newest).
	History(ctx context.Context, app string, limit int, before int64) ([]HistoryEntry, error)
	// Events returns up to limit events with an ID above afterID, oldest first. IDs are
	// consecutive: when the first one returned is not afterID+1, the server tells the client
	// that older events were trimmed (an EventReset event).
	Events(ctx context.Context, afterID int64, limit int) ([]Event, error)
	// Subscribe returns a channel of events as they happen and a function that ends the
	// subscription; the channel is closed when the subscription ends or ctx is done.
	Subscribe(ctx context.Context) (<-chan Event, func())
}

// MemberHistory is the history of one member, for GET /api/v1/history?member=NAME; a
// Backend that records members implements it.
type MemberHistory interface {
	// HistoryOf is Reader.History of what member ("local", "web" or a member's name) did.
	HistoryOf(ctx context.Context, app, member string, limit int, before int64) ([]HistoryEntry, error)
}

// Controller is the part of the daemon the control endpoints (rescan, pause, resume,
// approve, jobs retry) ask; errors as for Reader.
type Controller interface {
	// Rescan starts a full rescan of every watched collection.
	Rescan(ctx context.Context) error
	// Pause holds all uploads until Resume.
	Pause(ctx context.Context) error
	// Resume releases uploads held by Pause.
	Resume(ctx context.Context) error
	// Approve releases the operations of req.App ("" for all) waiting for approval — only
	// those that change one of req.Keys when it is set — and returns how many were released.
	Approve(ctx context.Context, req ApproveRequest) (int, error)
	// RetryJob makes a failed or waiting job due now; ErrNotFound when there is no such job.
	RetryJob(ctx context.Context, id int64) error
}

// Commander runs the CLI's state-changing commands for POST /api/v1/commands/{name}.
type Commander interface {
	// Command runs the command name with its JSON request body and waits for it. A command
	// that ran and failed is an OpResult with a non-zero ExitCode, not an error; an unknown
	// name wraps ErrNotFound.
	Command(ctx context.Context, name string, body []byte) (OpResult, error)
}

// Backend is everything the server asks the daemon. The server calls its methods from many
// goroutines at once, so implementations must be safe for concurrent use.
type Backend interface {
	Reader
	Controller
	Commander
}
