package collection

import "slices"

// QuietableCodes are the warning codes that [collection] quiet in the config may silence.
// Errors are never quieted: an error holds its key, and hiding why would make a field that
// never uploads look fine.
var QuietableCodes = []string{CodeTextEmpty, CodeKeywordBytes, CodeKeywordSpaces, CodeLayoutUnknownFile, CodeSetEmpty}

// IsQuietable reports whether code is a warning code that Options.Quiet may silence.
func IsQuietable(code string) bool { return slices.Contains(QuietableCodes, code) }

// quietFilter drops the warnings whose code is in codes; errors always stay.
func quietFilter(problems []Problem, codes []string) []Problem {
	if len(codes) == 0 {
		return problems
	}
	return slices.DeleteFunc(problems, func(p Problem) bool {
		return p.Severity == SeverityWarning && slices.Contains(codes, p.Code)
	})
}

// quiet drops the quieted warnings from everything the walk and the checks found.
func (s *scan) quiet(codes []string) {
	if len(codes) == 0 {
		return
	}
	s.problems = quietFilter(s.problems, codes)
	for _, it := range s.texts {
		it.held = quietFilter(it.held, codes)
		it.problems = quietFilter(it.problems, codes)
	}
	for _, set := range s.sets {
		set.held = quietFilter(set.held, codes)
		set.own = quietFilter(set.own, codes)
		for _, f := range set.files {
			f.problems = quietFilter(f.problems, codes)
		}
	}
}
