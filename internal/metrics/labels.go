package metrics

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Other is the label value that stands for any value outside a label's fixed set, so a bug or
// a new case upstream can never grow the number of series.
const Other = "other"

// labelSet is a fixed set of label values.
type labelSet map[string]bool

func newSet(values ...string) labelSet {
	s := labelSet{}
	for _, v := range values {
		s[v] = true
	}
	return s
}

// value returns v when it is in the set, else Other.
func (s labelSet) value(v string) string {
	if s[v] {
		return v
	}
	return Other
}

// The label sets of daemon-anchors.md §4.3.
var (
	watcherOps      = newSet("create", "write", "remove", "rename", "chmod")
	ignoreReasons   = newSet("temp_pattern", "ignore_rule", "chmod_only", "not_allowlisted")
	watcherErrKinds = newSet(WatcherErrorLimit, WatcherErrorPermission, WatcherErrorBackend)
	rescanTriggers  = newSet("startup", "periodic", "overflow", "watch_error", "manual", "api", "burst", "roots")
	flushReasons    = newSet("quiet", "max_wait", "delete_delay", "overflow")
	jobKinds        = newSet(KindVersionLocalization, KindInfoLocalization, KindScreenshotSet, KindPreviewSet)
	jobResults      = newSet("success", "failed", "dropped")
	errorReasons    = newSet("validation", "auth", "rate_limited", "conflict", "not_found", "server", "network", "timeout")
	retryReasons    = newSet("validation", "auth", "rate_limited", "conflict", "not_found", "server", "network", "timeout", "busy")
	httpMethods     = newSet("GET", "POST", "PATCH", "PUT", "DELETE")
	// endpointParts are the App Store Connect resource types StoreSyncer calls (asc-api.md §4),
	// plus "relationships" for relationship paths and "upload" for upload-operation PUTs.
	endpointParts = newSet("apps", "appStoreVersions", "appStoreVersionLocalizations", "appInfos",
		"appInfoLocalizations", "appScreenshotSets", "appScreenshots", "appPreviewSets", "appPreviews",
		"relationships", "upload")
)

// Watcher error kinds for WatcherError.
const (
	// WatcherErrorLimit is an inotify watch or file-descriptor limit (ENOSPC, EMFILE).
	WatcherErrorLimit = "limit"
	// WatcherErrorPermission is a folder the daemon may not read (EPERM, EACCES, macOS TCC).
	WatcherErrorPermission = "permission"
	// WatcherErrorBackend is any other error from the file-event backend.
	WatcherErrorBackend = "backend"
)

// Job kinds: the App Store Connect resource a job writes.
const (
	KindVersionLocalization = "appStoreVersionLocalizations"
	KindInfoLocalization    = "appInfoLocalizations"
	KindScreenshotSet       = "appScreenshotSets"
	KindPreviewSet          = "appPreviewSets"
)

// endpointLabel accepts the route template the App Store Connect client reports —
// "/v1/appStoreVersionLocalizations/{id}", "/v1/appScreenshotSets/{id}/relationships/appScreenshots"
// — or a resource template such as "appScreenshotSets/relationships/appScreenshots": only
// known resource parts, "{id}" in the ID's place and never an ID, so the series are bounded
// by the routes the client calls.
func endpointLabel(endpoint string) string {
	if rest, ok := strings.CutPrefix(endpoint, "/v1/"); ok {
		parts := strings.Split(rest, "/")
		if len(parts) > 4 || !endpointParts[parts[0]] || parts[0] == "relationships" || parts[0] == "upload" {
			return Other
		}
		for i, p := range parts[1:] {
			switch {
			case i == 0 && p == "{id}":
			case i > 0 && endpointParts[p] && p != "upload":
			default:
				return Other
			}
		}
		return endpoint
	}
	parts := strings.Split(strings.Trim(endpoint, "/"), "/")
	if len(parts) > 3 {
		return Other
	}
	for _, p := range parts {
		if !endpointParts[p] {
			return Other
		}
	}
	return strings.Join(parts, "/")
}

// codeLabel is the exact HTTP status, or "none" when no answer came (network error, timeout).
func codeLabel(code int) string {
	if code < 100 || code > 599 {
		return "none"
	}
	return strconv.Itoa(code)
}

// cappedLabel admits well-formed values up to a fixed number of distinct ones; later values
// become Other. It bounds labels whose values come from code constants spread over packages
// (validation problem codes) without a list here to keep in step. Safe for concurrent use.
type cappedLabel struct {
	pattern *regexp.Regexp
	max     int

	mu   sync.Mutex
	seen map[string]bool
}

// problemCode matches the project's dotted problem codes ("text.too_long").
var problemCode = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)

func newCappedLabel(pattern *regexp.Regexp, max int) *cappedLabel {
	return &cappedLabel{pattern: pattern, max: max, seen: map[string]bool{}}
}

func (c *cappedLabel) value(v string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[v] {
		return v
	}
	if len(c.seen) >= c.max || len(v) > 64 || !c.pattern.MatchString(v) {
		return Other
	}
	c.seen[v] = true
	return v
}
