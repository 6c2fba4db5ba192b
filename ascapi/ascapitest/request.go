package ascapitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// resourceBody is a JSON:API request document with one resource.
type resourceBody struct {
	Type          string                     `json:"type"`
	ID            string                     `json:"id"`
	Attributes    map[string]json.RawMessage `json:"attributes"`
	Relationships map[string]struct {
		Data *struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		} `json:"data"`
	} `json:"relationships"`
}

// parseResource decodes c.body, checks its type (and, for PATCH, its id) and that every
// attribute is in allowed, and returns the attributes as strings or booleans.
func parseResource(c *call, typ string, allowed map[string]string) (*resourceBody, map[string]any, *apiError) {
	var doc struct {
		Data *resourceBody `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(c.body))
	if err := dec.Decode(&doc); err != nil || doc.Data == nil {
		return nil, nil, errUnprocessable("The request entity is not a valid JSON:API document.", "")
	}
	d := doc.Data
	if d.Type != typ {
		return nil, nil, errUnprocessable(fmt.Sprintf("Unexpected or invalid value at 'type': '%s'", d.Type), "/data/type")
	}
	if c.method == http.MethodPatch && d.ID != c.id {
		return nil, nil, &apiError{Status: http.StatusConflict, Code: "ENTITY_ERROR.ATTRIBUTE.INVALID",
			Title: "The provided entity id does not match the resource path", Detail: "The id in the request body does not match the id in the path.",
			Pointer: "/data/id"}
	}
	attrs := map[string]any{}
	for name, raw := range d.Attributes {
		kind, ok := allowed[name]
		if !ok {
			return nil, nil, errUnknownAttr(name)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, nil, errUnprocessable("Unexpected or invalid value at 'attributes."+name+"'", "/data/attributes/"+name)
		}
		switch kind {
		case "string":
			if v == nil {
				v = ""
			}
			if _, ok := v.(string); !ok {
				return nil, nil, errUnprocessable("Unexpected or invalid value at 'attributes."+name+"'", "/data/attributes/"+name)
			}
		case "bool":
			if _, ok := v.(bool); !ok {
				return nil, nil, errUnprocessable("Unexpected or invalid value at 'attributes."+name+"'", "/data/attributes/"+name)
			}
		case "int":
			f, ok := v.(float64)
			if !ok || f != float64(int64(f)) || f < 0 {
				return nil, nil, errUnprocessable("Unexpected or invalid value at 'attributes."+name+"'", "/data/attributes/"+name)
			}
			v = int64(f)
		}
		attrs[name] = v
	}
	return d, attrs, nil
}

// relID returns the id of to-one relationship rel of type typ, or a 409 naming it.
func relID(d *resourceBody, rel, typ string) (string, *apiError) {
	r, ok := d.Relationships[rel]
	if !ok || r.Data == nil || r.Data.ID == "" {
		return "", &apiError{Status: http.StatusConflict, Code: "ENTITY_ERROR.RELATIONSHIP.REQUIRED",
			Title: "The provided entity is missing a required relationship", Detail: fmt.Sprintf("You must provide a value for the relationship '%s' with this request", rel),
			Pointer: "/data/relationships/" + rel}
	}
	if r.Data.Type != typ {
		return "", errUnprocessable(fmt.Sprintf("Unexpected or invalid value at 'relationships.%s.data.type'", rel), "/data/relationships/"+rel+"/data/type")
	}
	return r.Data.ID, nil
}

// listFilter returns the comma-separated values of filter[name], or nil.
func listFilter(c *call, name string) map[string]bool {
	v := c.query.Get("filter[" + name + "]")
	if v == "" {
		return nil
	}
	m := map[string]bool{}
	for _, x := range strings.Split(v, ",") {
		m[x] = true
	}
	return m
}

func created(s *Server, c *call, typ, id string) response {
	d := newDoc(s, c)
	return response{status: http.StatusCreated, body: d.single(typ, id), location: c.base + "/v1/" + typ + "/" + id}
}

func ok(s *Server, c *call, typ, id string) response {
	return response{status: http.StatusOK, body: newDoc(s, c).single(typ, id)}
}

func listed(s *Server, c *call, typ string, ids []string) (response, *apiError) {
	body, err := newDoc(s, c).list(typ, ids)
	if err != nil {
		return response{}, err
	}
	return response{status: http.StatusOK, body: body}, nil
}
