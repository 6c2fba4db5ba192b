package collection

// Problem codes. Every code a Problem can carry is declared here and explained in
// docs/problem-codes.md (a test keeps the two in step). The strings are stable: scripts match
// on them, so a code is never renamed, only added.
const (
	// CodeTextTooLong: a text holds more code points than its field allows (error).
	CodeTextTooLong = "text.too_long"
	// CodeTextTooShort: a managed text holds fewer code points than its field needs (error).
	CodeTextTooShort = "text.too_short"
	// CodeTextInvalidUTF8: a text file is not valid UTF-8 (error).
	CodeTextInvalidUTF8 = "text.invalid_utf8"
	// CodeTextEmpty: a text file is empty or only white space, so the field is not managed
	// (warning).
	CodeTextEmpty = "text.empty"
	// CodeTextUnreadable: a text file could not be read (error).
	CodeTextUnreadable = "text.unreadable"
	// CodeKeywordBytes: keywords are longer than Apple's documented 100 bytes (warning).
	CodeKeywordBytes = "keyword.bytes"
	// CodeKeywordSpaces: keywords have white space around commas, which costs characters
	// (warning).
	CodeKeywordSpaces = "keyword.spaces"
	// CodeURLInvalid: a URL field does not hold one absolute http(s) URL (error).
	CodeURLInvalid = "url.invalid"
	// CodeKeywordSeparator: keywords separated by newlines or semicolons instead of commas;
	// App Store Connect would take them as one long keyword (error).
	CodeKeywordSeparator = "keyword.separator"

	// CodeLayoutUnknownFolder: a folder the template layout does not define (error: its files
	// would never be uploaded).
	CodeLayoutUnknownFolder = "layout.unknown_folder"
	// CodeLayoutUnknownFile: a file the template layout does not define (warning).
	CodeLayoutUnknownFile = "layout.unknown_file"
	// CodeLayoutNotAFolder: a file stands where the layout needs a folder (error).
	CodeLayoutNotAFolder = "layout.not_a_folder"
	// CodeLayoutUnreadable: a folder could not be listed (error).
	CodeLayoutUnreadable = "layout.unreadable"

	// CodeLocaleUnknown: a locale App Store Connect does not know, or the wrong case (error).
	CodeLocaleUnknown = "locale.unknown"

	// CodeDisplayTypeUnknown: a screenshot or preview folder named after no known type (error).
	CodeDisplayTypeUnknown = "display_type.unknown"
	// CodeDisplayTypePlatform: a type that the app's platform does not accept (error).
	CodeDisplayTypePlatform = "display_type.platform"
	// CodeDisplayTypeAliasConflict: both a display type and its alias in one locale
	// (APP_IPHONE_67 and APP_IPHONE_69), which are one set on App Store Connect (error).
	CodeDisplayTypeAliasConflict = "display_type.alias_conflict"

	// CodeImageFormatMismatch: an image whose content is not what its extension says (error).
	CodeImageFormatMismatch = "image.format_mismatch"
	// CodeImageUnsupportedFormat: an image type App Store Connect does not take (GIF, HEIC,
	// WebP, TIFF, BMP) in a screenshot folder (error).
	CodeImageUnsupportedFormat = "image.unsupported_format"
	// CodeImageTruncated: an image without its trailer (PNG IEND, JPEG EOI): a half-copied
	// or half-saved file (error).
	CodeImageTruncated = "image.truncated"
	// CodeImageUnreadable: an image whose header cannot be read (error).
	CodeImageUnreadable = "image.unreadable"
	// CodeImageNotRGB: a grayscale or CMYK image (error).
	CodeImageNotRGB = "image.not_rgb"
	// CodeImageTransparent: an image with at least one transparent pixel (error).
	CodeImageTransparent = "image.transparent"
	// CodeImageBadDimensions: an image size the display type does not accept (error).
	CodeImageBadDimensions = "image.bad_dimensions"

	// CodeSetEmpty: a display-type or preview-type folder with no media, so the set is not
	// managed (warning).
	CodeSetEmpty = "set.empty"
	// CodeSetTooMany: more than 10 screenshots or 3 previews in one folder (error).
	CodeSetTooMany = "set.too_many"

	// CodePreviewDuration: a preview shorter than 15 s or longer than 30 s (error).
	CodePreviewDuration = "preview.duration"
	// CodePreviewTooLarge: a preview file over 500 MB (error).
	CodePreviewTooLarge = "preview.too_large"
	// CodePreviewBadResolution: a preview resolution the preview type does not accept (error).
	CodePreviewBadResolution = "preview.bad_resolution"
	// CodePreviewUnreadable: a preview whose MP4/QuickTime boxes cannot be read, or that has
	// no video track (error).
	CodePreviewUnreadable = "preview.unreadable"
	// CodePreviewUnsupportedFormat: a video container App Store Connect does not take (AVI,
	// MKV, WebM) in a preview folder (error).
	CodePreviewUnsupportedFormat = "preview.unsupported_format"

	// Untrusted workspace (issue 9): links, special files, names and control characters. A
	// block of its own, so additions of other kinds stay apart.

	// CodeLinkOutside: a symbolic link whose target is outside the collection; it is never
	// read (error).
	CodeLinkOutside = "link.outside"
	// CodeLinkParent: a symbolic link to a folder that holds the link, the collection itself
	// included; it is never followed (error).
	CodeLinkParent = "link.parent"
	// CodeLinkLoop: symbolic links that lead back to themselves (error).
	CodeLinkLoop = "link.loop"
	// CodeLinkDangling: a symbolic link whose target does not exist (error).
	CodeLinkDangling = "link.dangling"
	// CodeFileSpecial: a FIFO, socket or device where a file or folder belongs; it is never
	// opened for reading (error).
	CodeFileSpecial = "file.special"
	// CodeFileChanged: a file was replaced (by a link or another file) between the listing and
	// the read; it was not read (error; the next scan reads it again).
	CodeFileChanged = "file.changed"
	// CodeNameInvalid: a file or folder name that is not valid UTF-8 or holds a control
	// character (error).
	CodeNameInvalid = "name.invalid"
	// CodeTextControlChar: a text holds a control character other than newline and tab
	// (error).
	CodeTextControlChar = "text.control_char"
)
