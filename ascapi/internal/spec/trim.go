package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// stripped are the keys Trim removes from every object that is not a properties map:
// human text and examples that the validator never reads.
var stripped = []string{"description", "summary", "example", "examples", "externalDocs", "tags", "x-apple-doc"}

// Trim cuts Apple's OpenAPI document raw down to the operations in Served and the schemas they
// reference (transitively), strips descriptions and examples, applies the Nullable
// corrections and closes attribute objects. The output is deterministic (sorted keys,
// two-space indent, trailing newline).
func Trim(raw []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("parse openapi document: %w", err)
	}
	paths, _ := doc["paths"].(map[string]any)
	comps, _ := doc["components"].(map[string]any)
	schemas, _ := comps["schemas"].(map[string]any)
	if paths == nil || schemas == nil {
		return nil, fmt.Errorf("parse openapi document: no paths or components.schemas")
	}

	outPaths := map[string]any{}
	for p, methods := range Served {
		item, ok := paths[p].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("path %s: not in the document", p)
		}
		kept := map[string]any{}
		if params, ok := item["parameters"]; ok {
			kept["parameters"] = params
		}
		for _, m := range methods {
			op, ok := item[m]
			if !ok {
				return nil, fmt.Errorf("operation %s %s: not in the document", strings.ToUpper(m), p)
			}
			kept[m] = op
		}
		outPaths[p] = kept
	}

	// Collect the schemas referenced from the kept paths, transitively.
	keep := map[string]bool{}
	queue := collectRefs(outPaths, nil)
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if keep[name] {
			continue
		}
		s, ok := schemas[name]
		if !ok {
			return nil, fmt.Errorf("schema %s: referenced but not defined", name)
		}
		keep[name] = true
		queue = collectRefs(s, queue)
	}
	outSchemas := map[string]any{}
	for name := range keep {
		outSchemas[name] = schemas[name]
	}

	out := map[string]any{
		"openapi": doc["openapi"],
		"info": map[string]any{
			"title":   "App Store Connect API (trimmed for StoreSyncer's simulator)",
			"version": infoVersion(doc),
		},
		"servers":  doc["servers"],
		"security": doc["security"],
		"paths":    outPaths,
		"components": map[string]any{
			"schemas":         outSchemas,
			"securitySchemes": comps["securitySchemes"],
		},
	}
	strip(out, false)
	for _, c := range Nullable {
		if err := makeNullable(outSchemas, c); err != nil {
			return nil, err
		}
	}
	for _, s := range outSchemas {
		closeAttributes(s)
		nullToOneRelationships(s)
	}
	nullToOneAnswers(outPaths, outSchemas)

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("encode trimmed document: %w", err)
	}
	return buf.Bytes(), nil
}

func infoVersion(doc map[string]any) any {
	if info, ok := doc["info"].(map[string]any); ok {
		return info["version"]
	}
	return ""
}

const refPrefix = "#/components/schemas/"

// collectRefs appends the schema names referenced anywhere in v to names.
func collectRefs(v any, names []string) []string {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if s, ok := v[k].(string); ok && k == "$ref" && strings.HasPrefix(s, refPrefix) {
				names = append(names, strings.TrimPrefix(s, refPrefix))
				continue
			}
			names = collectRefs(v[k], names)
		}
	case []any:
		for _, e := range v {
			names = collectRefs(e, names)
		}
	}
	return names
}

// strip removes human text from v. Inside a properties map the keys are attribute names
// (one of them is "description"), so they are kept and only their values are stripped. A
// response object keeps its description: OpenAPI 3.0 requires it.
func strip(v any, inProperties bool) {
	stripNode(v, inProperties, false)
}

func stripNode(v any, inProperties, isResponse bool) {
	switch v := v.(type) {
	case map[string]any:
		if !inProperties {
			for _, k := range stripped {
				if k == "description" && isResponse {
					continue
				}
				delete(v, k)
			}
		}
		for k, e := range v {
			if k == "responses" && !inProperties {
				if rs, ok := e.(map[string]any); ok {
					for _, r := range rs {
						stripNode(r, false, true)
					}
					continue
				}
			}
			stripNode(e, !inProperties && k == "properties", false)
		}
	case []any:
		for _, e := range v {
			stripNode(e, false, false)
		}
	}
}

func makeNullable(schemas map[string]any, c Correction) error {
	where := fmt.Sprintf("correction %s.attributes.%s", c.Schema, c.Attr)
	s, ok := schemas[c.Schema].(map[string]any)
	if !ok {
		return fmt.Errorf("%s: schema not kept", where)
	}
	attrs := dig(s, "properties", "attributes", "properties")
	if attrs == nil {
		return fmt.Errorf("%s: schema has no attributes", where)
	}
	prop, ok := attrs[c.Attr].(map[string]any)
	if !ok {
		return fmt.Errorf("%s: no such attribute", where)
	}
	if ref, ok := prop["$ref"]; ok {
		delete(prop, "$ref")
		prop["allOf"] = []any{map[string]any{"$ref": ref}}
	}
	prop["nullable"] = true
	return nil
}

// closeAttributes sets additionalProperties: false on every attributes object in schema s,
// at any depth (request schemas nest it under properties.data).
func closeAttributes(v any) {
	switch v := v.(type) {
	case map[string]any:
		if props, ok := v["properties"].(map[string]any); ok {
			if attrs, ok := props["attributes"].(map[string]any); ok && attrs["type"] == "object" {
				if _, has := attrs["properties"]; has {
					attrs["additionalProperties"] = false
				}
			}
		}
		for _, e := range v {
			closeAttributes(e)
		}
	case []any:
		for _, e := range v {
			closeAttributes(e)
		}
	}
}

func dig(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil
		}
		m = next
	}
	return m
}

// nullToOneRelationships applies the empty to-one rule (see corrections.go) to the
// relationships of a resource schema.
func nullToOneRelationships(v any) {
	rels := dig(asMap(v), "properties", "relationships", "properties")
	for _, r := range rels {
		if data := dig(asMap(r), "properties", "data"); data != nil && data["type"] == "object" {
			data["nullable"] = true
		}
	}
}

// nullToOneAnswers applies the empty to-one rule to the 200 answers of the served GETs of a
// related resource or linkage (/v1/x/{id}/rel, /v1/x/{id}/relationships/rel) whose data is one
// object, unless a GET by id answers with the same schema.
func nullToOneAnswers(paths, schemas map[string]any) {
	byID := map[string]bool{}
	related := map[string]bool{}
	for p, item := range paths {
		name := okSchema(asMap(item)["get"])
		if name == "" {
			continue
		}
		if strings.HasSuffix(p, "/{id}") {
			byID[name] = true
		} else if strings.Contains(p, "/{id}/") {
			related[name] = true
		}
	}
	for name := range related {
		if byID[name] {
			continue
		}
		data := dig(asMap(schemas[name]), "properties", "data")
		if data == nil || data["type"] == "array" {
			continue
		}
		if ref, ok := data["$ref"]; ok {
			delete(data, "$ref")
			data["allOf"] = []any{map[string]any{"$ref": ref}}
		}
		data["nullable"] = true
	}
}

// okSchema is the schema name of an operation's 200 JSON answer, or "".
func okSchema(op any) string {
	m := dig(asMap(op), "responses", "200", "content", "application/json", "schema")
	ref, _ := m["$ref"].(string)
	return strings.TrimPrefix(ref, refPrefix)
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
