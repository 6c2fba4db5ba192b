package collection

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// probeVideo reads what the preview rules need from one video file into facts: its boxes'
// duration and track size (ProbeVideo). A broken file is a fact, not an error.
func probeVideo(r io.ReaderAt, size int64, facts *FileFacts) {
	*facts = FileFacts{MD5: facts.MD5, Probed: true}
	if size == 0 {
		return
	}
	info, err := ProbeVideo(r, size)
	switch {
	case errors.Is(err, ErrNotVideo):
		facts.NotVideo, facts.HeaderError = true, err.Error()
	case err != nil:
		facts.HeaderError = err.Error()
	default:
		facts.Duration, facts.Width, facts.Height = info.Duration, info.Width, info.Height
	}
}

// checkVideo applies the preview rules to the facts probeVideo read from one video file: at
// most MaxPreviewBytes, readable boxes with a video track, a duration of 15–30 s and a
// resolution the preview type accepts.
func checkVideo(facts FileFacts, size int64, rel string, tc typeCheck) []Problem {
	var problems []Problem
	add := func(code, format string, args ...any) {
		problems = append(problems, Problem{Path: rel, Code: code, Severity: SeverityError, Message: fmt.Sprintf(format, args...)})
	}
	if size > MaxPreviewBytes {
		add(CodePreviewTooLarge, "%.1f MB; a preview may be at most %d MB", float64(size)/(1<<20), MaxPreviewBytes>>20)
	}
	if size == 0 {
		add(CodePreviewUnreadable, "empty file (still being copied or saved?)")
		return problems
	}
	if facts.NotVideo {
		add(CodePreviewUnreadable, "%s (the content is not a video)", facts.HeaderError)
		return problems
	}
	if facts.HeaderError != "" {
		add(CodePreviewUnreadable, "%s", facts.HeaderError)
		return problems
	}
	d := facts.Duration
	if d < MinPreviewSeconds*time.Second || d > MaxPreviewSeconds*time.Second {
		add(CodePreviewDuration, "%.2f s long; a preview must last %d–%d s", d.Seconds(), MinPreviewSeconds, MaxPreviewSeconds)
	}
	if !Accepts(tc.Sizes, tc.Landscape, facts.Width, facts.Height) {
		add(CodePreviewBadResolution, "%d×%d is not accepted for %s; accepted: %s", facts.Width, facts.Height, tc.Canonical, formatSizes(tc.Sizes, tc.Landscape))
	}
	return problems
}
