package ascapitest

import "time"

// The JSON:API resource types the simulator serves.
const (
	typeApps          = "apps"
	typeVersions      = "appStoreVersions"
	typeInfos         = "appInfos"
	typeInfoLocs      = "appInfoLocalizations"
	typeVersionLocs   = "appStoreVersionLocalizations"
	typeScreenshotSet = "appScreenshotSets"
	typePreviewSet    = "appPreviewSets"
	typeScreenshots   = "appScreenshots"
	typePreviews      = "appPreviews"
)

// Asset delivery states.
const (
	stateAwaiting   = "AWAITING_UPLOAD"
	stateUploaded   = "UPLOAD_COMPLETE"
	stateProcessing = "PROCESSING"
	stateComplete   = "COMPLETE"
	stateFailed     = "FAILED"
)

type app struct {
	id, bundleID, name, sku, primaryLocale string
	versions                               []string       // version IDs, oldest first
	extra                                  map[string]any // other attributes a PATCH set
}

type version struct {
	id, appID, platform, versionString, state string
	copyright, releaseType                    string
	created                                   time.Time
	infoID                                    string
	locs                                      []string // version localization IDs
}

type appInfo struct {
	id, appID, versionID string
	locs                 []string
}

type infoLoc struct {
	id, infoID, locale string
	attrs              map[string]string // set attributes; absent = null
}

type versionLoc struct {
	id, versionID, locale string
	attrs                 map[string]string
	screenshotSets        []string
	previewSets           []string
}

type mediaSet struct {
	id, locID, kind, displayType string // kind typeScreenshotSet or typePreviewSet
	assets                       []string
}

type stateError struct{ Code, Description string }

type asset struct {
	id, setID, kind    string // kind typeScreenshots or typePreviews
	fileName           string
	fileSize           int64
	mimeType           string
	frameTimeCode      string
	token              string
	state              string
	errors             []stateError
	checksum           string // the committed sourceFileChecksum
	data               []byte
	parts              []part
	committed          time.Time
	reads              int
	failProcessing     bool
	stuck              bool
	width, height      int
	format             string // png or jpeg once processed
	uploadContentType  string
	reservationExpires time.Time
}

type part struct {
	offset, length int64
	received       bool
}

// editableStates are the version states in which texts and media may change.
var editableStates = setOf(appleFacts.EditableStates)

func setOf(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, v := range list {
		m[v] = true
	}
	return m
}

// closedStates are version states that do not block creating a new version.
var closedStates = map[string]bool{"READY_FOR_DISTRIBUTION": true, "REPLACED_WITH_NEW_VERSION": true,
	"PROCESSING_FOR_DISTRIBUTION": true}

// appInfoState maps a version's state to the state of the appInfo that goes with it.
func appInfoState(versionState string) string {
	switch versionState {
	case "PREPARE_FOR_SUBMISSION", "DEVELOPER_REJECTED", "REJECTED", "WAITING_FOR_REVIEW",
		"IN_REVIEW", "READY_FOR_REVIEW", "READY_FOR_DISTRIBUTION", "ACCEPTED":
		return versionState
	case "METADATA_REJECTED":
		return "REJECTED"
	case "INVALID_BINARY", "WAITING_FOR_EXPORT_COMPLIANCE":
		return "PREPARE_FOR_SUBMISSION"
	case "PENDING_DEVELOPER_RELEASE", "PENDING_APPLE_RELEASE":
		return "PENDING_RELEASE"
	case "PROCESSING_FOR_DISTRIBUTION":
		return "ACCEPTED"
	case "REPLACED_WITH_NEW_VERSION":
		return "REPLACED_WITH_NEW_INFO"
	}
	return "PREPARE_FOR_SUBMISSION"
}

// appStoreState maps appVersionState to the deprecated appStoreState enum.
func appStoreState(s string) string {
	switch s {
	case "READY_FOR_DISTRIBUTION":
		return "READY_FOR_SALE"
	case "PROCESSING_FOR_DISTRIBUTION":
		return "PROCESSING_FOR_APP_STORE"
	case "REPLACED_WITH_NEW_VERSION":
		return "REPLACED_WITH_NEW_VERSION"
	}
	return s
}

// editableInfoStates are the appInfo states whose localizations may change (asc-api.md §5.2).
var editableInfoStates = setOf(appleFacts.EditableInfoStates)
