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

// modernLocale maps a fastlane folder name to the locale code it stands for.
func modernLocale(name string) string {
	if slices.Contains(collection.Locales, name) {
		return name
	}
	if m, ok := legacyLocales[name]; ok {
		return m
	}
	return name
}

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
