package statusapi

import "context"

// Backend is what the server asks the daemon. The daemon implements it; the server calls its
// methods from many goroutines at once, so implementations must be safe for concurrent use.
//
// A method may return an error wrapping ErrNotFound (answered 404) or ErrInvalid (400), or an
// *Error to choose the status and code; any other error is answered 500 with its message.
type Backend interface {
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
	// Push, Pull, Resolve, AppsAdd and Activate run the CLI command of the same name in the
	// daemon and wait for it. A command that ran and failed is an OpResult with a non-zero
	// ExitCode, not an error.
	Push(ctx context.Context, req PushRequest) (OpResult, error)
	Pull(ctx context.Context, req PullRequest) (OpResult, error)
	Resolve(ctx context.Context, req ResolveRequest) (OpResult, error)
	AppsAdd(ctx context.Context, req AppsAddRequest) (OpResult, error)
	Activate(ctx context.Context, req ActivateRequest) (OpResult, error)
}
