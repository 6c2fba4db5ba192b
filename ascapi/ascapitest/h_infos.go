package ascapitest

import (
	"fmt"
	"net/http"
)

func (s *Server) getInfo(c *call) (response, *apiError) {
	if s.infos[c.id] == nil {
		return response{}, errNotFound(typeInfos, c.id)
	}
	return ok(s, c, typeInfos, c.id), nil
}

// infoCategoryRels are the relationships AppInfoUpdateRequest may set.
var infoCategoryRels = map[string]bool{"primaryCategory": true, "primarySubcategoryOne": true, "primarySubcategoryTwo": true,
	"secondaryCategory": true, "secondarySubcategoryOne": true, "secondarySubcategoryTwo": true}

// patchInfo answers an app info update. Its attributes are all read-only, and it changes only
// the category relationships; the simulator has no app categories, so naming one is refused
// as naming a category that does not exist, and clearing one (data null) succeeds.
func (s *Server) patchInfo(c *call) (response, *apiError) {
	info := s.infos[c.id]
	if info == nil {
		return response{}, errNotFound(typeInfos, c.id)
	}
	d, _, err := parseResource(c, typeInfos, nil)
	if err != nil {
		return response{}, err
	}
	for _, rel := range sortedKeys(d.Relationships) {
		if !infoCategoryRels[rel] {
			return response{}, errUnprocessable(fmt.Sprintf("Unexpected or invalid value at 'relationships.%s'", rel), "/data/relationships/"+rel)
		}
		if r := d.Relationships[rel]; r.Data != nil {
			if r.Data.Type != "appCategories" {
				return response{}, errUnprocessable(fmt.Sprintf("Unexpected or invalid value at 'relationships.%s.data.type'", rel), "/data/relationships/"+rel+"/data/type")
			}
			return response{}, errRelationship(fmt.Sprintf("There is no app category with id '%s'.", r.Data.ID), rel)
		}
	}
	if !editableInfoStates[s.infoStateLocked(info.id)] && len(d.Relationships) > 0 {
		return response{}, errInvalidState("primaryCategory")
	}
	return response{status: http.StatusOK, body: newDoc(s, c).single(typeInfos, info.id)}, nil
}
