package collection

import (
	"fmt"
)

// Summary counts what a collection manages: the figures of the validate command's "ok" line.
type Summary struct {
	// Locales that have at least one managed text or media file.
	Locales int
	// Texts are the non-empty text files.
	Texts int
	// Screenshots and Previews are the media files in type folders.
	Screenshots, Previews int
}

// Summarize is Validate that also counts what the collection manages. Like Validate it hashes
// nothing; its problems and error are Validate's.
func Summarize(dir string, opts Options) (Summary, []Problem, error) {
	n, err := newNames(opts)
	if err != nil {
		return Summary{}, nil, fmt.Errorf("validate %s: %w", dir, err)
	}
	s, err := walk(dir, n)
	if err != nil {
		return Summary{}, nil, err
	}
	s.check(false, opts.Cache)
	s.quiet(opts.Quiet)
	var sum Summary
	locales := make(map[string]bool)
	for _, it := range s.texts {
		if it.value != "" {
			sum.Texts++
			locales[it.locale] = true
		}
	}
	for _, set := range s.sets {
		if len(set.files) == 0 {
			continue
		}
		locales[set.locale] = true
		if set.kind == Screenshots {
			sum.Screenshots += len(set.files)
		} else {
			sum.Previews += len(set.files)
		}
	}
	sum.Locales = len(locales)
	return sum, s.allProblems(), nil
}
