package config

import (
	"fmt"
	"strings"
)

// Error is a problem in a config file: where it is and what is expected. Load and Parse
// return it (as *Error) for syntax errors, unknown keys and bad values, so callers can
// report the path (exit 2, code "config.invalid"). It is a plain value.
type Error struct {
	// Path is the config file as given to Load or Parse.
	Path string
	// Line is 1-based; 0 when the problem has no single line (a missing file).
	Line int
	// Key is the dotted TOML key, e.g. "sync.concurrency" or "account.key_id"; empty for
	// syntax errors.
	Key string
	// Msg says what is wrong and what is expected.
	Msg string

	err error // the cause, for errors.Is (fs.ErrNotExist)
}

// Unwrap returns the cause of a problem reading the file, or nil.
func (e *Error) Unwrap() error { return e.err }

// Error formats the problem as "config.toml:12: [sync] concurrency: must be ≥ 1".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(displayKey(e.Key))
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// displayKey renders a dotted key the way the file spells it: "[sync] concurrency",
// "[[account]] key_id", "workspace".
func displayKey(key string) string {
	table, leaf, ok := strings.Cut(key, ".")
	if !ok {
		return key
	}
	if table == "account" {
		return "[[account]] " + leaf
	}
	return "[" + table + "] " + leaf
}
