package collection

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// checkVideo applies the preview rules to one video file: at most MaxPreviewBytes, readable
// boxes with a video track, a duration of 15–30 s and a resolution the preview type accepts.
func checkVideo(r io.ReaderAt, size int64, rel string, tc typeCheck) []Problem {
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
	info, err := ProbeVideo(r, size)
	if errors.Is(err, ErrNotVideo) {
		add(CodePreviewUnreadable, "%v (the content is not a video)", err)
		return problems
	}
	if err != nil {
		add(CodePreviewUnreadable, "%v", err)
		return problems
	}
	if info.Duration < MinPreviewSeconds*time.Second || info.Duration > MaxPreviewSeconds*time.Second {
		add(CodePreviewDuration, "%.2f s long; a preview must last %d–%d s", info.Duration.Seconds(), MinPreviewSeconds, MaxPreviewSeconds)
	}
	if !Accepts(tc.Sizes, tc.Landscape, info.Width, info.Height) {
		add(CodePreviewBadResolution, "%d×%d is not accepted for %s; accepted: %s", info.Width, info.Height, tc.Canonical, formatSizes(tc.Sizes, tc.Landscape))
	}
	return problems
}
