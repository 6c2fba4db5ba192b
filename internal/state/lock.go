package state

import (
	"errors"
	"fmt"
)

// ErrLocked is wrapped by *LockedError.
var ErrLocked = errors.New("state dir is in use")

// LockedError says that another process owns the state dir.
type LockedError struct {
	Dir string
	// PID is the holder's process ID as it wrote it in the lock file; 0 if unknown.
	PID int
}

// Error names the dir and the holder.
func (e *LockedError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("state dir %s is in use by process %d (is a storesyncer daemon running?)", e.Dir, e.PID)
	}
	return fmt.Sprintf("state dir %s is in use by another process", e.Dir)
}

// Unwrap returns ErrLocked.
func (e *LockedError) Unwrap() error { return ErrLocked }
