package transfer

import (
	"fmt"
	"log/slog"
)

// Only selects what an import or export moves: texts, media, or both.
type Only string

// The values of Only. The empty value means OnlyAll.
const (
	OnlyAll   Only = "all"
	OnlyText  Only = "text"
	OnlyMedia Only = "media"
)

// ParseOnly reads a --only value.
func ParseOnly(s string) (Only, error) {
	switch Only(s) {
	case "", OnlyAll:
		return OnlyAll, nil
	case OnlyText, OnlyMedia:
		return Only(s), nil
	}
	return "", fmt.Errorf("unknown --only value %q (want text, media or all)", s)
}

// Format is a layout an import reads or an export writes.
type Format string

// The formats. The empty value means "detect" for an import and FormatTemplate for an export.
const (
	FormatTemplate Format = "template"
	FormatFastlane Format = "fastlane"
)

// ParseFormat reads a --format value; "" is allowed and means the default.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case "", FormatTemplate, FormatFastlane:
		return Format(s), nil
	}
	return "", fmt.Errorf("unknown format %q (want template or fastlane)", s)
}

// ImportOptions configures Import. The zero value imports everything, detects the format and
// skips empty text files.
type ImportOptions struct {
	// Format is the source's layout; empty means detect (metadata/ or screenshots/ at the top
	// means fastlane).
	Format Format
	// Only limits the import to texts or media.
	Only Only
	// AllowEmpty imports empty text files and empty display-type folders too, which makes the
	// field or set "not managed" in the collection.
	AllowEmpty bool
	// Platform, when set, narrows fastlane screenshot sizes to the platform's display types
	// (3840×2160 is APP_APPLE_TV on TV_OS, APP_APPLE_VISION_PRO on VISION_OS) and chooses the
	// platform folder of a fastlane tree that has them (metadata/ios/, metadata/macos/, …).
	Platform string
	// ExtraLocales are locale codes accepted on top of App Store Connect's list
	// ([collection] extra_locales in the config) for fastlane's locale folders.
	ExtraLocales []string
	// Limits bound what is read from a ZIP; zero values mean the defaults.
	Limits Limits
	// Logger receives debug logs; nil means none.
	Logger *slog.Logger
}

// Report says what an import or export moved.
type Report struct {
	// Format is the layout that was read or written.
	Format Format `json:"format"`
	// Texts is the number of text files written.
	Texts int `json:"texts"`
	// Sets is the number of media sets written (each replaces the whole set).
	Sets int `json:"sets"`
	// Images and Videos count the files in those sets.
	Images int `json:"images"`
	Videos int `json:"videos"`
	// Skipped counts empty text files and empty sets left out.
	Skipped int `json:"skipped"`
	// Warnings are things the user should know: skipped files and folders, and why.
	Warnings []string `json:"warnings"`
	// Rejected are files and folders of the source that hold content but were not imported,
	// each with the fix; the rest of the source was imported.
	Rejected []Rejected `json:"rejected"`
}

// Rejected is one file or folder of an import source that was not imported.
type Rejected struct {
	// Path is slash-separated, relative to the source.
	Path string `json:"path"`
	// Reason says why, and how to fix it.
	Reason string `json:"reason"`
	// Err is the typed error behind Reason (*AmbiguousSizeError, …), when there is one.
	Err error `json:"-"`
}

func discardLogger(l *slog.Logger) *slog.Logger {
	if l != nil {
		return l
	}
	return slog.New(slog.DiscardHandler)
}
