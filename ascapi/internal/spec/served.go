// Package spec holds the trimmed copy of Apple's App Store Connect OpenAPI document that the
// simulator serves and the conformance checks validate against, and the code that cuts it.
package spec

// Served lists the operations the simulator serves, as path → methods (lower case). Trim keeps
// exactly these operations of Apple's document.
var Served = map[string][]string{
	"/v1/apps":                                                {"get"},
	"/v1/apps/{id}":                                           {"get"},
	"/v1/apps/{id}/appStoreVersions":                          {"get"},
	"/v1/apps/{id}/appInfos":                                  {"get"},
	"/v1/appStoreVersions":                                    {"post"},
	"/v1/appStoreVersions/{id}":                               {"get", "patch"},
	"/v1/appInfos/{id}/appInfoLocalizations":                  {"get"},
	"/v1/appInfoLocalizations":                                {"post"},
	"/v1/appInfoLocalizations/{id}":                           {"get", "patch", "delete"},
	"/v1/appStoreVersions/{id}/appStoreVersionLocalizations":  {"get"},
	"/v1/appStoreVersionLocalizations":                        {"post"},
	"/v1/appStoreVersionLocalizations/{id}":                   {"get", "patch", "delete"},
	"/v1/appStoreVersionLocalizations/{id}/appScreenshotSets": {"get"},
	"/v1/appStoreVersionLocalizations/{id}/appPreviewSets":    {"get"},
	"/v1/appScreenshotSets":                                   {"post"},
	"/v1/appScreenshotSets/{id}":                              {"get", "delete"},
	"/v1/appScreenshotSets/{id}/appScreenshots":               {"get"},
	"/v1/appScreenshotSets/{id}/relationships/appScreenshots": {"get", "patch"},
	"/v1/appScreenshots":                                      {"post"},
	"/v1/appScreenshots/{id}":                                 {"get", "patch", "delete"},
	"/v1/appPreviewSets":                                      {"post"},
	"/v1/appPreviewSets/{id}":                                 {"get", "delete"},
	"/v1/appPreviewSets/{id}/appPreviews":                     {"get"},
	"/v1/appPreviewSets/{id}/relationships/appPreviews":       {"get", "patch"},
	"/v1/appPreviews":                                         {"post"},
	"/v1/appPreviews/{id}":                                    {"get", "patch", "delete"},
}
