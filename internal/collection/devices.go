package collection

// Size is a pixel size, width × height, portrait as Apple lists it.
type Size struct{ W, H int }

// Platform is an App Store platform: IOS, MAC_OS, TV_OS or VISION_OS.
type Platform string

// The platforms App Store Connect knows.
const (
	IOS      Platform = "IOS"
	MacOS    Platform = "MAC_OS"
	TVOS     Platform = "TV_OS"
	VisionOS Platform = "VISION_OS"
)

// DisplayType describes one screenshot display type (ScreenshotDisplayType in the spec).
type DisplayType struct {
	// Name is the enum value, e.g. APP_IPHONE_67.
	Name string
	// Sizes are the accepted sizes; Landscape says whether transposed sizes are accepted too.
	Sizes     []Size
	Landscape bool
	// Platforms are the platforms whose version localizations accept the type.
	Platforms []Platform
}

// PreviewType describes one app preview type (PreviewType in the spec).
type PreviewType struct {
	Name      string
	Sizes     []Size
	Landscape bool
	Platforms []Platform
}

// DisplayTypeAliases maps a display type that App Store Connect stores under another name to
// that name: a set created as APP_IPHONE_69 reads back as APP_IPHONE_67.
var DisplayTypeAliases = map[string]string{"APP_IPHONE_69": "APP_IPHONE_67"}

// CanonicalDisplayType returns the name App Store Connect reads a display type back as.
func CanonicalDisplayType(name string) string {
	if c, ok := DisplayTypeAliases[name]; ok {
		return c
	}
	return name
}

var ios = []Platform{IOS}

// DisplayTypes lists the screenshot display types of spec 3.7.0 with fastlane's size table
// (asc-api.md §6.2). IMESSAGE_APP_* types accept the sizes of the matching APP_* type.
// internal/factcheck compares this table with the simulator's own copy.
var DisplayTypes = withIMessage([]DisplayType{
	{Name: "APP_IPHONE_67", Sizes: []Size{{1260, 2736}, {1290, 2796}, {1320, 2868}}, Landscape: true, Platforms: ios},
	{Name: "APP_IPHONE_65", Sizes: []Size{{1242, 2688}, {1284, 2778}}, Landscape: true, Platforms: ios},
	{Name: "APP_IPHONE_61", Sizes: []Size{{1179, 2556}, {1206, 2622}}, Landscape: true, Platforms: ios},
	{Name: "APP_IPHONE_58", Sizes: []Size{{1170, 2532}, {1125, 2436}, {1080, 2340}}, Landscape: true, Platforms: ios},
	{Name: "APP_IPHONE_55", Sizes: []Size{{1242, 2208}}, Landscape: true, Platforms: ios},
	{Name: "APP_IPHONE_47", Sizes: []Size{{750, 1334}}, Landscape: true, Platforms: ios},
	// Apple lists the landscape sizes of 4", 3.5" and 9.7" itself: the status bar is taken from
	// the height in both orientations, so they are not the portrait sizes turned.
	{Name: "APP_IPHONE_40", Sizes: []Size{{640, 1096}, {640, 1136}, {1136, 600}, {1136, 640}}, Platforms: ios},
	{Name: "APP_IPHONE_35", Sizes: []Size{{640, 920}, {640, 960}, {960, 600}, {960, 640}}, Platforms: ios},
	{Name: "APP_IPAD_PRO_3GEN_129", Sizes: []Size{{2064, 2752}, {2048, 2732}}, Landscape: true, Platforms: ios},
	{Name: "APP_IPAD_PRO_3GEN_11", Sizes: []Size{{1488, 2266}, {1668, 2420}, {1668, 2388}, {1640, 2360}}, Landscape: true, Platforms: ios},
	{Name: "APP_IPAD_PRO_129", Sizes: []Size{{2048, 2732}}, Landscape: true, Platforms: ios},
	{Name: "APP_IPAD_105", Sizes: []Size{{1668, 2224}}, Landscape: true, Platforms: ios},
	{Name: "APP_IPAD_97", Sizes: []Size{{1536, 2048}, {1536, 2008}, {768, 1024}, {768, 1004},
		{2048, 1536}, {2048, 1496}, {1024, 768}, {1024, 748}}, Platforms: ios},
	{Name: "APP_DESKTOP", Sizes: []Size{{1280, 800}, {1440, 900}, {2560, 1600}, {2880, 1800}}, Platforms: []Platform{MacOS}},
	{Name: "APP_APPLE_TV", Sizes: []Size{{1920, 1080}, {3840, 2160}}, Platforms: []Platform{TVOS}},
	{Name: "APP_APPLE_VISION_PRO", Sizes: []Size{{3840, 2160}}, Platforms: []Platform{VisionOS}},
	{Name: "APP_WATCH_ULTRA", Sizes: []Size{{410, 502}, {422, 514}}, Platforms: ios},
	{Name: "APP_WATCH_SERIES_10", Sizes: []Size{{416, 496}}, Platforms: ios},
	{Name: "APP_WATCH_SERIES_7", Sizes: []Size{{396, 484}}, Platforms: ios},
	{Name: "APP_WATCH_SERIES_4", Sizes: []Size{{368, 448}}, Platforms: ios},
	{Name: "APP_WATCH_SERIES_3", Sizes: []Size{{312, 390}}, Platforms: ios},
})

func withIMessage(types []DisplayType) []DisplayType {
	for _, t := range types[:13] { // the iPhone and iPad types; spec 3.7.0 has no iMessage 3.5"
		if t.Name == "APP_IPHONE_35" {
			continue
		}
		im := t
		im.Name = "IMESSAGE_" + t.Name
		types = append(types, im)
	}
	return types
}

// PreviewTypes lists the app preview types of spec 3.7.0 with their accepted resolutions
// (asc-api.md §6.3). Types whose resolution Apple does not publish accept any size (Sizes nil).
var PreviewTypes = []PreviewType{
	{Name: "IPHONE_67", Sizes: []Size{{886, 1920}}, Landscape: true, Platforms: ios},
	{Name: "IPHONE_65", Sizes: []Size{{886, 1920}}, Landscape: true, Platforms: ios},
	{Name: "IPHONE_61", Sizes: []Size{{886, 1920}}, Landscape: true, Platforms: ios},
	{Name: "IPHONE_58", Sizes: []Size{{886, 1920}}, Landscape: true, Platforms: ios},
	{Name: "IPHONE_55", Sizes: []Size{{1080, 1920}}, Landscape: true, Platforms: ios},
	{Name: "IPHONE_47", Sizes: []Size{{750, 1334}}, Landscape: true, Platforms: ios},
	{Name: "IPHONE_40", Sizes: []Size{{1080, 1920}}, Landscape: true, Platforms: ios},
	{Name: "IPHONE_35", Platforms: ios},
	{Name: "IPAD_PRO_3GEN_129", Sizes: []Size{{1200, 1600}}, Landscape: true, Platforms: ios},
	{Name: "IPAD_PRO_3GEN_11", Sizes: []Size{{1200, 1600}}, Landscape: true, Platforms: ios},
	{Name: "IPAD_PRO_129", Sizes: []Size{{1200, 1600}, {900, 1200}}, Landscape: true, Platforms: ios},
	{Name: "IPAD_105", Sizes: []Size{{1200, 1600}}, Landscape: true, Platforms: ios},
	{Name: "IPAD_97", Sizes: []Size{{900, 1200}}, Landscape: true, Platforms: ios},
	{Name: "DESKTOP", Sizes: []Size{{1920, 1080}}, Platforms: []Platform{MacOS}},
	{Name: "APPLE_TV", Sizes: []Size{{1920, 1080}}, Platforms: []Platform{TVOS}},
	{Name: "APPLE_VISION_PRO", Platforms: []Platform{VisionOS}},
}

// LookupDisplayType returns the display type named name, resolving aliases.
func LookupDisplayType(name string) (DisplayType, bool) {
	name = CanonicalDisplayType(name)
	for _, t := range DisplayTypes {
		if t.Name == name {
			return t, true
		}
	}
	return DisplayType{}, false
}

// LookupPreviewType returns the preview type named name.
func LookupPreviewType(name string) (PreviewType, bool) {
	for _, t := range PreviewTypes {
		if t.Name == name {
			return t, true
		}
	}
	return PreviewType{}, false
}

// Accepts reports whether a w×h image fits one of sizes (transposed too when landscape is true).
func Accepts(sizes []Size, landscape bool, w, h int) bool {
	if sizes == nil {
		return true
	}
	for _, s := range sizes {
		if (s.W == w && s.H == h) || (landscape && s.W == h && s.H == w) {
			return true
		}
	}
	return false
}
