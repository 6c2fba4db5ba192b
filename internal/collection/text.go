package collection

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storesyncer/storesyncer/internal/safefile"
)

// ErrInvalidUTF8 matches (with errors.Is) every *InvalidUTF8Error.
var ErrInvalidUTF8 = errors.New("invalid UTF-8")

// InvalidUTF8Error reports text that is not UTF-8, with the position of the first bad byte.
type InvalidUTF8Error struct {
	// Offset is the byte offset of the first invalid byte, counted after a dropped BOM.
	Offset int
	// Line and Column (1-based, column in bytes) locate that byte.
	Line, Column int
	// UTF16 is true when the text starts with a UTF-16 byte order mark.
	UTF16 bool
}

// Error says where the first bad byte is and how to fix the file.
func (e *InvalidUTF8Error) Error() string {
	if e.UTF16 {
		return "text is UTF-16, not UTF-8; save it as UTF-8"
	}
	return fmt.Sprintf("invalid UTF-8 at line %d, column %d (byte %d); save the file as UTF-8", e.Line, e.Column, e.Offset)
}

// Is makes errors.Is(err, ErrInvalidUTF8) true for an *InvalidUTF8Error.
func (e *InvalidUTF8Error) Is(target error) bool { return target == ErrInvalidUTF8 }

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// NormalizeText turns the bytes of a text file into the value StoreSyncer compares and sends:
// a UTF-8 byte order mark is dropped, CRLF (and a lone CR) becomes LF, and leading and trailing
// white space (and U+FEFF) is trimmed. It is idempotent, so a value normalized, written and read back is
// unchanged. Text that is not UTF-8 returns an *InvalidUTF8Error. An empty result means the field
// is not managed.
func NormalizeText(b []byte) (string, error) {
	if bytes.HasPrefix(b, []byte{0xFE, 0xFF}) || bytes.HasPrefix(b, []byte{0xFF, 0xFE}) {
		return "", &InvalidUTF8Error{UTF16: true}
	}
	b = bytes.TrimPrefix(b, utf8BOM)
	if !utf8.Valid(b) {
		off := firstInvalid(b)
		line := 1 + bytes.Count(b[:off], []byte{'\n'})
		col := off - bytes.LastIndexByte(b[:off], '\n')
		return "", &InvalidUTF8Error{Offset: off, Line: line, Column: col}
	}
	s := string(b)
	if strings.Contains(s, "\r") {
		// CRLF, and a lone CR (classic Mac), are line breaks. Replacing only CRLF would not be
		// idempotent: "a\r\r\nb" would become "a\r\nb".
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	// U+FEFF is trimmed too: a BOM behind leading white space would otherwise survive one
	// pass and be dropped by the next.
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' }), nil
}

// firstInvalid returns the offset of the first byte of b that does not start a valid rune.
func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// ReadText reads the text file at path and normalizes it with NormalizeText. Errors name the
// path; invalid UTF-8 wraps an *InvalidUTF8Error. Like the loader it never follows a link out
// of the file's folder and never opens a special file (a *safefile.Error).
func ReadText(path string) (string, error) {
	b, err := safefile.ReadRegular(path)
	if err != nil {
		return "", fmt.Errorf("read text: %w", err)
	}
	s, err := NormalizeText(b)
	if err != nil {
		return "", fmt.Errorf("read text %s: %w", path, err)
	}
	return s, nil
}
