package ascapitest

import (
	"fmt"
	"net/http"
)

var (
	versionCreateAttrs = map[string]string{"platform": "string", "versionString": "string", "copyright": "string",
		"reviewType": "string", "releaseType": "string", "earliestReleaseDate": "string"}
	versionUpdateAttrs = map[string]string{"versionString": "string", "copyright": "string", "reviewType": "string",
		"releaseType": "string", "earliestReleaseDate": "string", "downloadable": "bool"}
	platforms = map[string]bool{"IOS": true, "MAC_OS": true, "TV_OS": true, "VISION_OS": true}
)

// createVersion opens a new version. It is refused while another version of the platform is
// open. The new version starts with copies of the newest version's localizations (texts
// except whatsNew) and COMPLETE media, like App Store Connect's web UI.
func (s *Server) createVersion(c *call) (response, *apiError) {
	d, attrs, err := parseResource(c, typeVersions, versionCreateAttrs)
	if err != nil {
		return response{}, err
	}
	appID, err := relID(d, "app", typeApps)
	if err != nil {
		return response{}, err
	}
	a := s.apps[appID]
	if a == nil {
		return response{}, errRelationship(fmt.Sprintf("There is no app with id '%s'", appID), "app")
	}
	platform, _ := attrs["platform"].(string)
	vs, _ := attrs["versionString"].(string)
	switch {
	case platform == "":
		return response{}, errRequired("platform")
	case !platforms[platform]:
		return response{}, errInvalidAttr("platform", fmt.Sprintf("'%s' is not a valid platform", platform))
	case vs == "":
		return response{}, errRequired("versionString")
	}
	var newest *version
	for _, vid := range a.versions {
		v := s.versions[vid]
		if v.platform != platform {
			continue
		}
		if !closedStates[v.state] {
			return response{}, errRelationship("You cannot create a new version of the App in the current state.", "app")
		}
		if v.versionString == vs {
			return response{}, errInvalidAttr("versionString", fmt.Sprintf("The version number '%s' has been previously used.", vs))
		}
		if newest == nil || v.created.After(newest.created) {
			newest = v
		}
	}
	nv := s.addVersionLocked(a, platform, vs, "PREPARE_FOR_SUBMISSION", s.now())
	if cp, ok := attrs["copyright"].(string); ok {
		nv.copyright = cp
	}
	if rt, ok := attrs["releaseType"].(string); ok && rt != "" {
		nv.releaseType = rt
	}
	if newest != nil {
		s.copyVersionContentLocked(newest, nv)
	}
	return created(s, c, typeVersions, nv.id), nil
}

// copyVersionContentLocked copies from's localizations, media and app info localizations to to.
func (s *Server) copyVersionContentLocked(from, to *version) {
	for _, lid := range from.locs {
		l := s.versionLocs[lid]
		attrs := copyAttrs(l.attrs)
		delete(attrs, "whatsNew")
		nl := s.addVersionLocLocked(to, l.locale, attrs)
		for _, sid := range append(append([]string(nil), l.screenshotSets...), l.previewSets...) {
			m := s.sets[sid]
			nm := s.addSetLocked(nl, m.kind, m.displayType)
			for _, aid := range m.assets {
				if a := s.assets[aid]; a.state == stateComplete {
					na := s.addCompleteAssetLocked(nm, a.fileName, a.data)
					na.mimeType, na.frameTimeCode = a.mimeType, a.frameTimeCode
				}
			}
		}
	}
	for _, lid := range s.infos[from.infoID].locs {
		l := s.infoLocs[lid]
		s.addInfoLocLocked(s.infos[to.infoID], l.locale, l.attrs)
	}
}

func (s *Server) patchVersion(c *call) (response, *apiError) {
	v := s.versions[c.id]
	if v == nil {
		return response{}, errNotFound(typeVersions, c.id)
	}
	_, attrs, err := parseResource(c, typeVersions, versionUpdateAttrs)
	if err != nil {
		return response{}, err
	}
	if !editableStates[v.state] {
		for name := range attrs {
			return response{}, errAttrCannotEdit(name)
		}
	}
	if vs, ok := attrs["versionString"].(string); ok {
		if vs == "" {
			return response{}, errInvalidAttr("versionString", "The version string must not be empty.")
		}
		for _, vid := range s.apps[v.appID].versions {
			if o := s.versions[vid]; o.id != v.id && o.platform == v.platform && o.versionString == vs {
				return response{}, errInvalidAttr("versionString", fmt.Sprintf("The version number '%s' has been previously used.", vs))
			}
		}
		v.versionString = vs
	}
	if cp, ok := attrs["copyright"].(string); ok {
		v.copyright = cp
	}
	if rt, ok := attrs["releaseType"].(string); ok && rt != "" {
		v.releaseType = rt
	}
	return response{status: http.StatusOK, body: newDoc(s, c).single(typeVersions, v.id)}, nil
}

// deleteVersion deletes a version that was never submitted, with its localizations, media and
// app info; App Store Connect refuses it in every other state (asc-api.md §4.3).
func (s *Server) deleteVersion(c *call) (response, *apiError) {
	v := s.versions[c.id]
	if v == nil {
		return response{}, errNotFound(typeVersions, c.id)
	}
	if v.state != "PREPARE_FOR_SUBMISSION" {
		return response{}, errState(fmt.Sprintf("The version cannot be deleted in its current state %s; only a version in PREPARE_FOR_SUBMISSION can be.", v.state))
	}
	for _, lid := range append([]string(nil), v.locs...) {
		s.deleteVersionLocLocked(s.versionLocs[lid])
	}
	if info := s.infos[v.infoID]; info != nil {
		for _, lid := range info.locs {
			delete(s.infoLocs, lid)
		}
		delete(s.infos, info.id)
	}
	a := s.apps[v.appID]
	a.versions = remove(a.versions, v.id)
	delete(s.versions, v.id)
	return response{status: http.StatusNoContent}, nil
}
