// Package collection reads, validates, imports and exports a collection: a folder of App Store
// metadata in the template layout (description/en-US.txt, screenshot/de-DE/APP_IPHONE_67/01.png).
package collection

// Resource names the App Store Connect resource a text field lives on. All changed fields of one
// resource of one locale travel in one PATCH.
type Resource string

// The localization resources that hold text fields.
const (
	// VersionLocalization is appStoreVersionLocalizations.
	VersionLocalization Resource = "appStoreVersionLocalizations"
	// InfoLocalization is appInfoLocalizations.
	InfoLocalization Resource = "appInfoLocalizations"
)

// Field describes one text field of the template layout. The zero value is not meaningful; use
// the values in Fields.
type Field struct {
	// Dir is the folder name in the template layout ("keyword").
	Dir string
	// Attr is the JSON attribute on App Store Connect ("keywords").
	Attr string
	// Fastlane is fastlane deliver's file name without ".txt" ("keywords").
	Fastlane string
	// Resource is the App Store Connect resource that holds the field.
	Resource Resource
	// Max is the limit in Unicode code points; 0 means none.
	Max int
	// Min is the lower limit in code points for a managed (non-empty) value; 0 means none.
	Min int
	// URL is true for fields that must hold an absolute http(s) URL.
	URL bool
}

// Fields lists every text field of the template layout, in the order the docs show them.
var Fields = []Field{
	{Dir: "name", Attr: "name", Fastlane: "name", Resource: InfoLocalization, Max: 30, Min: 2},
	{Dir: "subtitle", Attr: "subtitle", Fastlane: "subtitle", Resource: InfoLocalization, Max: 30},
	{Dir: "privacyPolicyUrl", Attr: "privacyPolicyUrl", Fastlane: "privacy_url", Resource: InfoLocalization, Max: 255, URL: true},
	{Dir: "description", Attr: "description", Fastlane: "description", Resource: VersionLocalization, Max: 4000},
	{Dir: "keyword", Attr: "keywords", Fastlane: "keywords", Resource: VersionLocalization, Max: 100},
	{Dir: "whatsNew", Attr: "whatsNew", Fastlane: "release_notes", Resource: VersionLocalization, Max: 4000},
	{Dir: "promotionalText", Attr: "promotionalText", Fastlane: "promotional_text", Resource: VersionLocalization, Max: 170},
	{Dir: "marketingUrl", Attr: "marketingUrl", Fastlane: "marketing_url", Resource: VersionLocalization, Max: 255, URL: true},
	{Dir: "supportUrl", Attr: "supportUrl", Fastlane: "support_url", Resource: VersionLocalization, Max: 255, URL: true},
}

// KeywordMaxBytes is Apple's documented keyword limit in bytes; past it StoreSyncer only warns,
// because App Store Connect accepts 100 characters.
const KeywordMaxBytes = 100

// The media folders of the template layout.
const (
	// ScreenshotDir holds screenshot/<locale>/<ScreenshotDisplayType>/<file>.
	ScreenshotDir = "screenshot"
	// PreviewDir holds preview/<locale>/<PreviewType>/<file>.
	PreviewDir = "preview"
	// MetaDir is StoreSyncer's own folder inside a collection.
	MetaDir = ".storesyncer"
)

// Limits on media per set.
const (
	MaxScreenshots    = 10
	MaxPreviews       = 3
	MinPreviewSeconds = 15
	MaxPreviewSeconds = 30
	MaxPreviewBytes   = 500 << 20
)

// FieldByDir returns the field whose template folder is dir.
func FieldByDir(dir string) (Field, bool) {
	for _, f := range Fields {
		if f.Dir == dir {
			return f, true
		}
	}
	return Field{}, false
}

// FieldByAttr returns the field whose App Store Connect attribute is attr.
func FieldByAttr(attr string) (Field, bool) {
	for _, f := range Fields {
		if f.Attr == attr {
			return f, true
		}
	}
	return Field{}, false
}

// FieldByFastlane returns the field whose fastlane file name (without .txt) is name.
func FieldByFastlane(name string) (Field, bool) {
	for _, f := range Fields {
		if f.Fastlane == name {
			return f, true
		}
	}
	return Field{}, false
}

// Locales lists App Store Connect's locale codes, exact case (asc-api.md §7).
var Locales = []string{
	"ar-SA", "ca", "cs", "da", "de-DE", "el", "en-AU", "en-CA", "en-GB", "en-US",
	"es-ES", "es-MX", "fi", "fr-CA", "fr-FR", "he", "hi", "hr", "hu", "id",
	"it", "ja", "ko", "ms", "nl-NL", "no", "pl", "pt-BR", "pt-PT", "ro",
	"ru", "sk", "sv", "th", "tr", "uk", "vi", "zh-Hans", "zh-Hant",
	"bn-BD", "gu-IN", "kn-IN", "ml-IN", "mr-IN", "or-IN", "pa-IN", "sl-SI", "ta-IN", "te-IN", "ur-PK",
}

// TemplateReadme is the help file a template file carries at its top. Validate passes over it
// there, so an unzipped template validates clean; it is never uploaded, imported or exported.
const TemplateReadme = "README.txt"
