package ascapitest

import (
	"sort"
	"strings"
)

func (s *Server) listApps(c *call) (response, *apiError) {
	bundles := listFilter(c, "bundleId")
	names, skus, ids := listFilter(c, "name"), listFilter(c, "sku"), listFilter(c, "id")
	var out []string
	for _, id := range s.appOrder {
		a := s.apps[id]
		if bundles != nil && !matchesAnyPrefix(a.bundleID, bundles) {
			continue
		}
		if (names != nil && !names[a.name]) || (skus != nil && !skus[a.sku]) || (ids != nil && !ids[a.id]) {
			continue
		}
		out = append(out, id)
	}
	return listed(s, c, typeApps, out)
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
