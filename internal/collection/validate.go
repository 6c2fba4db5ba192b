package collection

// Validate checks the collection in dir against every rule of the template layout
// (DESIGN.md §2) and returns all problems, sorted by path, then code; an empty slice (not nil)
// means a clean collection. It reads text files, image headers and trailers and video boxes in
// parallel, but hashes nothing; with opts.Cache it reuses the alpha verdicts of unchanged
// files. The error is non-nil only when dir itself cannot be read or opts.Platform is not a
// known platform; everything wrong inside dir is a Problem.
func Validate(dir string, opts Options) ([]Problem, error) {
	_, problems, err := Summarize(dir, opts)
	return problems, err
}
