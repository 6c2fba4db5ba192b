package transfer

import (
	"slices"
	"sort"
	"strings"

	"github.com/storesyncer/storesyncer/internal/collection"
)

// fastlane deliver's folder names.
const (
	fastlaneMetadata    = "metadata"
	fastlaneScreenshots = "screenshots"
	fastlaneDefault     = "default"
)

// fastlaneSkippedDirs are metadata/ folders that hold app-level data StoreSyncer does not manage.
var fastlaneSkippedDirs = map[string]bool{
	"review_information":                       true,
	"trade_representative_contact_information": true,
}

// legacyLocales maps fastlane's pre-2015 folder names to App Store Connect's codes
// (asc-api.md §7).
var legacyLocales = map[string]string{
	"da-DK": "da", "fi-FI": "fi", "ja-JP": "ja", "ko-KR": "ko", "vi-VI": "vi",
	"cmn-Hans": "zh-Hans", "cmn-Hant": "zh-Hant", "no-NO": "no", "sv-SE": "sv",
	"it-IT": "it", "ru-RU": "ru", "tr-TR": "tr", "th-TH": "th", "id-ID": "id", "ms-MY": "ms",
	"pl-PL": "pl", "ca-ES": "ca", "cs-CZ": "cs", "el-GR": "el", "he-IL": "he", "hi-IN": "hi",
	"hr-HR": "hr", "hu-HU": "hu", "ro-RO": "ro", "sk-SK": "sk", "uk-UA": "uk",
}

// How fastlaneLocale matched a folder name.
const (
	localeExact   = iota // App Store Connect's code as it is
	localeLegacy         // one of fastlane's pre-2015 names
	localeCase           // a code or legacy name in another case (de-de)
	localeUnknown        // no locale
)

// fastlaneLocale maps a fastlane locale folder name to the App Store Connect code it stands
// for. fastlane accepts any case, so de-de is de-DE; extra are the config's extra locales.
func fastlaneLocale(name string, extra []string) (string, int) {
	if slices.Contains(collection.Locales, name) || slices.Contains(extra, name) {
		return name, localeExact
	}
	if m, ok := legacyLocales[name]; ok {
		return m, localeLegacy
	}
	for _, l := range slices.Concat(collection.Locales, extra) {
		if strings.EqualFold(l, name) {
			return l, localeCase
		}
	}
	for legacy, m := range legacyLocales {
		if strings.EqualFold(legacy, name) {
			return m, localeCase
		}
	}
	return "", localeUnknown
}

// platformFolders maps the platform folder names teams use inside metadata/ and screenshots/
// (fastlane's platform names among them) to App Store Connect's platform; "" marks a platform
// StoreSyncer does not manage.
var platformFolders = map[string]string{
	"ios": "IOS", "macos": "MAC_OS", "mac": "MAC_OS", "osx": "MAC_OS",
	"appletvos": "TV_OS", "tvos": "TV_OS", "visionos": "VISION_OS", "xros": "VISION_OS",
	"android": "", "watchos": "",
}

// platformFolder is the folder name to suggest for each platform.
var platformFolder = map[string]string{"IOS": "ios", "MAC_OS": "macos", "TV_OS": "appletvos", "VISION_OS": "visionos"}

// displayTypeNames lists every display type name and alias, longest first, so that a file
// name holding IMESSAGE_APP_IPHONE_65 is not read as APP_IPHONE_65.
var displayTypeNames = func() []string {
	var names []string
	for _, t := range collection.DisplayTypes {
		names = append(names, t.Name)
	}
	for alias := range collection.DisplayTypeAliases {
		names = append(names, alias)
	}
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) > len(names[j])
		}
		return names[i] < names[j]
	})
	return names
}()

// displayTypeInName returns the display type a file name names, as fastlane's
// download_screenshots writes it (0_APP_IPHONE_65_0.png).
func displayTypeInName(name string) (string, bool) {
	for _, t := range displayTypeNames {
		if i := strings.Index(name, t); i >= 0 && tokenBoundary(name, i, i+len(t)) {
			return t, true
		}
	}
	return "", false
}

// tokenBoundary reports whether name[i:j] is not glued to more letters or digits.
func tokenBoundary(name string, i, j int) bool {
	alnum := func(c byte) bool { return isDigit(c) || isASCIILetter(c) }
	return (i == 0 || !alnum(name[i-1])) && (j == len(name) || !alnum(name[j]))
}

// displayTypesForSize lists the display types (iMessage ones aside, as in fastlane's table)
// that accept w×h, on platform when it is set, in the table's order (newest first).
func displayTypesForSize(w, h int, platform string) []string {
	var out []string
	for _, t := range collection.DisplayTypes {
		if strings.HasPrefix(t.Name, "IMESSAGE_") {
			continue
		}
		if platform != "" && !slices.Contains(t.Platforms, collection.Platform(platform)) {
			continue
		}
		if collection.Accepts(t.Sizes, t.Landscape, w, h) {
			out = append(out, t.Name)
		}
	}
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
