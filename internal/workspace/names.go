package workspace

import (
	"errors"
	"fmt"
	"strings"
)

// MaxCollectionNameLen is the longest collection name accepted.
const MaxCollectionNameLen = 64

// ValidateCollectionName checks a collection name: lower-case letters, digits, '.', '_'
// and '-', starting with a letter or digit (so it is the same folder on every file system
// and never a dot folder). The error says what is wrong and matches ErrBadName.
func ValidateCollectionName(name string) error {
	if err := checkCollectionName(name); err != nil {
		return &badNameError{err}
	}
	return nil
}

// ErrBadName is matched (errors.Is) by every error of ValidateCollectionName, so callers can
// tell a wrong name from a missing collection.
var ErrBadName = errors.New("bad collection name")

type badNameError struct{ err error }

func (e *badNameError) Error() string        { return e.err.Error() }
func (e *badNameError) Is(target error) bool { return target == ErrBadName }

func checkCollectionName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("collection name is empty")
	case len(name) > MaxCollectionNameLen:
		return fmt.Errorf("collection name %q is longer than %d characters", name, MaxCollectionNameLen)
	case name == AppFile:
		return fmt.Errorf("collection name %q is reserved", name)
	}
	if c := name[0]; !isLowerAlnum(c) {
		return fmt.Errorf("collection name %q must start with a lower-case letter or a digit", name)
	}
	for _, r := range name {
		if r < 0x80 && (isLowerAlnum(byte(r)) || strings.ContainsRune("._-", r)) {
			continue
		}
		hint := ""
		if r >= 'A' && r <= 'Z' {
			hint = fmt.Sprintf(" (try %q)", strings.ToLower(name))
		}
		return fmt.Errorf("collection name %q holds %q: use lower-case letters, digits, '.', '_' and '-'%s", name, r, hint)
	}
	return nil
}

func isLowerAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// ValidateBundleID checks that a bundle ID can be a folder name: letters, digits, '.' and
// '-', not starting with a dot.
func ValidateBundleID(id string) error {
	if id == "" {
		return fmt.Errorf("bundle ID is empty")
	}
	if id[0] == '.' {
		return fmt.Errorf("bundle ID %q starts with a dot", id)
	}
	for _, r := range id {
		if r < 0x80 && (isLowerAlnum(byte(r)) || r >= 'A' && r <= 'Z' || r == '.' || r == '-') {
			continue
		}
		return fmt.Errorf("bundle ID %q holds %q: bundle IDs use letters, digits, '.' and '-'", id, r)
	}
	return nil
}
