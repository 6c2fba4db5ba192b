package spec

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// repoRoot is the repository root seen from this package's directory.
const repoRoot = "../../.."

// TestTrimmedUpToDate regenerates what is derived from Apple's document when it is present
// (../shared/reference) — the trimmed document and the list of media reads — and fails when a
// committed copy differs.
func TestTrimmedUpToDate(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, SourcePath))
	if os.IsNotExist(err) {
		t.Skipf("%s not present; checking the committed copy only", SourcePath)
	}
	if err != nil {
		t.Fatal(err)
	}
	got, err := Trim(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, Trimmed) {
		t.Errorf("asc-openapi-trimmed.json is stale: run `go generate ./ascapi/internal/spec`")
	}
	checkMediaReads(t, raw)
}

type trimmedDoc struct {
	Paths      map[string]map[string]any `json:"paths"`
	Components struct {
		Schemas map[string]map[string]any `json:"schemas"`
	} `json:"components"`
}

func loadTrimmed(t *testing.T) trimmedDoc {
	t.Helper()
	var d trimmedDoc
	if err := json.Unmarshal(Trimmed, &d); err != nil {
		t.Fatalf("committed trimmed document: %v", err)
	}
	return d
}

// TestTrimmedShape checks the committed copy (no network, no reference needed): exactly the
// served operations, corrections applied, attributes closed, descriptions gone.
func TestTrimmedShape(t *testing.T) {
	d := loadTrimmed(t)
	got := map[string][]string{}
	for p, item := range d.Paths {
		for m := range item {
			if m != "parameters" {
				got[p] = append(got[p], m)
			}
		}
		sort.Strings(got[p])
	}
	want := map[string][]string{}
	for p, ms := range Served {
		want[p] = append([]string(nil), ms...)
		sort.Strings(want[p])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations (-served +trimmed):\n%s", diff)
	}
	for _, c := range Nullable {
		prop := attrProp(t, d, c.Schema, c.Attr)
		if prop["nullable"] != true {
			t.Errorf("%s.%s not nullable", c.Schema, c.Attr)
		}
		if _, ok := prop["$ref"]; ok {
			t.Errorf("%s.%s keeps a $ref sibling, which OpenAPI 3.0 ignores", c.Schema, c.Attr)
		}
	}
	for _, name := range []string{"AppScreenshot", "AppStoreVersionLocalization", "AppInfoLocalization"} {
		attrs := d.Components.Schemas[name]["properties"].(map[string]any)["attributes"].(map[string]any)
		if attrs["additionalProperties"] != false {
			t.Errorf("%s attributes not closed", name)
		}
	}
	req := d.Components.Schemas["AppStoreVersionLocalizationUpdateRequest"]
	if !strings.Contains(mustMarshal(req), `"additionalProperties":false`) {
		t.Errorf("update request attributes not closed")
	}
	// The attribute named description survives; human descriptions do not.
	if _, ok := attrsOf(d, "AppStoreVersionLocalization")["description"]; !ok {
		t.Errorf("attribute 'description' was stripped")
	}
	if strings.Contains(string(Trimmed), `"example"`) || strings.Contains(string(Trimmed), `"summary"`) {
		t.Errorf("examples or summaries left in the trimmed document")
	}
}

func attrsOf(d trimmedDoc, schema string) map[string]any {
	return d.Components.Schemas[schema]["properties"].(map[string]any)["attributes"].(map[string]any)["properties"].(map[string]any)
}

func attrProp(t *testing.T, d trimmedDoc, schema, attr string) map[string]any {
	t.Helper()
	p, ok := attrsOf(d, schema)[attr].(map[string]any)
	if !ok {
		t.Fatalf("%s.%s missing", schema, attr)
	}
	return p
}

func mustMarshal(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestTrimErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not JSON", `{`, "parse openapi document"},
		{"no paths", `{"components":{"schemas":{}}}`, "no paths"},
		{"missing operation", `{"paths":{},"components":{"schemas":{"A":{}}}}`, "not in the document"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Trim([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestServedIsEveryOperationOfTheResources: Served holds every operation Apple's document
// lists under /v1/<resource> for each of Resources, and nothing else.
func TestServedIsEveryOperationOfTheResources(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, SourcePath))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{}
	for p, item := range doc.Paths {
		seg := strings.Split(p, "/")
		if len(seg) < 3 || !contains(Resources, seg[2]) {
			continue
		}
		for _, m := range []string{"get", "post", "patch", "delete"} {
			if _, ok := item[m]; ok {
				want[p] = append(want[p], m)
			}
		}
	}
	if diff := cmp.Diff(want, Served); diff != "" {
		t.Errorf("Served differs from the operations of %v in Apple's document (-apple +served):\n%s", Resources, diff)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
