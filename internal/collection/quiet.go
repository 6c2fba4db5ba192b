package collection

import "slices"

// QuietableCodes are the warning codes that [collection] quiet in the config may silence.
// Errors are never quieted: an error holds its key, and hiding why would make a field that
// never uploads look fine.
var QuietableCodes = []string{CodeTextEmpty, CodeKeywordBytes, CodeKeywordSpaces, CodeLayoutUnknownFile, CodeSetEmpty}

// IsQuietable reports whether code is a warning code that Options.Quiet may silence.
func IsQuietable(code string) bool { return slices.Contains(QuietableCodes, code) }

// quietFilter returns problems without the warnings whose code is in codes; errors always
// stay. It never changes problems, which a Reload may share with an earlier load: when
// something is dropped the result is a new slice.
func quietFilter(problems []Problem, codes []string) []Problem {
	quieted := func(p Problem) bool { return p.Severity == SeverityWarning && slices.Contains(codes, p.Code) }
	if len(codes) == 0 || !slices.ContainsFunc(problems, quieted) {
		return problems
	}
	return slices.DeleteFunc(slices.Clone(problems), quieted)
}

// quiet drops the quieted warnings from everything the walk and the checks found.
func (s *scan) quiet(codes []string) {
	if len(codes) == 0 {
		return
	}
	s.quietTexts(codes)
	for _, set := range s.sets {
		set.held = quietFilter(set.held, codes)
		set.own = quietFilter(set.own, codes)
		for _, f := range set.files {
			f.problems = quietFilter(f.problems, codes)
		}
	}
}

// quietTexts is quiet for the walk's problems and the texts only.
func (s *scan) quietTexts(codes []string) {
	s.problems = quietFilter(s.problems, codes)
	for _, it := range s.texts {
		it.held = quietFilter(it.held, codes)
		it.problems = quietFilter(it.problems, codes)
	}
}
