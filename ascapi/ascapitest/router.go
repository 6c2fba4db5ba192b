package ascapitest

import (
	"net/url"
	"strings"
)

// call is one API request being handled.
type call struct {
	method string
	route  string // matched pattern
	id     string // the {id} path segment
	query  url.Values
	body   []byte
	key    *apiKey
	base   string // scheme://host of the request, for absolute links
	self   string // the request's absolute URL, for links.self
	// fresh is an asset reserved or committed by this call: rendering it is not a poll.
	fresh string
}

type handler func(s *Server, c *call) (response, *apiError)

type route struct {
	method, pattern string
	h               handler
	write           bool
}

// routes lists every operation the simulator serves, spec.Served's list: the hand-written
// handlers of the resources it models, then relatedRoutes for the rest.
var routes = append(modelledRoutes, relatedRoutes(modelledRoutes)...)

var modelledRoutes = []route{
	{"GET", "/v1/apps", (*Server).listApps, false},
	{"GET", "/v1/apps/{id}", (*Server).getApp, false},
	{"PATCH", "/v1/apps/{id}", (*Server).patchApp, true},
	{"GET", "/v1/apps/{id}/appStoreVersions", (*Server).listVersions, false},
	{"GET", "/v1/apps/{id}/appInfos", (*Server).listInfos, false},
	{"POST", "/v1/appStoreVersions", (*Server).createVersion, true},
	{"GET", "/v1/appStoreVersions/{id}", (*Server).getVersion, false},
	{"PATCH", "/v1/appStoreVersions/{id}", (*Server).patchVersion, true},
	{"DELETE", "/v1/appStoreVersions/{id}", (*Server).deleteVersion, true},
	{"GET", "/v1/appInfos/{id}", (*Server).getInfo, false},
	{"PATCH", "/v1/appInfos/{id}", (*Server).patchInfo, true},
	{"GET", "/v1/appInfos/{id}/appInfoLocalizations", (*Server).listInfoLocs, false},
	{"POST", "/v1/appInfoLocalizations", (*Server).createInfoLoc, true},
	{"GET", "/v1/appInfoLocalizations/{id}", (*Server).getInfoLoc, false},
	{"PATCH", "/v1/appInfoLocalizations/{id}", (*Server).patchInfoLoc, true},
	{"DELETE", "/v1/appInfoLocalizations/{id}", (*Server).deleteInfoLoc, true},
	{"GET", "/v1/appStoreVersions/{id}/appStoreVersionLocalizations", (*Server).listVersionLocs, false},
	{"POST", "/v1/appStoreVersionLocalizations", (*Server).createVersionLoc, true},
	{"GET", "/v1/appStoreVersionLocalizations/{id}", (*Server).getVersionLoc, false},
	{"PATCH", "/v1/appStoreVersionLocalizations/{id}", (*Server).patchVersionLoc, true},
	{"DELETE", "/v1/appStoreVersionLocalizations/{id}", (*Server).deleteVersionLoc, true},
	{"GET", "/v1/appStoreVersionLocalizations/{id}/appScreenshotSets", screenshotKind.listSets, false},
	{"GET", "/v1/appStoreVersionLocalizations/{id}/appPreviewSets", previewKind.listSets, false},
	{"POST", "/v1/appScreenshotSets", screenshotKind.createSet, true},
	{"GET", "/v1/appScreenshotSets/{id}", screenshotKind.getSet, false},
	{"DELETE", "/v1/appScreenshotSets/{id}", screenshotKind.deleteSet, true},
	{"GET", "/v1/appScreenshotSets/{id}/appScreenshots", screenshotKind.listAssets, false},
	{"GET", "/v1/appScreenshotSets/{id}/relationships/appScreenshots", screenshotKind.getLinkage, false},
	{"PATCH", "/v1/appScreenshotSets/{id}/relationships/appScreenshots", screenshotKind.reorder, true},
	{"POST", "/v1/appScreenshots", screenshotKind.reserve, true},
	{"GET", "/v1/appScreenshots/{id}", screenshotKind.getAsset, false},
	{"PATCH", "/v1/appScreenshots/{id}", screenshotKind.patchAsset, true},
	{"DELETE", "/v1/appScreenshots/{id}", screenshotKind.deleteAsset, true},
	{"POST", "/v1/appPreviewSets", previewKind.createSet, true},
	{"GET", "/v1/appPreviewSets/{id}", previewKind.getSet, false},
	{"DELETE", "/v1/appPreviewSets/{id}", previewKind.deleteSet, true},
	{"GET", "/v1/appPreviewSets/{id}/appPreviews", previewKind.listAssets, false},
	{"GET", "/v1/appPreviewSets/{id}/relationships/appPreviews", previewKind.getLinkage, false},
	{"PATCH", "/v1/appPreviewSets/{id}/relationships/appPreviews", previewKind.reorder, true},
	{"POST", "/v1/appPreviews", previewKind.reserve, true},
	{"GET", "/v1/appPreviews/{id}", previewKind.getAsset, false},
	{"PATCH", "/v1/appPreviews/{id}", previewKind.patchAsset, true},
	{"DELETE", "/v1/appPreviews/{id}", previewKind.deleteAsset, true},
}

// matchRoute finds the route for method and path. pathFound reports whether some route has
// the path (so a wrong method is 405, not 404).
func matchRoute(method, path string) (r *route, id string, pathFound bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := range routes {
		rt := &routes[i]
		pid, ok := matchPattern(rt.pattern, segs)
		if !ok {
			continue
		}
		pathFound = true
		if rt.method == method {
			return rt, pid, true
		}
	}
	return nil, "", pathFound
}

func matchPattern(pattern string, segs []string) (string, bool) {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	if len(ps) != len(segs) {
		return "", false
	}
	id := ""
	for i, p := range ps {
		switch {
		case p == "{id}":
			if segs[i] == "" {
				return "", false
			}
			id = segs[i]
		case p != segs[i]:
			return "", false
		}
	}
	return id, true
}
