package ascapitest

import (
	"encoding/json"
	"strings"
	"sync"

	"github.com/storesyncer/storesyncer/ascapi/internal/spec"
)

// specRel is one relationship Apple's document gives a resource type.
type specRel struct {
	name   string
	target string // resource type at the other end
	toMany bool
}

var (
	shapesOnce sync.Once
	// specRels lists every relationship of each served resource type, from the trimmed spec.
	specRels map[string][]specRel
	// manyAnswers says, per "GET /pattern", whether its 200 answer's data is a list.
	manyAnswers map[string]bool
)

// schemaOf names the spec schema of each resource type the simulator models.
var schemaOf = map[string]string{
	typeApps: "App", typeVersions: "AppStoreVersion", typeInfos: "AppInfo", typeInfoLocs: "AppInfoLocalization",
	typeVersionLocs: "AppStoreVersionLocalization", typeScreenshotSet: "AppScreenshotSet", typePreviewSet: "AppPreviewSet",
	typeScreenshots: "AppScreenshot", typePreviews: "AppPreview",
}

type jsonSchema struct {
	Type       string                 `json:"type"`
	Ref        string                 `json:"$ref"`
	AllOf      []jsonSchema           `json:"allOf"`
	Enum       []string               `json:"enum"`
	Items      *jsonSchema            `json:"items"`
	Properties map[string]*jsonSchema `json:"properties"`
}

func loadShapes() {
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]*jsonSchema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(spec.Trimmed, &doc); err != nil {
		return // checkQuery reports the same document as broken
	}
	schemas := doc.Components.Schemas
	resolve := func(s *jsonSchema) *jsonSchema {
		for s != nil {
			switch {
			case s.Ref != "":
				s = schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
			case len(s.AllOf) == 1:
				s = &s.AllOf[0]
			default:
				return s
			}
		}
		return nil
	}
	specRels = map[string][]specRel{}
	for typ, name := range schemaOf {
		s := schemas[name]
		if s == nil || s.Properties["relationships"] == nil {
			continue
		}
		rels := s.Properties["relationships"].Properties
		for _, rn := range sortedKeys(rels) {
			data := resolve(rels[rn].Properties["data"])
			r := specRel{name: rn}
			if data != nil && data.Type == "array" && data.Items != nil {
				r.toMany, data = true, resolve(data.Items)
			}
			if data != nil && data.Properties["type"] != nil && len(data.Properties["type"].Enum) == 1 {
				r.target = data.Properties["type"].Enum[0]
			}
			specRels[typ] = append(specRels[typ], r)
		}
	}
	manyAnswers = map[string]bool{}
	for p, item := range doc.Paths {
		raw, ok := item["get"]
		if !ok {
			continue
		}
		var op struct {
			Responses map[string]struct {
				Content map[string]struct {
					Schema *jsonSchema `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		}
		if json.Unmarshal(raw, &op) != nil {
			continue
		}
		for _, c := range op.Responses["200"].Content {
			if s := resolve(c.Schema); s != nil {
				if data := resolve(s.Properties["data"]); data != nil {
					manyAnswers["GET "+p] = data.Type == "array"
				}
			}
		}
	}
}

// relsOf returns the spec's relationships of resource type typ.
func relsOf(typ string) []specRel {
	shapesOnce.Do(loadShapes)
	return specRels[typ]
}

// answersList reports whether the GET of pattern answers a list.
func answersList(pattern string) bool {
	shapesOnce.Do(loadShapes)
	return manyAnswers["GET "+pattern]
}
