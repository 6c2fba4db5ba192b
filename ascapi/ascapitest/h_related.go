package ascapitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/storesyncer/storesyncer/ascapi/internal/spec"
)

// The operations of Apple's document on the served resources whose other end the simulator
// does not model (an app's builds, a version's review detail, an app info's categories) are
// served too, from the spec: their resources simply do not exist here. A related list is
// empty, a related resource or to-one linkage is data null, a linkage write that names a
// resource is refused as naming one that does not exist (409 ENTITY_ERROR.RELATIONSHIP.INVALID)
// and one that names none succeeds. Parameters are checked as for every route, so an unknown
// one is Apple's 400.

// relatedRoutes builds the routes of spec.Served that routes has no hand-written handler for.
func relatedRoutes(have []route) []route {
	known := map[string]bool{}
	for _, r := range have {
		known[r.method+" "+r.pattern] = true
	}
	var out []route
	for _, p := range sortedKeys(spec.Served) {
		for _, m := range spec.Served[p] {
			method := strings.ToUpper(m)
			if known[method+" "+p] {
				continue
			}
			rt := route{method: method, pattern: p, write: method != http.MethodGet}
			switch {
			case method == http.MethodGet && strings.HasSuffix(p, "/perfPowerMetrics"):
				rt.h = unmodelledMetrics
			case method == http.MethodGet:
				rt.h = unmodelledRelated
			default:
				rt.h = unmodelledLinkageWrite
			}
			out = append(out, rt)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].pattern < out[j].pattern })
	return out
}

// parentLocked checks that the resource at the start of c's path exists.
func (s *Server) parentLocked(c *call) *apiError {
	typ := strings.Split(strings.TrimPrefix(c.route, "/v1/"), "/")[0]
	if s.existsLocked(typ, c.id) {
		return nil
	}
	return errNotFound(typ, c.id)
}

// existsLocked reports whether the resource typ/id exists.
func (s *Server) existsLocked(typ, id string) bool {
	switch typ {
	case typeApps:
		return s.apps[id] != nil
	case typeVersions:
		return s.versions[id] != nil
	case typeInfos:
		return s.infos[id] != nil
	case typeInfoLocs:
		return s.infoLocs[id] != nil
	case typeVersionLocs:
		return s.versionLocs[id] != nil
	case typeScreenshotSet, typePreviewSet:
		return s.sets[id] != nil && s.sets[id].kind == typ
	case typeScreenshots, typePreviews:
		return s.assets[id] != nil && s.assets[id].kind == typ
	}
	return false
}

// unmodelledRelated answers a related resource or linkage the simulator does not model: an
// empty list, or data null.
func unmodelledRelated(s *Server, c *call) (response, *apiError) {
	if err := s.parentLocked(c); err != nil {
		return response{}, err
	}
	if answersList(c.route) {
		body, err := linkage(c, "", nil)
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: body}, nil
	}
	return response{status: http.StatusOK, body: map[string]any{"data": nil, "links": map[string]any{"self": c.self}}}, nil
}

// unmodelledMetrics answers Xcode's power and performance metrics: none, in Apple's media type.
func unmodelledMetrics(s *Server, c *call) (response, *apiError) {
	if err := s.parentLocked(c); err != nil {
		return response{}, err
	}
	return response{status: http.StatusOK, contentType: "application/vnd.apple.xcode-metrics+json",
		body: map[string]any{"version": "1.0", "insights": map[string]any{"trendingUp": []any{}, "regressions": []any{}}, "productData": []any{}}}, nil
}

// unmodelledLinkageWrite answers a PATCH or DELETE of a linkage to resources that do not exist
// here: naming none is a no-op (204), naming one is 409.
func unmodelledLinkageWrite(s *Server, c *call) (response, *apiError) {
	if err := s.parentLocked(c); err != nil {
		return response{}, err
	}
	var doc struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(c.body, &doc); err != nil || doc.Data == nil {
		return response{}, errUnprocessable("The request entity is not a valid JSON:API linkage document.", "")
	}
	var one *struct{ Type, ID string }
	var many []struct{ Type, ID string }
	switch {
	case string(doc.Data) == "null":
	case json.Unmarshal(doc.Data, &many) == nil:
		if len(many) > 0 {
			one = &many[0]
		}
	case json.Unmarshal(doc.Data, &one) == nil:
	default:
		return response{}, errUnprocessable("The request entity is not a valid JSON:API linkage document.", "/data")
	}
	if one != nil {
		return response{}, &apiError{Status: http.StatusConflict, Code: "ENTITY_ERROR.RELATIONSHIP.INVALID",
			Title:  "The provided entity includes a relationship with an invalid value",
			Detail: fmt.Sprintf("There is no resource of type '%s' with id '%s'.", one.Type, one.ID), Pointer: "/data"}
	}
	return response{status: http.StatusNoContent}, nil
}
