package collection

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/storesyncer/storesyncer/internal/safefile"
)

// checkText reads one text file and applies its field's rules, filling it.value and
// it.problems.
func checkText(root string, it *textItem) {
	add := func(code string, sev Severity, format string, args ...any) {
		it.problems = append(it.problems, Problem{Path: it.rel, Code: code, Severity: sev, Message: fmt.Sprintf(format, args...)})
	}
	if it.skip {
		return
	}
	b, err := safefile.ReadFile(root, it.rel)
	if err != nil {
		if p, ok := refusedProblem(it.rel, err); ok {
			it.problems = append(it.problems, p)
			return
		}
		add(CodeTextUnreadable, SeverityError, "cannot read: %v", unwrapPath(err))
		return
	}
	v, err := NormalizeText(b)
	if err != nil {
		var ue *InvalidUTF8Error
		if errors.As(err, &ue) {
			add(CodeTextInvalidUTF8, SeverityError, "%v", ue)
			return
		}
		add(CodeTextUnreadable, SeverityError, "%v", err)
		return
	}
	if err := CheckControlChars(string(b)); err != nil {
		add(CodeTextControlChar, SeverityError, "%v", err)
		return
	}
	if v == "" {
		add(CodeTextEmpty, SeverityWarning, "empty: %s is not managed for %s, StoreSyncer leaves it alone on App Store Connect", it.field.Dir, it.locale)
		return
	}
	it.value = v
	f := it.field
	n := utf8.RuneCountInString(v)
	if f.Max > 0 && n > f.Max {
		add(CodeTextTooLong, SeverityError, "%d characters; %s holds at most %d (%d too many)", n, f.Dir, f.Max, n-f.Max)
	}
	if n < f.Min {
		add(CodeTextTooShort, SeverityError, "%d characters; %s needs at least %d", n, f.Dir, f.Min)
	}
	if f.Dir == "keyword" {
		if len(v) > KeywordMaxBytes && n <= f.Max {
			// Past 100 characters text.too_long already says it; this is only Apple's
			// documented byte limit, which multi-byte scripts reach early.
			add(CodeKeywordBytes, SeverityWarning, "%d characters but %d bytes; Apple documents a limit of %d bytes, App Store Connect accepts %d characters (quiet this with [collection] quiet = [%q] in the config)", n, len(v), KeywordMaxBytes, f.Max, CodeKeywordBytes)
		}
		if sep := keywordSeparator(v); sep != "" {
			add(CodeKeywordSeparator, SeverityError, "keywords separated by %s; App Store Connect expects commas: write %q", sep, commaKeywords(v))
		} else if keywordSpaces.MatchString(v) {
			add(CodeKeywordSpaces, SeverityWarning, "white space around commas costs characters; write %q", compactKeywords(v))
		}
	}
	if f.URL {
		if msg := checkURL(v); msg != "" {
			add(CodeURLInvalid, SeverityError, "%s", msg)
		}
	}
}

var keywordSpaces = regexp.MustCompile(`\s,|,\s`)

// keywordSeparator names the separator other than a comma that v uses ("newlines",
// "semicolons"), or returns "".
func keywordSeparator(v string) string {
	switch {
	case strings.Contains(v, "\n") && strings.Contains(v, ";"):
		return "newlines and semicolons"
	case strings.Contains(v, "\n"):
		return "newlines"
	case strings.Contains(v, ";"):
		return "semicolons"
	}
	return ""
}

// commaKeywords rewrites keywords separated by newlines, semicolons or commas as one compact
// comma-separated line, dropping empty entries.
func commaKeywords(v string) string {
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == ';' || r == ',' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ",")
}

// compactKeywords drops the white space around each keyword.
func compactKeywords(v string) string {
	parts := strings.Split(v, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return strings.Join(parts, ",")
}

// checkURL returns "" when v is one absolute http(s) URL with a host, else why not.
func checkURL(v string) string {
	short := v
	if utf8.RuneCountInString(short) > 60 {
		short = string([]rune(short)[:60]) + "…"
	}
	if strings.ContainsAny(v, " \t\n") {
		return fmt.Sprintf("%q is not one URL: it contains white space", short)
	}
	u, err := url.Parse(v)
	if err != nil {
		return fmt.Sprintf("%q is not a URL: %v", short, errors.Unwrap(err))
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme == "" && !strings.Contains(v, "://") {
		return fmt.Sprintf("%q is not an absolute URL; write https://%s", short, v)
	}
	if scheme != "http" && scheme != "https" {
		return fmt.Sprintf("%q is not an http or https URL", short)
	}
	if u.Host == "" {
		return fmt.Sprintf("%q has no host name", short)
	}
	return ""
}
