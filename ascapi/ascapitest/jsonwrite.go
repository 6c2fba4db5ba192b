package ascapitest

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
)

// appendJSON appends v as encoding/json's Encoder with SetEscapeHTML(false) writes it, without
// the trailing newline: the same bytes (TestAppendJSONMatchesEncodingJSON). The answers are
// trees of map[string]any, []any and strings; walking them here instead of by reflection
// keeps the simulator's share of a 5,000-asset plan small. Any other value, and a string that
// needs escaping, goes through encoding/json itself.
func appendJSON(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case map[string]any:
		if v == nil {
			return append(b, "null"...)
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSON(b, v[k])
		}
		return append(b, '}')
	case []any:
		return appendJSONArray(b, v)
	case []map[string]any:
		return appendJSONArray(b, v)
	case string:
		return appendJSONString(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case int64:
		return strconv.AppendInt(b, v, 10)
	}
	return appendMarshaled(b, v)
}

// appendJSONArray appends v as a JSON array (null when nil).
func appendJSONArray[T any](b []byte, v []T) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, e := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSON(b, e)
	}
	return append(b, ']')
}

// appendJSONString appends s quoted; a string with anything to escape goes through
// encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			return appendMarshaled(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendMarshaled appends v as encoding/json writes it with SetEscapeHTML(false).
func appendMarshaled(b []byte, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return append(b, "null"...) // as writeJSONBody did: an answer is always plain data
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}
