package collection

import (
	"cmp"
	"slices"
)

// Severity says whether a Problem blocks its key (SeverityError) or is only reported
// (SeverityWarning). It is lower case everywhere: in Go, JSON and the CLI's output.
type Severity string

// The severities a Problem can have.
const (
	// SeverityError marks a problem that keeps its key from being synced.
	SeverityError Severity = "error"
	// SeverityWarning marks a problem that is reported but blocks nothing.
	SeverityWarning Severity = "warning"
)

// Problem is one broken rule of the template layout (DESIGN.md §2). The zero value is not
// meaningful; problems come from Validate and Load.
type Problem struct {
	// Path is slash-separated and relative to the collection root ("keyword/en-US.txt"); a
	// folder has no trailing slash ("screenshot/de-DE/APP_IPHONE_67").
	Path string `json:"path"`
	// Code is one of the stable dotted codes in codes.go ("text.too_long").
	Code string `json:"code"`
	// Severity is SeverityError or SeverityWarning.
	Severity Severity `json:"severity"`
	// Message says what is wrong and, where it can, how to fix it.
	Message string `json:"message"`
}

// String formats p the way the validate command prints it: "path: severity: code: message".
func (p Problem) String() string {
	return p.Path + ": " + string(p.Severity) + ": " + p.Code + ": " + p.Message
}

// HasErrors reports whether any of problems has SeverityError.
func HasErrors(problems []Problem) bool {
	return slices.ContainsFunc(problems, func(p Problem) bool { return p.Severity == SeverityError })
}

// sortProblems orders problems by path, then code, then message, so output is stable.
func sortProblems(problems []Problem) {
	slices.SortFunc(problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Code, b.Code), cmp.Compare(a.Message, b.Message))
	})
}
