package statusapi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/storesyncer/storesyncer/internal/roles"
)

// Sentinel errors a Backend returns (wrapped) to choose the HTTP status.
var (
	// ErrNotFound means the thing asked for does not exist (404).
	ErrNotFound = errors.New("not found")
	// ErrInvalid means the request was understood but its values are wrong (400).
	ErrInvalid = errors.New("invalid request")
)

// ErrNotRunning is returned by the Client when nothing listens at the configured address, or
// the daemon has never created its token file: the caller should work in-process instead.
var ErrNotRunning = errors.New("no daemon is running")

// Error is an error answer of the API: a Backend may return one to choose the status and code,
// and the Client returns one for every non-2xx answer. The zero value is not meaningful.
type Error struct {
	// Status is the HTTP status code.
	Status  int
	Code    string
	Message string
	Path    string
}

// Error returns the message with the path, code and status.
func (e *Error) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("%s: %s (%s, HTTP %d)", e.Path, e.Message, e.Code, e.Status)
	}
	return fmt.Sprintf("%s (%s, HTTP %d)", e.Message, e.Code, e.Status)
}

// errorFor maps a Backend error to the answer the server sends.
func errorFor(err error) *Error {
	var (
		e  *Error
		de *roles.DeniedError
	)
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &de):
		return &Error{Status: http.StatusForbidden, Code: CodeForbidden, Message: de.Error()}
	case errors.Is(err, ErrNotFound):
		return &Error{Status: http.StatusNotFound, Code: "not_found", Message: err.Error()}
	case errors.Is(err, ErrInvalid):
		return &Error{Status: http.StatusBadRequest, Code: "invalid", Message: err.Error()}
	default:
		return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: err.Error()}
	}
}
