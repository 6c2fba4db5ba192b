package collection

// Options tunes Validate and Load. The zero value works: the platform is unknown (display
// and preview types are not checked against one), only the built-in locales and types are
// accepted, and every file is read afresh.
type Options struct {
	// Platform is the app's platform; "" skips the platform check of display and preview
	// types. Any other value outside IOS, MAC_OS, TV_OS, VISION_OS is an error.
	Platform Platform
	// ExtraLocales are locale codes accepted on top of Locales (config
	// [collection] extra_locales), for locales Apple added after this release.
	ExtraLocales []string
	// ExtraDisplayTypes are screenshot display types and preview types accepted on top of
	// DisplayTypes and PreviewTypes (config [collection] extra_display_types). Their
	// dimensions and platform are not checked.
	ExtraDisplayTypes []string
	// Quiet lists warning codes that are not reported (config [collection] quiet); only codes
	// in QuietableCodes have an effect, errors are always reported.
	Quiet []string
	// Cache, when set, remembers each media file's MD5 and alpha verdict by path, size and
	// modification time, so Load does not re-hash and neither re-decodes unchanged files. The
	// daemon keeps one for its life.
	Cache FileCache
}
