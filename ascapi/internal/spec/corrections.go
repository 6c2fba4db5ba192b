package spec

// Correction is one change Trim applies to Apple's document so that it describes what App
// Store Connect really sends. Corrections only ever make the document match Apple's real
// answers; none loosens a rule for requests.
type Correction struct {
	// Schema is the component schema name, Attr the attribute under properties.attributes.
	Schema, Attr string
	// Why says what Apple really does.
	Why string
}

// Nullable lists response attributes that Apple sends as an explicit null although the
// document does not mark them nullable. Trim adds nullable: true to each (wrapping a $ref in
// allOf, since OpenAPI 3.0 ignores siblings of $ref).
var Nullable = []Correction{
	// Screenshots: until processing finishes there is no checksum and no rendered image;
	// after the commit the upload operations are gone (asc-api.md §4.8, §10).
	{"AppScreenshot", "sourceFileChecksum", "null until the asset is COMPLETE"},
	{"AppScreenshot", "imageAsset", "null until the asset is COMPLETE"},
	{"AppScreenshot", "uploadOperations", "null after the commit PATCH"},
	{"AppScreenshot", "assetToken", "null on placeholders in some answers"},
	// Previews: the same, plus the video URL and poster frame that exist only once processed.
	{"AppPreview", "sourceFileChecksum", "null until the asset is COMPLETE"},
	{"AppPreview", "uploadOperations", "null after the commit PATCH"},
	{"AppPreview", "videoUrl", "null until the video is processed"},
	{"AppPreview", "previewFrameImage", "null until the video is processed"},
	{"AppPreview", "previewImage", "null until the video is processed (deprecated field)"},
	{"AppPreview", "previewFrameTimeCode", "null when the client never set one"},
	{"AppPreview", "mimeType", "null when the client never set one"},
	// Version localizations: unset texts come back as null, never omitted.
	{"AppStoreVersionLocalization", "description", "null when never set"},
	{"AppStoreVersionLocalization", "keywords", "null when never set"},
	{"AppStoreVersionLocalization", "marketingUrl", "null when never set"},
	{"AppStoreVersionLocalization", "promotionalText", "null when never set"},
	{"AppStoreVersionLocalization", "supportUrl", "null when never set"},
	{"AppStoreVersionLocalization", "whatsNew", "null when never set (always on a first version)"},
	// App info localizations: only locale and name are required.
	{"AppInfoLocalization", "subtitle", "null when never set"},
	{"AppInfoLocalization", "privacyPolicyUrl", "null when never set"},
	{"AppInfoLocalization", "privacyChoicesUrl", "null when never set"},
	{"AppInfoLocalization", "privacyPolicyText", "null when never set"},
	// Versions: optional attributes of a fresh version.
	{"AppStoreVersion", "copyright", "null when never set"},
	{"AppStoreVersion", "earliestReleaseDate", "null unless releaseType is SCHEDULED"},
	{"AppStoreVersion", "reviewType", "null on versions created before review types existed"},
	// App infos: age ratings are null until the questionnaire is filled in.
	{"AppInfo", "appStoreAgeRating", "null until the age rating questionnaire is done"},
	{"AppInfo", "brazilAgeRating", "null until the age rating questionnaire is done"},
	{"AppInfo", "brazilAgeRatingV2", "null until the age rating questionnaire is done"},
	{"AppInfo", "australiaAgeRating", "null until the age rating questionnaire is done"},
	{"AppInfo", "franceAgeRating", "null until the age rating questionnaire is done"},
	{"AppInfo", "koreaAgeRating", "null until the age rating questionnaire is done"},
	{"AppInfo", "kidsAgeBand", "null for apps not in the Kids category"},
}

// Closing rule (applied by Trim to every kept schema, not listed one by one): every object at
// properties.attributes gets additionalProperties: false, so an attribute the document does
// not know — a typo in a client's PATCH, or a field the simulator invents — is a violation.
// Apple answers an unknown attribute with 409/422, so this tightens, never loosens.

// Empty to-one rule (applied by Trim, not listed one by one): a to-one relationship with
// nothing at its end is sent as "data": null, as JSON:API says and App Store Connect does
// (a version without a build, an app info without a category). Trim marks nullable the data of
// every to-one relationship in a resource, and the data of the answer to a served GET of a
// to-one related resource or linkage (/v1/appStoreVersions/{id}/appStoreReviewDetail,
// …/relationships/build).
