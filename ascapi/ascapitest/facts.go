package ascapitest

import "slices"

// The simulator's own copy of Apple's facts, taken from App Store Connect's documentation as
// ../shared/reference/asc-api.md quotes it (§5, §6, §7) and written without looking at
// StoreSyncer's tables: the simulator is an independent witness, so a wrong table in
// internal/collection shows up as a disagreement (internal/factcheck compares the two) instead
// of two copies of the same mistake agreeing.

// Size is one pixel size App Store Connect accepts, width × height as the file has it.
type Size struct{ W, H int }

// MediaType is one screenshot display type or app preview type.
type MediaType struct {
	// Name is the spec's enum value (APP_IPHONE_67, IPHONE_67).
	Name string
	// Platforms are the app platforms whose versions show the type.
	Platforms []string
	// Sizes lists every accepted size, each orientation on its own; nil means Apple publishes
	// none, and any size is accepted.
	Sizes []Size
}

// Accepts reports whether a w×h file fits the type.
func (t MediaType) Accepts(w, h int) bool {
	return t.Sizes == nil || slices.Contains(t.Sizes, Size{w, h})
}

// TextLimit is what App Store Connect accepts in one text attribute.
type TextLimit struct {
	// Resource is the resource type that holds the attribute.
	Resource string
	// Attr is the attribute.
	Attr string
	// Max and Min bound the length in characters (Unicode code points); 0 is no bound.
	Max, Min int
	// URL means the value must be an absolute http or https URL.
	URL bool
}

// Facts are the rules of App Store Connect the simulator enforces. Treat a returned value
// as read-only.
type Facts struct {
	// Locales are the locale codes localizations accept, in Apple's case.
	Locales []string
	// Texts are the text attributes with a limit or a format.
	Texts []TextLimit
	// DisplayTypes are the screenshot display types of spec 3.7.0.
	DisplayTypes []MediaType
	// DisplayTypeAliases maps a display type App Store Connect stores under another name to
	// that name.
	DisplayTypeAliases map[string]string
	// PreviewTypes are the app preview types of spec 3.7.0.
	PreviewTypes []MediaType
	// MaxScreenshots and MaxPreviews are the most assets one set holds.
	MaxScreenshots, MaxPreviews int
	// MaxPreviewBytes is the largest preview file.
	MaxPreviewBytes int64
	// EditableStates are the appVersionStates whose texts and media may change.
	EditableStates []string
	// ReviewTextStates are the further states where texts (never media) may still change.
	ReviewTextStates []string
	// LiveAttrs are the version-localization attributes that may change in any other state.
	LiveAttrs []string
	// EditableInfoStates are the appInfo states whose localizations may change.
	EditableInfoStates []string
}

// AppleFacts returns the simulator's copy of Apple's facts.
func AppleFacts() Facts { return appleFacts }

var appleFacts = Facts{
	// asc-api.md §7: the 39 long-standing codes and the 11 added in 2025–26, region-suffixed.
	Locales: []string{
		"ar-SA", "ca", "cs", "da", "de-DE", "el", "en-AU", "en-CA", "en-GB", "en-US",
		"es-ES", "es-MX", "fi", "fr-CA", "fr-FR", "he", "hi", "hr", "hu", "id",
		"it", "ja", "ko", "ms", "nl-NL", "no", "pl", "pt-BR", "pt-PT", "ro",
		"ru", "sk", "sv", "th", "tr", "uk", "vi", "zh-Hans", "zh-Hant",
		"bn-BD", "gu-IN", "kn-IN", "ml-IN", "mr-IN", "or-IN", "pa-IN", "sl-SI", "ta-IN", "te-IN", "ur-PK",
	},
	// asc-api.md §6.1. Keywords: Apple's page says 100 bytes, App Store Connect accepts 100
	// characters (DESIGN.md §2), and the simulator answers as App Store Connect does.
	Texts: []TextLimit{
		{Resource: typeInfoLocs, Attr: "name", Max: 30, Min: 2},
		{Resource: typeInfoLocs, Attr: "subtitle", Max: 30},
		{Resource: typeInfoLocs, Attr: "privacyPolicyUrl", Max: 255, URL: true},
		{Resource: typeInfoLocs, Attr: "privacyChoicesUrl", Max: 255, URL: true},
		{Resource: typeVersionLocs, Attr: "description", Max: 4000},
		{Resource: typeVersionLocs, Attr: "keywords", Max: 100},
		{Resource: typeVersionLocs, Attr: "whatsNew", Max: 4000},
		{Resource: typeVersionLocs, Attr: "promotionalText", Max: 170},
		{Resource: typeVersionLocs, Attr: "marketingUrl", Max: 255, URL: true},
		{Resource: typeVersionLocs, Attr: "supportUrl", Max: 255, URL: true},
	},
	DisplayTypes:       displayTypes(),
	DisplayTypeAliases: map[string]string{"APP_IPHONE_69": "APP_IPHONE_67"}, // asc-api.md §4.12, pitfall 19
	// asc-api.md §6.3: portrait sizes, landscape by transposition except Mac and TV (landscape
	// only); Apple publishes nothing verified for IPHONE_35 and APPLE_VISION_PRO.
	PreviewTypes: []MediaType{
		{Name: "IPHONE_67", Platforms: iosOnly, Sizes: turnable(886, 1920)},
		{Name: "IPHONE_65", Platforms: iosOnly, Sizes: turnable(886, 1920)},
		{Name: "IPHONE_61", Platforms: iosOnly, Sizes: turnable(886, 1920)},
		{Name: "IPHONE_58", Platforms: iosOnly, Sizes: turnable(886, 1920)},
		{Name: "IPHONE_55", Platforms: iosOnly, Sizes: turnable(1080, 1920)},
		{Name: "IPHONE_47", Platforms: iosOnly, Sizes: turnable(750, 1334)},
		{Name: "IPHONE_40", Platforms: iosOnly, Sizes: turnable(1080, 1920)},
		{Name: "IPHONE_35", Platforms: iosOnly},
		{Name: "IPAD_PRO_3GEN_129", Platforms: iosOnly, Sizes: turnable(1200, 1600)},
		{Name: "IPAD_PRO_3GEN_11", Platforms: iosOnly, Sizes: turnable(1200, 1600)},
		{Name: "IPAD_PRO_129", Platforms: iosOnly, Sizes: turnable(1200, 1600, 900, 1200)},
		{Name: "IPAD_105", Platforms: iosOnly, Sizes: turnable(1200, 1600)},
		{Name: "IPAD_97", Platforms: iosOnly, Sizes: turnable(900, 1200)},
		{Name: "DESKTOP", Platforms: []string{"MAC_OS"}, Sizes: []Size{{1920, 1080}}},
		{Name: "APPLE_TV", Platforms: []string{"TV_OS"}, Sizes: []Size{{1920, 1080}}},
		{Name: "APPLE_VISION_PRO", Platforms: []string{"VISION_OS"}},
	},
	// asc-api.md §6.2 and §6.3: 1–10 screenshots, up to 3 previews of at most 500 MB (Apple's
	// unit is ambiguous; fastlane reads it as MiB, and so does the simulator).
	MaxScreenshots:  10,
	MaxPreviews:     3,
	MaxPreviewBytes: 500 << 20,
	// asc-api.md §5.1 and §5.2.
	EditableStates:     []string{"PREPARE_FOR_SUBMISSION", "DEVELOPER_REJECTED", "REJECTED", "METADATA_REJECTED", "INVALID_BINARY"},
	ReviewTextStates:   []string{"WAITING_FOR_REVIEW"},
	LiveAttrs:          []string{"promotionalText"},
	EditableInfoStates: []string{"PREPARE_FOR_SUBMISSION", "DEVELOPER_REJECTED", "REJECTED", "WAITING_FOR_REVIEW"},
}

var iosOnly = []string{"IOS"}

// turnable lists portrait sizes (w1, h1, w2, h2, …) and each one turned to landscape.
func turnable(wh ...int) []Size {
	out := sizes(wh...)
	for _, s := range sizes(wh...) {
		out = append(out, Size{s.H, s.W})
	}
	return out
}

// sizes lists sizes as given (w1, h1, w2, h2, …), for types with one orientation or with
// Apple's own list of landscape sizes.
func sizes(wh ...int) []Size {
	var out []Size
	for i := 0; i+1 < len(wh); i += 2 {
		out = append(out, Size{wh[i], wh[i+1]})
	}
	return out
}

// displayTypes is asc-api.md §6.2's table: portrait sizes turn to landscape, except where Apple
// lists the landscape sizes itself (4", 3.5") and for Mac, TV, Vision Pro (landscape only) and
// Watch (portrait only). IMESSAGE_APP_* types take the sizes of the matching APP_* type.
func displayTypes() []MediaType {
	phone := []MediaType{
		{Name: "APP_IPHONE_67", Sizes: turnable(1260, 2736, 1290, 2796, 1320, 2868)},
		{Name: "APP_IPHONE_61", Sizes: turnable(1179, 2556, 1206, 2622)},
		{Name: "APP_IPHONE_65", Sizes: turnable(1242, 2688, 1284, 2778)},
		{Name: "APP_IPHONE_58", Sizes: turnable(1170, 2532, 1125, 2436, 1080, 2340)},
		{Name: "APP_IPHONE_55", Sizes: turnable(1242, 2208)},
		{Name: "APP_IPHONE_47", Sizes: turnable(750, 1334)},
		{Name: "APP_IPHONE_40", Sizes: sizes(640, 1096, 640, 1136, 1136, 600, 1136, 640)},
		{Name: "APP_IPAD_PRO_3GEN_129", Sizes: turnable(2064, 2752, 2048, 2732)},
		{Name: "APP_IPAD_PRO_3GEN_11", Sizes: turnable(1488, 2266, 1668, 2420, 1668, 2388, 1640, 2360)},
		{Name: "APP_IPAD_PRO_129", Sizes: turnable(2048, 2732)},
		{Name: "APP_IPAD_105", Sizes: turnable(1668, 2224)},
		{Name: "APP_IPAD_97", Sizes: sizes(1536, 2048, 1536, 2008, 768, 1024, 768, 1004, 2048, 1536, 2048, 1496, 1024, 768, 1024, 748)},
	}
	out := []MediaType{}
	for _, t := range phone {
		t.Platforms = iosOnly
		out = append(out, t)
	}
	out = append(out,
		MediaType{Name: "APP_IPHONE_35", Platforms: iosOnly, Sizes: sizes(640, 920, 640, 960, 960, 600, 960, 640)},
		MediaType{Name: "APP_DESKTOP", Platforms: []string{"MAC_OS"}, Sizes: sizes(1280, 800, 1440, 900, 2560, 1600, 2880, 1800)},
		MediaType{Name: "APP_APPLE_TV", Platforms: []string{"TV_OS"}, Sizes: sizes(1920, 1080, 3840, 2160)},
		MediaType{Name: "APP_APPLE_VISION_PRO", Platforms: []string{"VISION_OS"}, Sizes: sizes(3840, 2160)},
		MediaType{Name: "APP_WATCH_ULTRA", Platforms: iosOnly, Sizes: sizes(410, 502, 422, 514)},
		MediaType{Name: "APP_WATCH_SERIES_10", Platforms: iosOnly, Sizes: sizes(416, 496)},
		MediaType{Name: "APP_WATCH_SERIES_7", Platforms: iosOnly, Sizes: sizes(396, 484)},
		MediaType{Name: "APP_WATCH_SERIES_4", Platforms: iosOnly, Sizes: sizes(368, 448)},
		MediaType{Name: "APP_WATCH_SERIES_3", Platforms: iosOnly, Sizes: sizes(312, 390)},
	)
	// The iMessage types of the spec: every iPhone and iPad type but 3.5".
	for _, t := range phone {
		t.Name = "IMESSAGE_" + t.Name
		t.Platforms = iosOnly
		out = append(out, t)
	}
	return out
}

// displayType returns the screenshot display type name stands for, resolving an alias.
func displayType(name string) (MediaType, bool) {
	if alias, ok := appleFacts.DisplayTypeAliases[name]; ok {
		name = alias
	}
	i := slices.IndexFunc(appleFacts.DisplayTypes, func(t MediaType) bool { return t.Name == name })
	if i < 0 {
		return MediaType{}, false
	}
	return appleFacts.DisplayTypes[i], true
}

// previewType returns the preview type called name.
func previewType(name string) (MediaType, bool) {
	i := slices.IndexFunc(appleFacts.PreviewTypes, func(t MediaType) bool { return t.Name == name })
	if i < 0 {
		return MediaType{}, false
	}
	return appleFacts.PreviewTypes[i], true
}

// textLimit returns the limit of attr, if it has one.
func textLimit(attr string) (TextLimit, bool) {
	i := slices.IndexFunc(appleFacts.Texts, func(t TextLimit) bool { return t.Attr == attr })
	if i < 0 {
		return TextLimit{}, false
	}
	return appleFacts.Texts[i], true
}

// validLocale reports whether localizations accept locale.
func validLocale(locale string) bool { return slices.Contains(appleFacts.Locales, locale) }
