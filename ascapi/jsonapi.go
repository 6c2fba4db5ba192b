package ascapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// resource is one JSON:API resource object as App Store Connect sends it.
type resource struct {
	Type          string                  `json:"type"`
	ID            string                  `json:"id"`
	Attributes    json.RawMessage         `json:"attributes,omitempty"`
	Relationships map[string]relationship `json:"relationships,omitempty"`
}

// relationship holds linkage data (an object, an array or null) and its paging meta.
type relationship struct {
	Data json.RawMessage `json:"data,omitempty"`
	Meta *struct {
		Paging struct {
			Total int `json:"total"`
			Limit int `json:"limit"`
		} `json:"paging"`
	} `json:"meta,omitempty"`
}

// linkage is a resource identifier.
type linkage struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// linkages decodes a to-many relationship's data; null or absent gives nil.
func (r relationship) linkages() ([]linkage, error) {
	if len(r.Data) == 0 || bytes.Equal(bytes.TrimSpace(r.Data), []byte("null")) {
		return nil, nil
	}
	var ls []linkage
	if err := json.Unmarshal(r.Data, &ls); err != nil {
		return nil, fmt.Errorf("relationship data: %w", err)
	}
	return ls, nil
}

// document is a JSON:API response document with one or many primary resources.
type document struct {
	Data     json.RawMessage `json:"data"`
	Included []resource      `json:"included,omitempty"`
	Links    struct {
		Next string `json:"next,omitempty"`
	} `json:"links"`
}

// one decodes the primary data as a single resource.
func (d *document) one() (resource, error) {
	var r resource
	if err := json.Unmarshal(d.Data, &r); err != nil {
		return r, fmt.Errorf("primary data: %w", err)
	}
	return r, nil
}

// decodeAttrs decodes a resource's attributes into v; absent or null attributes leave v zero.
func decodeAttrs(r resource, v any) error {
	if len(r.Attributes) == 0 || bytes.Equal(bytes.TrimSpace(r.Attributes), []byte("null")) {
		return nil
	}
	if err := json.Unmarshal(r.Attributes, v); err != nil {
		return fmt.Errorf("%s %s attributes: %w", r.Type, r.ID, err)
	}
	return nil
}

// listQuery returns q with limit=200 added unless a limit is set.
func listQuery(q url.Values) url.Values {
	if q == nil {
		q = url.Values{}
	}
	if q.Get("limit") == "" {
		q.Set("limit", strconv.Itoa(defaultPageLimit))
	}
	return q
}

// listDocument is a JSON:API collection document whose included resources decode as I in the
// same pass as the rest (no second parse of each one's attributes).
type listDocument[I any] struct {
	Data     []resource `json:"data"`
	Included []I        `json:"included,omitempty"`
	Links    struct {
		Next string `json:"next,omitempty"`
	} `json:"links"`
}

// getAll GETs path and every page after it through links.next, returning all primary
// resources and all included ones. A next link must stay on the base URL's scheme and host
// and must not repeat.
func (c *Client) getAll(ctx context.Context, path string, q url.Values) ([]resource, []resource, *Response, error) {
	return getAllOf[resource](ctx, c, path, q)
}

// getAllOf is getAll with the included resources decoded as I.
func getAllOf[I any](ctx context.Context, c *Client, path string, q url.Values) ([]resource, []I, *Response, error) {
	var data []resource
	var included []I
	r := request{method: http.MethodGet, path: path, query: listQuery(q)}
	seen := map[string]bool{}
	for {
		var doc listDocument[I]
		resp, err := c.do(ctx, r, &doc)
		if err != nil {
			return nil, nil, resp, err
		}
		data = append(data, doc.Data...)
		included = append(included, doc.Included...)
		if doc.Links.Next == "" {
			return data, included, resp, nil
		}
		next, err := c.checkNext(doc.Links.Next)
		if err != nil {
			return nil, nil, resp, fmt.Errorf("GET %s: %w", path, err)
		}
		if seen[next.String()] {
			return nil, nil, resp, fmt.Errorf("GET %s: pagination repeats next link %s", path, redactURL(next))
		}
		seen[next.String()] = true
		r = request{method: http.MethodGet, abs: next}
	}
}

func (c *Client) checkNext(raw string) (*url.URL, error) {
	next, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("next link: %w", scrubError(err))
	}
	if !next.IsAbs() {
		next = c.baseURL.ResolveReference(next)
	}
	if next.Scheme != c.baseURL.Scheme || next.Host != c.baseURL.Host {
		return nil, fmt.Errorf("next link %s leaves %s", redactURL(next), c.baseURL.Host)
	}
	return next, nil
}

func nullToEmpty(b json.RawMessage) json.RawMessage {
	if len(b) == 0 || bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return json.RawMessage("[]")
	}
	return b
}

// getOne GETs a single resource and its included resources.
func (c *Client) getOne(ctx context.Context, path string, q url.Values) (resource, []resource, *Response, error) {
	var doc document
	resp, err := c.do(ctx, request{method: http.MethodGet, path: path, query: q}, &doc)
	if err != nil {
		return resource{}, nil, resp, err
	}
	r, err := doc.one()
	if err != nil {
		return r, nil, resp, fmt.Errorf("GET %s: %w", path, err)
	}
	return r, doc.Included, resp, nil
}

// write sends a POST or PATCH with {"data": body} and returns the resource in the answer
// (zero when the answer has no body).
func (c *Client) write(ctx context.Context, method, path string, body any) (resource, *Response, error) {
	var doc document
	resp, err := c.do(ctx, request{method: method, path: path, body: map[string]any{"data": body}}, &doc)
	if err != nil {
		return resource{}, resp, err
	}
	if len(doc.Data) == 0 {
		return resource{}, resp, nil
	}
	r, err := doc.one()
	if err != nil {
		return r, resp, fmt.Errorf("%s %s: %w", method, path, err)
	}
	return r, resp, nil
}

// del sends a DELETE.
func (c *Client) del(ctx context.Context, path string) (*Response, error) {
	return c.do(ctx, request{method: http.MethodDelete, path: path}, nil)
}

// writeBody is the data member of a create or update request.
type writeBody struct {
	Type          string                  `json:"type"`
	ID            string                  `json:"id,omitempty"`
	Attributes    any                     `json:"attributes,omitempty"`
	Relationships map[string]relationData `json:"relationships,omitempty"`
}

type relationData struct {
	Data linkage `json:"data"`
}

func rel(name, typ, id string) map[string]relationData {
	return map[string]relationData{name: {Data: linkage{Type: typ, ID: id}}}
}

// indexIncluded maps "type/id" to included resources.
func indexIncluded(inc []resource) map[string]resource {
	m := make(map[string]resource, len(inc))
	for _, r := range inc {
		m[r.Type+"/"+r.ID] = r
	}
	return m
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
