package ascapitest

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// listApps honours every filter, exists and sort parameter of GET /v1/apps. Review
// submissions and Game Center versions are not modelled: no app has any, so a filter on them
// matches none, exists[gameCenterEnabledVersions]=true matches none and =false all.
func (s *Server) listApps(c *call) (response, *apiError) {
	bundles := listFilter(c, "bundleId")
	names, skus, ids := listFilter(c, "name"), listFilter(c, "sku"), listFilter(c, "id")
	vIDs, vPlatforms := listFilter(c, "appStoreVersions"), listFilter(c, "appStoreVersions.platform")
	vStates, vOldStates := listFilter(c, "appStoreVersions.appVersionState"), listFilter(c, "appStoreVersions.appStoreState")
	noneMatch := listFilter(c, "reviewSubmissions.state") != nil || listFilter(c, "reviewSubmissions.platform") != nil ||
		c.query.Get("exists[gameCenterEnabledVersions]") == "true"
	out := []string{}
	for _, id := range s.appOrder {
		a := s.apps[id]
		if noneMatch || (bundles != nil && !matchesAnyPrefix(a.bundleID, bundles)) {
			continue
		}
		if (names != nil && !names[a.name]) || (skus != nil && !skus[a.sku]) || (ids != nil && !ids[a.id]) {
			continue
		}
		if (vIDs != nil || vPlatforms != nil || vStates != nil || vOldStates != nil) && !s.hasVersionLocked(a, func(v *version) bool {
			return (vIDs == nil || vIDs[v.id]) && (vPlatforms == nil || vPlatforms[v.platform]) &&
				(vStates == nil || vStates[v.state]) && (vOldStates == nil || vOldStates[appStoreState(v.state)])
		}) {
			continue
		}
		out = append(out, id)
	}
	if key := c.query.Get("sort"); key != "" {
		desc := strings.HasPrefix(key, "-")
		field := func(a *app) string {
			switch strings.TrimPrefix(key, "-") {
			case "name":
				return a.name
			case "sku":
				return a.sku
			}
			return a.bundleID
		}
		sort.SliceStable(out, func(i, j int) bool {
			x, y := field(s.apps[out[i]]), field(s.apps[out[j]])
			if desc {
				return x > y
			}
			return x < y
		})
	}
	return listed(s, c, typeApps, out)
}

// hasVersionLocked reports whether a version of a satisfies match.
func (s *Server) hasVersionLocked(a *app, match func(*version) bool) bool {
	for _, vid := range a.versions {
		if match(s.versions[vid]) {
			return true
		}
	}
	return false
}

// matchesAnyPrefix is filter[bundleId]'s non-exact match: App Store Connect also returns apps
// whose bundle ID merely starts with a wanted value (com.example.demo → com.example.demo.pro).
func matchesAnyPrefix(bundleID string, wanted map[string]bool) bool {
	for w := range wanted {
		if strings.HasPrefix(bundleID, w) {
			return true
		}
	}
	return false
}

func (s *Server) getApp(c *call) (response, *apiError) {
	if s.apps[c.id] == nil {
		return response{}, errNotFound(typeApps, c.id)
	}
	return ok(s, c, typeApps, c.id), nil
}

func (s *Server) listVersions(c *call) (response, *apiError) {
	a := s.apps[c.id]
	if a == nil {
		return response{}, errNotFound(typeApps, c.id)
	}
	platforms, states := listFilter(c, "platform"), listFilter(c, "appVersionState")
	strs, oldStates, ids := listFilter(c, "versionString"), listFilter(c, "appStoreState"), listFilter(c, "id")
	var out []string
	for _, vid := range a.versions {
		v := s.versions[vid]
		if (platforms != nil && !platforms[v.platform]) || (states != nil && !states[v.state]) ||
			(strs != nil && !strs[v.versionString]) || (oldStates != nil && !oldStates[appStoreState(v.state)]) ||
			(ids != nil && !ids[v.id]) {
			continue
		}
		out = append(out, vid)
	}
	// Newest first, as App Store Connect lists them.
	sort.SliceStable(out, func(i, j int) bool { return s.versions[out[i]].created.After(s.versions[out[j]].created) })
	return listed(s, c, typeVersions, out)
}

func (s *Server) getVersion(c *call) (response, *apiError) {
	if s.versions[c.id] == nil {
		return response{}, errNotFound(typeVersions, c.id)
	}
	return ok(s, c, typeVersions, c.id), nil
}

func (s *Server) listInfos(c *call) (response, *apiError) {
	if s.apps[c.id] == nil {
		return response{}, errNotFound(typeApps, c.id)
	}
	return listed(s, c, typeInfos, s.visibleInfosLocked(c.id))
}

func (s *Server) listInfoLocs(c *call) (response, *apiError) {
	info := s.infos[c.id]
	if info == nil {
		return response{}, errNotFound(typeInfos, c.id)
	}
	locales := listFilter(c, "locale")
	var out []string
	for _, id := range info.locs {
		if locales == nil || locales[s.infoLocs[id].locale] {
			out = append(out, id)
		}
	}
	return listed(s, c, typeInfoLocs, out)
}

func (s *Server) listVersionLocs(c *call) (response, *apiError) {
	v := s.versions[c.id]
	if v == nil {
		return response{}, errNotFound(typeVersions, c.id)
	}
	locales := listFilter(c, "locale")
	var out []string
	for _, id := range v.locs {
		if locales == nil || locales[s.versionLocs[id].locale] {
			out = append(out, id)
		}
	}
	return listed(s, c, typeVersionLocs, out)
}

// appUpdateAttrs are AppUpdateRequest's attributes.
var appUpdateAttrs = map[string]string{"bundleId": "string", "primaryLocale": "string",
	"subscriptionStatusUrl": "string", "subscriptionStatusUrlVersion": "string",
	"subscriptionStatusUrlForSandbox": "string", "subscriptionStatusUrlVersionForSandbox": "string",
	"contentRightsDeclaration": "string", "streamlinedPurchasingEnabled": "bool"}

// appEnums are the values the spec allows for the enum attributes of an app.
var appEnums = map[string][]string{
	"subscriptionStatusUrlVersion":           {"V1", "V2"},
	"subscriptionStatusUrlVersionForSandbox": {"V1", "V2"},
	"contentRightsDeclaration":               {"DOES_NOT_USE_THIRD_PARTY_CONTENT", "USES_THIRD_PARTY_CONTENT"},
}

// patchApp changes an app's attributes. The primary locale must be a locale the app has on
// one of its versions; the bundle ID may not be taken by another app.
func (s *Server) patchApp(c *call) (response, *apiError) {
	a := s.apps[c.id]
	if a == nil {
		return response{}, errNotFound(typeApps, c.id)
	}
	_, attrs, err := parseResource(c, typeApps, appUpdateAttrs)
	if err != nil {
		return response{}, err
	}
	for _, name := range sortedKeys(attrs) {
		v, _ := attrs[name].(string)
		if allowed := appEnums[name]; allowed != nil && v != "" && !slices.Contains(allowed, v) {
			return response{}, errInvalidAttr(name, fmt.Sprintf("'%s' is not a valid value for '%s'.", v, name))
		}
		if strings.HasSuffix(name, "Url") && v != "" {
			if u, perr := url.Parse(v); perr != nil || u.Scheme != "https" || u.Host == "" {
				return response{}, errInvalidAttr(name, fmt.Sprintf("The value '%s' of '%s' is not a valid https URL.", v, name))
			}
		}
	}
	if bid, ok := attrs["bundleId"].(string); ok {
		if bid == "" {
			return response{}, errInvalidAttr("bundleId", "The bundle ID must not be empty.")
		}
		if o := s.appByBundleLocked(bid); o != nil && o.id != a.id {
			return response{}, errInvalidAttr("bundleId", fmt.Sprintf("The bundle ID '%s' is used by another app.", bid))
		}
	}
	if pl, ok := attrs["primaryLocale"].(string); ok && !s.appHasLocaleLocked(a, pl) {
		return response{}, errInvalidAttr("primaryLocale", fmt.Sprintf("'%s' is not a localization of the app.", pl))
	}
	for name, v := range attrs {
		switch name {
		case "bundleId":
			a.bundleID = v.(string)
		case "primaryLocale":
			a.primaryLocale = v.(string)
		default:
			if a.extra == nil {
				a.extra = map[string]any{}
			}
			if sv, isString := v.(string); isString && sv == "" {
				a.extra[name] = nil
			} else {
				a.extra[name] = v
			}
		}
	}
	return ok(s, c, typeApps, a.id), nil
}

// appHasLocaleLocked reports whether a version of a has a localization in locale.
func (s *Server) appHasLocaleLocked(a *app, locale string) bool {
	for _, vid := range a.versions {
		if s.versionLocByLocaleLocked(s.versions[vid], locale) != nil {
			return true
		}
	}
	return false
}
