// Package spec holds the trimmed copy of Apple's App Store Connect OpenAPI document that the
// simulator serves and the conformance checks validate against, and the code that cuts it.
package spec

// Resources are the resource types the simulator models (issue 16): every operation Apple's
// document lists under /v1/<resource> is served.
var Resources = []string{"apps", "appInfos", "appInfoLocalizations", "appStoreVersions",
	"appStoreVersionLocalizations", "appScreenshotSets", "appScreenshots", "appPreviewSets", "appPreviews"}

// Served lists the operations the simulator serves, as path → methods (lower case): every
// operation of Resources in Apple's document (spec_test checks that none is missing). Trim
// keeps exactly these operations of Apple's document.
var Served = map[string][]string{
	// apps
	"/v1/apps":      {"get"},
	"/v1/apps/{id}": {"get", "patch"},
	"/v1/apps/{id}/alternativeDistributionKey":      {"get"},
	"/v1/apps/{id}/analyticsReportRequests":         {"get"},
	"/v1/apps/{id}/appAvailabilityV2":               {"get"},
	"/v1/apps/{id}/appClips":                        {"get"},
	"/v1/apps/{id}/appCustomProductPages":           {"get"},
	"/v1/apps/{id}/appEncryptionDeclarations":       {"get"},
	"/v1/apps/{id}/appEvents":                       {"get"},
	"/v1/apps/{id}/appInfos":                        {"get"},
	"/v1/apps/{id}/appPricePoints":                  {"get"},
	"/v1/apps/{id}/appPriceSchedule":                {"get"},
	"/v1/apps/{id}/appStoreVersionExperimentsV2":    {"get"},
	"/v1/apps/{id}/appStoreVersions":                {"get"},
	"/v1/apps/{id}/betaAppLocalizations":            {"get"},
	"/v1/apps/{id}/betaAppReviewDetail":             {"get"},
	"/v1/apps/{id}/betaGroups":                      {"get"},
	"/v1/apps/{id}/betaLicenseAgreement":            {"get"},
	"/v1/apps/{id}/relationships/betaTesters":       {"delete"},
	"/v1/apps/{id}/builds":                          {"get"},
	"/v1/apps/{id}/ciProduct":                       {"get"},
	"/v1/apps/{id}/customerReviews":                 {"get"},
	"/v1/apps/{id}/endUserLicenseAgreement":         {"get"},
	"/v1/apps/{id}/gameCenterDetail":                {"get"},
	"/v1/apps/{id}/gameCenterEnabledVersions":       {"get"},
	"/v1/apps/{id}/inAppPurchases":                  {"get"},
	"/v1/apps/{id}/inAppPurchasesV2":                {"get"},
	"/v1/apps/{id}/marketplaceSearchDetail":         {"get"},
	"/v1/apps/{id}/perfPowerMetrics":                {"get"},
	"/v1/apps/{id}/preReleaseVersions":              {"get"},
	"/v1/apps/{id}/relationships/promotedPurchases": {"get", "patch"},
	"/v1/apps/{id}/promotedPurchases":               {"get"},
	"/v1/apps/{id}/reviewSubmissions":               {"get"},
	"/v1/apps/{id}/subscriptionGracePeriod":         {"get"},
	"/v1/apps/{id}/subscriptionGroups":              {"get"},
	"/v1/apps/{id}/metrics/betaTesterUsages":        {"get"},
	// appInfos
	"/v1/appInfos/{id}":                         {"get", "patch"},
	"/v1/appInfos/{id}/ageRatingDeclaration":    {"get"},
	"/v1/appInfos/{id}/appInfoLocalizations":    {"get"},
	"/v1/appInfos/{id}/primaryCategory":         {"get"},
	"/v1/appInfos/{id}/primarySubcategoryOne":   {"get"},
	"/v1/appInfos/{id}/primarySubcategoryTwo":   {"get"},
	"/v1/appInfos/{id}/secondaryCategory":       {"get"},
	"/v1/appInfos/{id}/secondarySubcategoryOne": {"get"},
	"/v1/appInfos/{id}/secondarySubcategoryTwo": {"get"},
	// appInfoLocalizations
	"/v1/appInfoLocalizations":      {"post"},
	"/v1/appInfoLocalizations/{id}": {"get", "patch", "delete"},
	// appStoreVersions
	"/v1/appStoreVersions":                                             {"post"},
	"/v1/appStoreVersions/{id}":                                        {"get", "patch", "delete"},
	"/v1/appStoreVersions/{id}/ageRatingDeclaration":                   {"get"},
	"/v1/appStoreVersions/{id}/alternativeDistributionPackage":         {"get"},
	"/v1/appStoreVersions/{id}/relationships/appClipDefaultExperience": {"get", "patch"},
	"/v1/appStoreVersions/{id}/appClipDefaultExperience":               {"get"},
	"/v1/appStoreVersions/{id}/appStoreReviewDetail":                   {"get"},
	"/v1/appStoreVersions/{id}/appStoreVersionExperiments":             {"get"},
	"/v1/appStoreVersions/{id}/appStoreVersionExperimentsV2":           {"get"},
	"/v1/appStoreVersions/{id}/appStoreVersionLocalizations":           {"get"},
	"/v1/appStoreVersions/{id}/appStoreVersionPhasedRelease":           {"get"},
	"/v1/appStoreVersions/{id}/appStoreVersionSubmission":              {"get"},
	"/v1/appStoreVersions/{id}/relationships/build":                    {"get", "patch"},
	"/v1/appStoreVersions/{id}/build":                                  {"get"},
	"/v1/appStoreVersions/{id}/customerReviews":                        {"get"},
	"/v1/appStoreVersions/{id}/gameCenterAppVersion":                   {"get"},
	"/v1/appStoreVersions/{id}/routingAppCoverage":                     {"get"},
	// appStoreVersionLocalizations
	"/v1/appStoreVersionLocalizations":                        {"post"},
	"/v1/appStoreVersionLocalizations/{id}":                   {"get", "patch", "delete"},
	"/v1/appStoreVersionLocalizations/{id}/appPreviewSets":    {"get"},
	"/v1/appStoreVersionLocalizations/{id}/appScreenshotSets": {"get"},
	// appScreenshotSets
	"/v1/appScreenshotSets":                                   {"post"},
	"/v1/appScreenshotSets/{id}":                              {"get", "delete"},
	"/v1/appScreenshotSets/{id}/relationships/appScreenshots": {"get", "patch"},
	"/v1/appScreenshotSets/{id}/appScreenshots":               {"get"},
	// appScreenshots
	"/v1/appScreenshots":      {"post"},
	"/v1/appScreenshots/{id}": {"get", "patch", "delete"},
	// appPreviewSets
	"/v1/appPreviewSets":                                {"post"},
	"/v1/appPreviewSets/{id}":                           {"get", "delete"},
	"/v1/appPreviewSets/{id}/relationships/appPreviews": {"get", "patch"},
	"/v1/appPreviewSets/{id}/appPreviews":               {"get"},
	// appPreviews
	"/v1/appPreviews":      {"post"},
	"/v1/appPreviews/{id}": {"get", "patch", "delete"},
}
