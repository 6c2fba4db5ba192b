package remote

import (
	"errors"
	"fmt"
	"strings"
)

// ErrAppNotFound is matched (errors.Is) by an *AppNotFoundError.
var ErrAppNotFound = errors.New("app not found")

// ErrFileChanged means a local file no longer holds what the plan saw; the key is retried
// with a fresh plan.
var ErrFileChanged = errors.New("file changed since plan, will retry")

// AppNotFoundError reports that no app has exactly the bundle ID; Near lists the bundle IDs
// of similar apps the key can see ("did you mean").
type AppNotFoundError struct {
	BundleID string
	Near     []string
}

// Error names the bundle ID and the near matches.
func (e *AppNotFoundError) Error() string {
	msg := fmt.Sprintf("no app with bundle ID %s is visible to this API key", e.BundleID)
	if len(e.Near) > 0 {
		msg += "; did you mean " + strings.Join(e.Near, ", ") + "?"
	}
	return msg
}

// Is makes errors.Is(err, ErrAppNotFound) true.
func (e *AppNotFoundError) Is(target error) bool { return target == ErrAppNotFound }

// ErrAppMismatch is matched (errors.Is) by an *AppMismatchError.
var ErrAppMismatch = errors.New("app ID does not match app.toml")

// AppMismatchError reports that the app found by app.toml's app_id is not the app app.toml
// describes: another bundle ID (Found), or no version on app.toml's platform (Found is "").
// Nothing is written to such an app.
type AppMismatchError struct {
	AppID, BundleID, Platform string
	// Found is the bundle ID App Store Connect has for AppID; "" when no version of the
	// platform was found.
	Found string
}

// Error says what does not match and how to fix app.toml.
func (e *AppMismatchError) Error() string {
	if e.Found == "" {
		return fmt.Sprintf("app_id %s in app.toml of %s has no %s version on App Store Connect: check app_id and platform in app.toml (or run `storesyncer apps add --bundle-id %s` again); nothing is written",
			e.AppID, e.BundleID, e.Platform, e.BundleID)
	}
	return fmt.Sprintf("app_id %s in app.toml of %s is %s on App Store Connect: fix app_id in app.toml (or run `storesyncer apps add --bundle-id %s` again); nothing is written",
		e.AppID, e.BundleID, e.Found, e.BundleID)
}

// Is makes errors.Is(err, ErrAppMismatch) true.
func (e *AppMismatchError) Is(target error) bool { return target == ErrAppMismatch }

// VersionOpenError reports that a version could not be created because another one is open;
// the CLI names it and suggests `storesyncer versions set`, which renames it.
type VersionOpenError struct {
	// Wanted is the version string that was asked for.
	Wanted string
	// Open is the version that blocks it (zero when it could not be read).
	Open Version
	// Err is App Store Connect's answer.
	Err error
}

// Error names the open version.
func (e *VersionOpenError) Error() string {
	if e.Open.ID == "" {
		return fmt.Sprintf("cannot create version %s: another version is open: %v", e.Wanted, e.Err)
	}
	return fmt.Sprintf("cannot create version %s: version %s is open (%s); rename it with `storesyncer versions set %s`",
		e.Wanted, e.Open.String, e.Open.State, e.Wanted)
}

// Unwrap returns App Store Connect's answer.
func (e *VersionOpenError) Unwrap() error { return e.Err }

// VersionStateError reports that the target version left the state the plan relied on while
// a group was being pushed (e.g. it was submitted for review). The keys are held, not broken:
// the next plan says what can still change.
type VersionStateError struct {
	Version string // versionString
	State   string // the new appVersionState
	Err     error  // the refused write
}

// Error says which version and state.
func (e *VersionStateError) Error() string {
	return fmt.Sprintf("held: version %s is now %s", e.Version, e.State)
}

// Unwrap returns the refused write.
func (e *VersionStateError) Unwrap() error { return e.Err }

// ProcessingError reports an asset App Store Connect could not process, with Apple's error
// codes (IMAGE_INCORRECT_DIMENSIONS, …), or that stayed unprocessed past the deadline.
type ProcessingError struct {
	FileName string
	Codes    []string
	Stuck    bool
}

// Error names the file and Apple's codes.
func (e *ProcessingError) Error() string {
	if e.Stuck {
		return fmt.Sprintf("%s: still processing after the deadline, twice", e.FileName)
	}
	codes := "no reason given"
	if len(e.Codes) > 0 {
		codes = strings.Join(e.Codes, ", ")
	}
	return fmt.Sprintf("%s: App Store Connect could not process it: %s", e.FileName, codes)
}
