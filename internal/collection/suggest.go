package collection

import (
	"strings"

	"github.com/agnivade/levenshtein"
)

// localeAliases maps locale codes people (and fastlane's legacy list) use to the code App
// Store Connect knows, for "did you mean" hints an edit distance would get wrong (en-UK is
// one letter from en-US but means en-GB).
var localeAliases = map[string]string{
	"en-UK": "en-GB", "en": "en-US", "de": "de-DE", "fr": "fr-FR", "es": "es-ES", "nl": "nl-NL",
	"pt": "pt-PT", "ar": "ar-SA", "zh-CN": "zh-Hans", "zh-SG": "zh-Hans", "zh-TW": "zh-Hant",
	"zh-HK": "zh-Hant", "cmn-Hans": "zh-Hans", "cmn-Hant": "zh-Hant", "zh": "zh-Hans",
	"nb": "no", "nb-NO": "no", "nn": "no", "iw": "he", "in": "id", "ja-JP": "ja", "ko-KR": "ko",
	"da-DK": "da", "fi-FI": "fi", "vi-VI": "vi", "vi-VN": "vi", "sv-SE": "sv", "it-IT": "it",
	"pl-PL": "pl", "ru-RU": "ru", "tr-TR": "tr", "uk-UA": "uk", "cs-CZ": "cs", "el-GR": "el",
	"he-IL": "he", "hi-IN": "hi", "hr-HR": "hr", "hu-HU": "hu", "id-ID": "id", "ms-MY": "ms",
	"no-NO": "no", "ro-RO": "ro", "sk-SK": "sk", "th-TH": "th", "ca-ES": "ca", "sl": "sl-SI",
	"bn": "bn-BD", "gu": "gu-IN", "kn": "kn-IN", "ml": "ml-IN", "mr": "mr-IN", "or": "or-IN",
	"pa": "pa-IN", "ta": "ta-IN", "te": "te-IN", "ur": "ur-PK",
}

// Suggest returns the candidate a user most likely meant by got, or "" when none is close:
// first a case-insensitive match, then the candidate with the smallest edit distance, if that
// distance is at most a third of the word (and at most 3). It backs every "did you mean".
func Suggest(got string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(c, got) {
			return c
		}
	}
	best, bestD := "", 4
	limit := max(1, min(3, len(got)/3))
	lower := strings.ToLower(got)
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(lower, strings.ToLower(c))
		if d < bestD && d <= limit {
			best, bestD = c, d
		}
	}
	return best
}

// didYouMean formats a hint for s, or "" when s is empty.
func didYouMean(s string) string {
	if s == "" {
		return ""
	}
	return "; did you mean " + s + "?"
}
