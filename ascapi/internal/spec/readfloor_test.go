package spec

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mediaReads are the GET operations of Apple's document whose answer can hold screenshots or
// previews, each with what one call covers. None covers more than one localization, so a full
// plan of an app costs at least one read per localization and kind that has media, beside the
// version, localization and appInfo reads: 53 for 50 locales with screenshots. The issue's
// target of ≤ 15 reads at 50 locales cannot be met through this API; this test is the proof,
// and it fails when a new document adds a wider read.
var mediaReads = map[string]string{
	"/v1/appCustomProductPageLocalizations/{id}/appPreviewSets":                  "one localization",
	"/v1/appCustomProductPageLocalizations/{id}/appScreenshotSets":               "one localization",
	"/v1/appPreviewSets/{id}":                                                    "one set",
	"/v1/appPreviewSets/{id}/appPreviews":                                        "one set",
	"/v1/appPreviews/{id}":                                                       "one asset",
	"/v1/appScreenshotSets/{id}":                                                 "one set",
	"/v1/appScreenshotSets/{id}/appScreenshots":                                  "one set",
	"/v1/appScreenshots/{id}":                                                    "one asset",
	"/v1/appStoreVersionExperimentTreatmentLocalizations/{id}/appPreviewSets":    "one localization",
	"/v1/appStoreVersionExperimentTreatmentLocalizations/{id}/appScreenshotSets": "one localization",
	"/v1/appStoreVersionLocalizations/{id}/appPreviewSets":                       "one localization",
	"/v1/appStoreVersionLocalizations/{id}/appScreenshotSets":                    "one localization",
}

// openDoc is the part of an OpenAPI document the read-floor test needs.
type openDoc struct {
	Paths map[string]struct {
		Get *struct {
			Responses map[string]struct {
				Content map[string]struct {
					Schema schemaRef `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"get"`
	} `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Properties map[string]struct {
				schemaRef
				Type  string `json:"type"`
				Items struct {
					schemaRef
					OneOf []schemaRef `json:"oneOf"`
				} `json:"items"`
			} `json:"properties"`
		} `json:"schemas"`
	} `json:"components"`
}

type schemaRef struct {
	Ref string `json:"$ref"`
}

func (r schemaRef) name() string { return r.Ref[strings.LastIndex(r.Ref, "/")+1:] }

// answerTypes returns the resource schemas a GET's 200 answer can carry, in data or included.
func (d *openDoc) answerTypes(path string) []string {
	get := d.Paths[path].Get
	if get == nil {
		return nil
	}
	ref := get.Responses["200"].Content["application/json"].Schema
	if ref.Ref == "" {
		return nil
	}
	doc := d.Components.Schemas[ref.name()]
	var out []string
	add := func(r schemaRef) {
		if r.Ref != "" {
			out = append(out, r.name())
		}
	}
	data := doc.Properties["data"]
	add(data.schemaRef)
	add(data.Items.schemaRef)
	inc := doc.Properties["included"]
	add(inc.Items.schemaRef)
	for _, r := range inc.Items.OneOf {
		add(r)
	}
	return out
}

// mediaReadsFile is the committed list of the GETs of Apple's document whose answer can hold
// an AppScreenshot or AppPreview, one path per line, sorted: the read-floor test runs on it
// when Apple's document is not beside the repository, and TestTrimmedUpToDate checks it
// against the document when it is.
const mediaReadsFile = "testdata/media-reads.txt"

// mediaReadsOf lists, from Apple's whole document raw, every GET path whose answer can hold
// an AppScreenshot or AppPreview, sorted.
func mediaReadsOf(raw []byte) ([]string, error) {
	var d openDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	var out []string
	for path := range d.Paths {
		types := d.answerTypes(path)
		if slices.Contains(types, "AppScreenshot") || slices.Contains(types, "AppPreview") {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out, nil
}

// checkMediaReads fails t when the committed list differs from the one derived from raw,
// Apple's whole document (TestTrimmedUpToDate calls it when the document is present).
func checkMediaReads(t *testing.T, raw []byte) {
	t.Helper()
	paths, err := mediaReadsOf(raw)
	if err != nil {
		t.Fatalf("%s: %v", SourcePath, err)
	}
	want := strings.Join(paths, "\n") + "\n"
	got, err := os.ReadFile(mediaReadsFile)
	if err != nil || string(got) != want {
		t.Errorf("%s is stale (%v); it should read:\n%s", mediaReadsFile, err, want)
	}
}

// TestNoReadReturnsMediaOfSeveralLocalizations checks that each GET whose answer can hold an
// AppScreenshot or AppPreview (the committed list, derived from Apple's whole document) is
// one of mediaReads: scoped by its {id} to one localization, one set or one asset.
func TestNoReadReturnsMediaOfSeveralLocalizations(t *testing.T) {
	raw, err := os.ReadFile(mediaReadsFile)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, path := range strings.Fields(string(raw)) {
		got[path] = mediaReads[path]
		if got[path] == "" {
			got[path] = "not looked at: can it read several localizations' media?"
		}
	}
	if diff := cmp.Diff(mediaReads, got); diff != "" {
		t.Errorf("GETs whose answer can hold screenshots or previews (-known +document):\n%s", diff)
	}
	// Every scoped read names its scope by the resource before {id}.
	for path, scope := range got {
		parent := strings.Split(path, "/")[2]
		want := map[string]string{"appScreenshotSets": "one set", "appPreviewSets": "one set",
			"appScreenshots": "one asset", "appPreviews": "one asset"}[parent]
		if want == "" {
			want = "one localization"
		}
		if !strings.HasSuffix(parent, "Localizations") && want == "one localization" {
			t.Errorf("%s: the parent %s is not a localization, a set or an asset", path, parent)
		}
		if scope != want {
			t.Errorf("%s: covers %q, want %q", path, scope, want)
		}
	}
}
