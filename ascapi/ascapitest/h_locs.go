package ascapitest

import (
	"fmt"
	"net/http"
	"net/url"
	"unicode/utf8"
)

var (
	versionLocUpdateAttrs = stringAttrs(versionLocAttrs...)
	versionLocCreateAttrs = stringAttrs(append([]string{"locale"}, versionLocAttrs...)...)
	infoLocUpdateAttrs    = stringAttrs(infoLocAttrs...)
	infoLocCreateAttrs    = stringAttrs(append([]string{"locale"}, infoLocAttrs...)...)
)

func stringAttrs(names ...string) map[string]string {
	m := map[string]string{}
	for _, n := range names {
		m[n] = "string"
	}
	return m
}

// checkTexts applies the length and URL rules to the text attributes of a write; one bad
// attribute refuses the whole write. order fixes which attribute is reported first.
func checkTexts(attrs map[string]any, order []string) *apiError {
	for _, name := range order {
		v, ok := attrs[name].(string)
		if !ok || v == "" {
			continue
		}
		f, known := textLimit(name)
		if known && f.Max > 0 && utf8.RuneCountInString(v) > f.Max {
			return errTooLong(name, f.Max)
		}
		if known && f.Min > 0 && utf8.RuneCountInString(v) < f.Min {
			return errTooShort(name, f.Min)
		}
		if known && f.URL {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return errInvalidAttr(name, fmt.Sprintf("The value '%s' of '%s' is not a valid URL.", v, name))
			}
		}
	}
	return nil
}

func applyTexts(dst map[string]string, attrs map[string]any, order []string) {
	for _, name := range order {
		v, ok := attrs[name].(string)
		switch {
		case !ok:
		case v == "":
			delete(dst, name)
		default:
			dst[name] = v
		}
	}
}

// checkVersionTextsLocked applies the version-state rules to a version localization write.
func (s *Server) checkVersionTextsLocked(v *version, attrs map[string]any) *apiError {
	if !editableStates[v.state] && v.state != "WAITING_FOR_REVIEW" {
		for _, name := range versionLocAttrs {
			if _, ok := attrs[name]; ok && name != "promotionalText" {
				return errAttrCannotEdit(name)
			}
		}
	}
	if wn, ok := attrs["whatsNew"].(string); ok && wn != "" && s.isFirstVersionLocked(v) {
		return errAttrCannotEdit("whatsNew")
	}
	return checkTexts(attrs, versionLocAttrs)
}

func (s *Server) createVersionLoc(c *call) (response, *apiError) {
	d, attrs, err := parseResource(c, typeVersionLocs, versionLocCreateAttrs)
	if err != nil {
		return response{}, err
	}
	vid, err := relID(d, "appStoreVersion", typeVersions)
	if err != nil {
		return response{}, err
	}
	v := s.versions[vid]
	if v == nil {
		return response{}, errRelationship(fmt.Sprintf("There is no appStoreVersion with id '%s'", vid), "appStoreVersion")
	}
	locale, _ := attrs["locale"].(string)
	if err := checkLocale(locale); err != nil {
		return response{}, err
	}
	if !editableStates[v.state] {
		return response{}, errState("You cannot add a localization to the version in its current state.")
	}
	if s.versionLocByLocaleLocked(v, locale) != nil {
		return response{}, errDuplicateLocale(locale)
	}
	if err := s.checkVersionTextsLocked(v, attrs); err != nil {
		return response{}, err
	}
	l := s.addVersionLocLocked(v, locale, nil)
	applyTexts(l.attrs, attrs, versionLocAttrs)
	return created(s, c, typeVersionLocs, l.id), nil
}

func checkLocale(locale string) *apiError {
	if locale == "" {
		return errRequired("locale")
	}
	if !validLocale(locale) {
		return errInvalidAttr("locale", fmt.Sprintf("'%s' is not a valid locale.", locale))
	}
	return nil
}

func (s *Server) getVersionLoc(c *call) (response, *apiError) {
	if s.versionLocs[c.id] == nil {
		return response{}, errNotFound(typeVersionLocs, c.id)
	}
	return ok(s, c, typeVersionLocs, c.id), nil
}

func (s *Server) patchVersionLoc(c *call) (response, *apiError) {
	l := s.versionLocs[c.id]
	if l == nil {
		return response{}, errNotFound(typeVersionLocs, c.id)
	}
	_, attrs, err := parseResource(c, typeVersionLocs, versionLocUpdateAttrs)
	if err != nil {
		return response{}, err
	}
	if err := s.checkVersionTextsLocked(s.versions[l.versionID], attrs); err != nil {
		return response{}, err
	}
	applyTexts(l.attrs, attrs, versionLocAttrs)
	return ok(s, c, typeVersionLocs, l.id), nil
}

func (s *Server) deleteVersionLoc(c *call) (response, *apiError) {
	l := s.versionLocs[c.id]
	if l == nil {
		return response{}, errNotFound(typeVersionLocs, c.id)
	}
	v := s.versions[l.versionID]
	if !editableStates[v.state] {
		return response{}, errState("You cannot delete a localization of the version in its current state.")
	}
	if l.locale == s.apps[v.appID].primaryLocale {
		return response{}, errState("The localization of the primary language cannot be deleted.")
	}
	s.deleteVersionLocLocked(l)
	return response{status: http.StatusNoContent}, nil
}

// checkInfoWriteLocked refuses writes to an appInfo that is not editable (asc-api.md §5.2).
func (s *Server) checkInfoWriteLocked(info *appInfo, attrs map[string]any) *apiError {
	if editableInfoStates[s.infoStateLocked(info.id)] {
		return nil
	}
	for _, name := range append([]string{"locale"}, infoLocAttrs...) {
		if _, ok := attrs[name]; ok {
			return errInvalidState(name)
		}
	}
	return errInvalidState("locale")
}

func (s *Server) createInfoLoc(c *call) (response, *apiError) {
	d, attrs, err := parseResource(c, typeInfoLocs, infoLocCreateAttrs)
	if err != nil {
		return response{}, err
	}
	iid, err := relID(d, "appInfo", typeInfos)
	if err != nil {
		return response{}, err
	}
	info := s.infos[iid]
	if info == nil {
		return response{}, errRelationship(fmt.Sprintf("There is no appInfo with id '%s'", iid), "appInfo")
	}
	locale, _ := attrs["locale"].(string)
	if err := checkLocale(locale); err != nil {
		return response{}, err
	}
	if name, _ := attrs["name"].(string); name == "" {
		return response{}, errRequired("name")
	}
	if err := s.checkInfoWriteLocked(info, attrs); err != nil {
		return response{}, err
	}
	if s.infoLocByLocaleLocked(info, locale) != nil {
		return response{}, errDuplicateLocale(locale)
	}
	if err := checkTexts(attrs, infoLocAttrs); err != nil {
		return response{}, err
	}
	l := s.addInfoLocLocked(info, locale, nil)
	applyTexts(l.attrs, attrs, infoLocAttrs)
	return created(s, c, typeInfoLocs, l.id), nil
}

func (s *Server) getInfoLoc(c *call) (response, *apiError) {
	if s.infoLocs[c.id] == nil {
		return response{}, errNotFound(typeInfoLocs, c.id)
	}
	return ok(s, c, typeInfoLocs, c.id), nil
}

func (s *Server) patchInfoLoc(c *call) (response, *apiError) {
	l := s.infoLocs[c.id]
	if l == nil {
		return response{}, errNotFound(typeInfoLocs, c.id)
	}
	_, attrs, err := parseResource(c, typeInfoLocs, infoLocUpdateAttrs)
	if err != nil {
		return response{}, err
	}
	if len(attrs) > 0 {
		if err := s.checkInfoWriteLocked(s.infos[l.infoID], attrs); err != nil {
			return response{}, err
		}
	}
	if name, ok := attrs["name"].(string); ok && name == "" {
		return response{}, errRequired("name")
	}
	if err := checkTexts(attrs, infoLocAttrs); err != nil {
		return response{}, err
	}
	applyTexts(l.attrs, attrs, infoLocAttrs)
	return ok(s, c, typeInfoLocs, l.id), nil
}

func (s *Server) deleteInfoLoc(c *call) (response, *apiError) {
	l := s.infoLocs[c.id]
	if l == nil {
		return response{}, errNotFound(typeInfoLocs, c.id)
	}
	info := s.infos[l.infoID]
	if !editableInfoStates[s.infoStateLocked(info.id)] {
		return response{}, errState("You cannot delete a localization of the app info in its current state.")
	}
	if l.locale == s.apps[info.appID].primaryLocale {
		return response{}, errState("The localization of the primary language cannot be deleted.")
	}
	info.locs = remove(info.locs, l.id)
	delete(s.infoLocs, l.id)
	return response{status: http.StatusNoContent}, nil
}
