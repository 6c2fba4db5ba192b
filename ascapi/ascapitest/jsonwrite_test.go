package ascapitest

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// encodingJSON is what writeJSONBody wrote before appendJSON: encoding/json's Encoder with
// SetEscapeHTML(false), without its newline.
func encodingJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	for _, tt := range []struct {
		name string
		v    any
	}{
		{"nil", nil},
		{"nil map", map[string]any(nil)},
		{"nil slice", []any(nil)},
		{"nil slice of maps", []map[string]any(nil)},
		{"empty", map[string]any{"a": []any{}, "b": map[string]any{}, "c": []map[string]any{}}},
		{"keys sorted", map[string]any{"z": 1, "a": 2, "m": map[string]any{"y": true, "b": false}}},
		{"numbers", []any{0, -7, math.MaxInt64, int64(math.MinInt64), 1.5, 1e21, 0.0000001, float32(2.5), uint8(3)}},
		{"strings", []any{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\r", "\x00\x1f", "<html> & more",
			"Grüße, 日本語, emoji 😀", "line\u2028sep\u2029", "bad \xff utf-8", "/v1/appScreenshots/abc?x=1&y=2"}},
		{"other types", map[string]any{"raw": json.RawMessage(`{"x":1}`), "strs": []string{"a", "b"}, "m": map[string]string{"k": "v"},
			"s": struct {
				A int `json:"a"`
			}{1}, "p": (*int)(nil)}},
		{"an answer", map[string]any{"data": []any{map[string]any{"type": "appScreenshots", "id": "as1",
			"attributes": map[string]any{"fileName": "01.png", "fileSize": 1234, "sourceFileChecksum": nil,
				"assetDeliveryState": map[string]any{"state": "COMPLETE", "errors": []any{}},
				"imageAsset":         map[string]any{"templateUrl": "https://is1-ssl.mzstatic.com/{w}x{h}bb.{f}", "width": 1290, "height": 2796}},
			"links": map[string]any{"self": "http://127.0.0.1:1234/v1/appScreenshots/as1"}}},
			"links": map[string]any{"self": "http://127.0.0.1:1234/v1/x"}, "meta": map[string]any{"paging": map[string]any{"total": 1, "limit": 50}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := string(appendJSON(nil, tt.v)), encodingJSON(t, tt.v); got != want {
				t.Errorf("appendJSON:\n%s\nencoding/json:\n%s", got, want)
			}
		})
	}
}

// TestAppendJSONRandomTrees compares the two on random trees of the shapes answers have.
func TestAppendJSONRandomTrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "Z", "0", " ", `"`, `\`, "\n", "\x01", "<", "&", "é", "日", "😀", "\u2028", "\xfe", "{w}"}
	str := func() string {
		var b []byte
		for range r.IntN(6) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		return string(b)
	}
	var tree func(depth int) any
	tree = func(depth int) any {
		switch k := r.IntN(8); {
		case depth > 3 || k == 0:
			return []any{str(), r.IntN(1 << 20), r.Float64() * 1e6, r.IntN(2) == 0, nil}[r.IntN(5)]
		case k < 5:
			m := map[string]any{}
			for range r.IntN(5) {
				m[str()] = tree(depth + 1)
			}
			return m
		default:
			s := []any{}
			for range r.IntN(5) {
				s = append(s, tree(depth+1))
			}
			return s
		}
	}
	for i := range 2000 {
		v := tree(0)
		if got, want := string(appendJSON(nil, v)), encodingJSON(t, v); got != want {
			t.Fatalf("tree %d:\nappendJSON:    %s\nencoding/json: %s", i, got, want)
		}
	}
}
