package transfer

import (
	"fmt"
	"strings"
)

// UnsafeEntryError reports a ZIP entry that would land outside the collection (a "../" path,
// an absolute path, a Windows drive letter or backslash, a symbolic link) or is otherwise not
// a plain file or folder. An import that meets one writes nothing.
type UnsafeEntryError struct {
	// Entry is the entry's name as stored in the archive.
	Entry string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the entry and why it was refused.
func (e *UnsafeEntryError) Error() string {
	return fmt.Sprintf("zip entry %q: %s; nothing was imported", e.Entry, e.Reason)
}

// LimitError reports an archive that exceeds an import limit (a likely zip bomb): too many
// entries, too many bytes once expanded, or an absurd compression ratio. An import that meets
// one writes nothing.
type LimitError struct {
	// Entry is the entry that crossed the limit; empty for whole-archive limits.
	Entry string
	// What names the limit ("entries", "expanded size", "compression ratio").
	What string
	// Limit is the limit's value.
	Limit int64
}

// Error names the limit and the entry that crossed it.
func (e *LimitError) Error() string {
	where := "archive"
	if e.Entry != "" {
		where = fmt.Sprintf("zip entry %q", e.Entry)
	}
	return fmt.Sprintf("%s exceeds the %s limit of %d (possible zip bomb); nothing was imported", where, e.What, e.Limit)
}

// AmbiguousSizeError reports a fastlane screenshot whose pixel size fits more than one display
// type and whose name does not say which.
type AmbiguousSizeError struct {
	// Path is the screenshot's path inside the source.
	Path string
	// W and H are its pixel size.
	W, H int
	// Candidates are the display types the size fits.
	Candidates []string
}

// Error lists the candidates and the renames that decide between them.
func (e *AmbiguousSizeError) Error() string {
	base := e.Path[strings.LastIndex(e.Path, "/")+1:]
	var renames []string
	for _, c := range e.Candidates {
		renames = append(renames, fmt.Sprintf("%q for %s", suggestName(base, c), c))
	}
	return fmt.Sprintf("%s: %d×%d fits %s; put the display type in the name: rename it to %s",
		e.Path, e.W, e.H, strings.Join(e.Candidates, " and "), strings.Join(renames, ", or "))
}

// NothingImportedError reports an import source that held nothing to import: no text file
// and no media set in the layout that was read. Nothing was written.
type NothingImportedError struct {
	// Format is the layout that was read ("" when neither was recognized).
	Format Format
	// LookedFor says what the import looked for.
	LookedFor string
	// Skipped counts empty text files and empty sets that were left out.
	Skipped int
	// Rejected are the files that held content but could not be imported.
	Rejected []Rejected
}

// Error says what was looked for and what was left out.
func (e *NothingImportedError) Error() string {
	msg := "nothing to import: looked for " + e.LookedFor
	if e.Skipped > 0 {
		msg += fmt.Sprintf("; %d empty file(s) or folder(s) skipped (--allow-empty imports them)", e.Skipped)
	}
	if len(e.Rejected) > 0 {
		msg += fmt.Sprintf("; %d file(s) not imported, see above", len(e.Rejected))
	}
	return msg
}

// FormatError reports a --format that does not match the source's layout. Nothing was
// written.
type FormatError struct {
	// Want is the format asked for; Found the layout the source is in.
	Want, Found Format
	// Hint names what gave the layout away ("description/, keyword/").
	Hint string
}

// Error says which layout the source is in and what to do.
func (e *FormatError) Error() string {
	return fmt.Sprintf("--format %s, but the source is in the %s layout (it has %s); leave out --format or use --format %s", e.Want, e.Found, e.Hint, e.Found)
}

// PlatformError reports a fastlane tree with platform folders (metadata/ios/,
// metadata/macos/, …) where the platform to import cannot be chosen: several are present and
// none was asked for, or the one asked for is absent. Nothing was written.
type PlatformError struct {
	// Dir is the folder holding the platform folders ("metadata").
	Dir string
	// Have maps each Apple platform present to its folder name.
	Have map[string]string
	// Want is the platform asked for, or "".
	Want string
}

// Error names the folders and how to choose.
func (e *PlatformError) Error() string {
	var have, flags []string
	for _, p := range sortedKeys(e.Have) {
		have = append(have, e.Dir+"/"+e.Have[p]+"/")
		flags = append(flags, "--platform "+p)
	}
	if e.Want != "" {
		return fmt.Sprintf("%s/ has platform folders %s but none for %s; import with %s, or add %s/%s/", e.Dir, strings.Join(have, ", "), e.Want, strings.Join(flags, " or "), e.Dir, platformFolder[e.Want])
	}
	return fmt.Sprintf("%s/ has platform folders %s; choose one with %s", e.Dir, strings.Join(have, ", "), strings.Join(flags, " or "))
}

// UnknownSizeError reports a fastlane screenshot whose pixel size fits no display type and
// whose name does not name one.
type UnknownSizeError struct {
	// Path is the screenshot's path inside the source.
	Path string
	// W and H are its pixel size.
	W, H int
}

// Error gives the size and how to fix it.
func (e *UnknownSizeError) Error() string {
	return fmt.Sprintf("%s: %d×%d is not a screenshot size App Store Connect accepts; resize it or put the display type in the name (e.g. 01_APP_IPHONE_67.png)", e.Path, e.W, e.H)
}

// UnknownNameError reports a locale, display type or preview type that does not exist (or does
// not belong to the platform), with a suggestion when one is close.
type UnknownNameError struct {
	// Kind is "locale", "display type" or "preview type".
	Kind string
	// Name is what was asked for.
	Name string
	// Platform is set when the name exists but not for this platform.
	Platform string
	// Suggestion is the closest valid name, or empty.
	Suggestion string
}

// Error includes the suggestion, if any.
func (e *UnknownNameError) Error() string {
	msg := fmt.Sprintf("unknown %s %q", e.Kind, e.Name)
	if e.Platform != "" {
		msg = fmt.Sprintf("%s %q is not available on %s", e.Kind, e.Name, e.Platform)
	}
	if e.Suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", e.Suggestion)
	}
	return msg
}

// suggestName returns base renamed so that it names displayType and keeps its sort position.
func suggestName(base, displayType string) string {
	ext := ""
	if i := strings.LastIndex(base, "."); i > 0 {
		base, ext = base[:i], base[i:]
	}
	return base + "_" + displayType + ext
}
