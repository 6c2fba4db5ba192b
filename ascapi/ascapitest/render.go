package ascapitest

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
)

// Default and maximum page sizes (asc-api.md §4.0).
const (
	defaultLimit        = 50
	defaultIncludeLimit = 50
)

// relKind says how a relationship is rendered.
type relKind int

const (
	toOne  relKind = iota // {"data":{type,id}}
	toMany                // {"links":{self,related}} plus data when included
)

type relDef struct {
	name, target string
	kind         relKind
}

// relDefs lists the relationships the simulator renders, per resource type.
var relDefs = map[string][]relDef{
	typeApps:          {{"appStoreVersions", typeVersions, toMany}, {"appInfos", typeInfos, toMany}},
	typeVersions:      {{"app", typeApps, toOne}, {"appStoreVersionLocalizations", typeVersionLocs, toMany}},
	typeInfos:         {{"app", typeApps, toOne}, {"appInfoLocalizations", typeInfoLocs, toMany}},
	typeInfoLocs:      {{"appInfo", typeInfos, toOne}},
	typeVersionLocs:   {{"appStoreVersion", typeVersions, toOne}, {"appScreenshotSets", typeScreenshotSet, toMany}, {"appPreviewSets", typePreviewSet, toMany}},
	typeScreenshotSet: {{"appStoreVersionLocalization", typeVersionLocs, toOne}, {"appScreenshots", typeScreenshots, toMany}},
	typePreviewSet:    {{"appStoreVersionLocalization", typeVersionLocs, toOne}, {"appPreviews", typePreviews, toMany}},
	typeScreenshots:   {{"appScreenshotSet", typeScreenshotSet, toOne}},
	typePreviews:      {{"appPreviewSet", typePreviewSet, toOne}},
}

// relatedLocked returns the IDs a relationship of a resource points at.
func (s *Server) relatedLocked(typ, id, rel string) []string {
	switch typ + "." + rel {
	case "apps.appStoreVersions":
		return s.apps[id].versions
	case "apps.appInfos":
		return s.visibleInfosLocked(id)
	case "appStoreVersions.app":
		return []string{s.versions[id].appID}
	case "appStoreVersions.appStoreVersionLocalizations":
		return s.versions[id].locs
	case "appInfos.app":
		return []string{s.infos[id].appID}
	case "appInfos.appInfoLocalizations":
		return s.infos[id].locs
	case "appInfoLocalizations.appInfo":
		return []string{s.infoLocs[id].infoID}
	case "appStoreVersionLocalizations.appStoreVersion":
		return []string{s.versionLocs[id].versionID}
	case "appStoreVersionLocalizations.appScreenshotSets":
		return s.versionLocs[id].screenshotSets
	case "appStoreVersionLocalizations.appPreviewSets":
		return s.versionLocs[id].previewSets
	case "appScreenshotSets.appStoreVersionLocalization", "appPreviewSets.appStoreVersionLocalization":
		return []string{s.sets[id].locID}
	case "appScreenshotSets.appScreenshots", "appPreviewSets.appPreviews":
		return s.sets[id].assets
	case "appScreenshots.appScreenshotSet", "appPreviews.appPreviewSet":
		return []string{s.assets[id].setID}
	}
	return nil
}

// doc builds JSON:API documents for one call, collecting included resources.
type doc struct {
	s        *Server
	c        *call
	include  map[string]bool
	included []any
	seen     map[string]bool
}

func newDoc(s *Server, c *call) *doc {
	d := &doc{s: s, c: c, include: map[string]bool{}, seen: map[string]bool{}}
	for _, v := range splitList(c.query.Get("include")) {
		d.include[v] = true
	}
	return d
}

func splitList(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// fields returns the sparse fieldset asked for typ, or nil for all fields.
func (d *doc) fields(typ string) map[string]bool {
	v, ok := d.c.query["fields["+typ+"]"]
	if !ok {
		return nil
	}
	m := map[string]bool{}
	for _, f := range splitList(strings.Join(v, ",")) {
		m[f] = true
	}
	return m
}

// resource renders one resource object; top is true for primary data (whose relationships
// may be included).
func (d *doc) resource(typ, id string, top bool) map[string]any {
	s, base := d.s, d.c.base
	fields := d.fields(typ)
	attrs := s.attributesLocked(d.c, typ, id)
	for k := range attrs {
		if fields != nil && !fields[k] {
			delete(attrs, k)
		}
	}
	rels := map[string]any{}
	for _, rd := range relDefs[typ] {
		if fields != nil && !fields[rd.name] {
			continue
		}
		ids := s.relatedLocked(typ, id, rd.name)
		if rd.kind == toOne {
			if len(ids) == 1 {
				rels[rd.name] = map[string]any{"data": map[string]any{"type": rd.target, "id": ids[0]}}
				if top && d.include[rd.name] {
					d.addIncluded(rd.target, ids[0])
				}
			}
			continue
		}
		r := map[string]any{"links": map[string]any{
			"self":    base + "/v1/" + typ + "/" + id + "/relationships/" + rd.name,
			"related": base + "/v1/" + typ + "/" + id + "/" + rd.name,
		}}
		if top && d.include[rd.name] {
			limit := includeLimit(d.c, rd.name)
			shown := ids
			if len(shown) > limit {
				shown = shown[:limit]
			}
			data := []any{}
			for _, rid := range shown {
				data = append(data, map[string]any{"type": rd.target, "id": rid})
				d.addIncluded(rd.target, rid)
			}
			r["data"] = data
			r["meta"] = map[string]any{"paging": map[string]any{"total": len(ids), "limit": limit}}
		}
		rels[rd.name] = r
	}
	// Relationships Apple has and the simulator does not model hold nothing here: asked for with
	// include, they come back empty (data null or []), never silently left out.
	for _, sr := range relsOf(typ) {
		if _, done := rels[sr.name]; done || modelledRel(typ, sr.name) || !top || !d.include[sr.name] {
			continue
		}
		r := map[string]any{"links": map[string]any{
			"self":    base + "/v1/" + typ + "/" + id + "/relationships/" + sr.name,
			"related": base + "/v1/" + typ + "/" + id + "/" + sr.name,
		}, "data": nil}
		if sr.toMany {
			r["data"] = []any{}
			r["meta"] = map[string]any{"paging": map[string]any{"total": 0, "limit": includeLimit(d.c, sr.name)}}
		}
		rels[sr.name] = r
	}
	out := map[string]any{"type": typ, "id": id, "links": map[string]any{"self": base + "/v1/" + typ + "/" + id}}
	if attrs != nil {
		out["attributes"] = attrs
	}
	if len(rels) > 0 {
		out["relationships"] = rels
	}
	return out
}

// includeLimit is the limit[rel] of the call, or the default.
func includeLimit(c *call, rel string) int {
	if l, err := strconv.Atoi(c.query.Get("limit[" + rel + "]")); err == nil && l > 0 {
		return l
	}
	return defaultIncludeLimit
}

// modelledRel reports whether the simulator keeps relationship rel of typ.
func modelledRel(typ, rel string) bool {
	for _, rd := range relDefs[typ] {
		if rd.name == rel {
			return true
		}
	}
	return false
}

func (d *doc) addIncluded(typ, id string) {
	k := typ + "/" + id
	if d.seen[k] {
		return
	}
	d.seen[k] = true
	d.included = append(d.included, d.resource(typ, id, false))
}

// single renders {"data":…,"links":{"self"}} for one resource.
func (d *doc) single(typ, id string) map[string]any {
	out := map[string]any{"data": d.resource(typ, id, true), "links": map[string]any{"self": d.c.self}}
	if len(d.included) > 0 {
		out["included"] = d.included
	}
	return out
}

// list renders a paged collection document of ids, all of type typ.
func (d *doc) list(typ string, ids []string) (map[string]any, *apiError) {
	page, links, meta, err := paginate(d.c, ids)
	if err != nil {
		return nil, err
	}
	data := []any{}
	for _, id := range page {
		data = append(data, d.resource(typ, id, true))
	}
	out := map[string]any{"data": data, "links": links, "meta": meta}
	if len(d.included) > 0 {
		out["included"] = d.included
	}
	return out, nil
}

// linkage renders a paged to-many linkage document.
func linkage(c *call, typ string, ids []string) (map[string]any, *apiError) {
	page, links, meta, err := paginate(c, ids)
	if err != nil {
		return nil, err
	}
	data := []any{}
	for _, id := range page {
		data = append(data, map[string]any{"type": typ, "id": id})
	}
	return map[string]any{"data": data, "links": links, "meta": meta}, nil
}

// paginate cuts ids to the page the call asks for (limit, cursor) and builds links and meta.
func paginate(c *call, ids []string) (page []string, links, meta map[string]any, _ *apiError) {
	limit := defaultLimit
	if v := c.query.Get("limit"); v != "" {
		l, err := strconv.Atoi(v)
		if err != nil || l < 1 {
			return nil, nil, nil, errParam("limit", "The parameter 'limit' must be a positive integer.")
		}
		limit = l
	}
	offset := 0
	if cur := c.query.Get("cursor"); cur != "" {
		o, ok := decodeCursor(cur)
		if !ok || o > len(ids) {
			return nil, nil, nil, errParam("cursor", "The parameter 'cursor' is not a valid cursor.")
		}
		offset = o
	}
	end := min(offset+limit, len(ids))
	page = ids[offset:end]
	links = map[string]any{"self": c.self}
	if end < len(ids) {
		u, _ := url.Parse(c.self)
		q := u.Query()
		q.Set("cursor", encodeCursor(end))
		q.Set("limit", strconv.Itoa(limit))
		u.RawQuery = q.Encode()
		links["next"] = u.String()
	}
	meta = map[string]any{"paging": map[string]any{"total": len(ids), "limit": limit}}
	return page, links, meta, nil
}

func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(offset)))
}

func decodeCursor(cur string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(cur)
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), "o:"))
	if err != nil || !strings.HasPrefix(string(b), "o:") || n < 0 {
		return 0, false
	}
	return n, true
}
