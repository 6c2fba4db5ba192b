package collection

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storesyncer/storesyncer/internal/safefile"
)

// refusalCodes maps why safefile refused a path to the problem code that reports it.
var refusalCodes = map[safefile.Reason]string{
	safefile.LinkOutside:  CodeLinkOutside,
	safefile.LinkParent:   CodeLinkParent,
	safefile.LinkLoop:     CodeLinkLoop,
	safefile.LinkDangling: CodeLinkDangling,
	safefile.Special:      CodeFileSpecial,
	safefile.Changed:      CodeFileChanged,
}

// refusalMessages say what each refusal means inside a collection.
var refusalMessages = map[safefile.Reason]string{
	safefile.LinkOutside:  "symbolic link to a file outside the collection; it is never read or uploaded (copy the file into the collection instead)",
	safefile.LinkParent:   "symbolic link to a folder that holds it; it is never followed",
	safefile.LinkLoop:     "symbolic link loop; it is never followed",
	safefile.LinkDangling: "symbolic link to nothing (its target does not exist)",
	safefile.Changed:      "replaced (by a link or another file) while being read; not read, the next scan reads it again",
}

// refusal turns an error from safefile for the entry rel into its problem: a refused link
// or special file gets its own code, any other error is an unreadable folder entry.
func refusal(rel string, err error) Problem {
	if e, ok := safefile.IsRefused(err); ok {
		msg := refusalMessages[e.Reason]
		if e.Reason == safefile.Special {
			msg = fmt.Sprintf("a %s, not a regular file or folder; it is never opened", e.Kind)
		}
		return Problem{Path: rel, Code: refusalCodes[e.Reason], Severity: SeverityError, Message: msg}
	}
	return Problem{Path: rel, Code: CodeLayoutUnreadable, Severity: SeverityError, Message: fmt.Sprintf("cannot read: %v", unwrapPath(err))}
}

// refusedProblem returns the problem for a read that safefile refused, and false for any other
// error (which the caller reports with its own code).
func refusedProblem(rel string, err error) (Problem, bool) {
	if _, ok := safefile.IsRefused(err); !ok {
		return Problem{}, false
	}
	return refusal(rel, err), true
}

// checkName returns "" when name is valid UTF-8 without control characters, else why not.
func checkName(name string) string {
	if !utf8.ValidString(name) {
		return "the name is not valid UTF-8; rename the file"
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return fmt.Sprintf("the name holds a control character (%U); rename the file", r)
		}
	}
	return ""
}

// printablePath returns rel with the bytes of a bad last element escaped as Go does
// ("04\nx.png" becomes `04\nx.png`), so a problem's path is one clean line of UTF-8.
func printablePath(rel string) string {
	dir, name := path.Split(rel)
	q := strconv.Quote(name)
	return dir + strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`)
}

// ErrControlChar matches (with errors.Is) every *ControlCharError.
var ErrControlChar = errors.New("control character in text")

// ControlCharError reports a control character other than newline and tab in a text.
type ControlCharError struct {
	// Rune is the character; Line and Column (1-based, column in characters) locate it in
	// the file.
	Rune         rune
	Line, Column int
}

// Error says which character and where.
func (e *ControlCharError) Error() string {
	return fmt.Sprintf("control character %U at line %d, column %d; remove it", e.Rune, e.Line, e.Column)
}

// Is makes errors.Is(err, ErrControlChar) true for a *ControlCharError.
func (e *ControlCharError) Is(target error) bool { return target == ErrControlChar }

// CheckControlChars returns a *ControlCharError for the first control character in the text
// of a file, v (UTF-8), other than newline and tab (NUL, escape, DEL, the C1 controls), or
// nil. A carriage return is a line break (CRLF files are fine), not a control character.
func CheckControlChars(v string) error {
	line, col := 1, 0
	for _, r := range v {
		col++
		switch {
		case r == '\n':
			line, col = line+1, 0
		case r == '\t', r == '\r':
		case unicode.IsControl(r):
			return &ControlCharError{Rune: r, Line: line, Column: col}
		}
	}
	return nil
}
