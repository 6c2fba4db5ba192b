package ascapi

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func answer(status int, body string, hdr map[string]string) *http.Response {
	h := http.Header{}
	for k, v := range hdr {
		h.Set(k, v)
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body))}
}

func TestCheckResponse(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	twoEntries := `{"errors":[
	  {"status":"409","code":"ENTITY_ERROR","title":"There is a problem with the request entity","detail":"generic"},
	  {"status":"409","code":"ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG","title":"too long","detail":"Max number of characters is (100)","source":{"pointer":"/data/attributes/keywords"}}]}`
	tests := []struct {
		name      string
		resp      *http.Response
		wantNil   bool
		want      *Error
		hasCode   []string
		notCode   []string
		retryable bool
		is        []error
		msg       []string
	}{
		{name: "ok", resp: answer(200, `{}`, nil), wantNil: true},
		{
			name: "useful code in errors[1]",
			resp: answer(409, twoEntries, nil),
			want: &Error{StatusCode: 409, Method: "PATCH", Path: "/v1/x", Errors: []ErrorEntry{
				{Status: "409", Code: "ENTITY_ERROR", Title: "There is a problem with the request entity", Detail: "generic"},
				{Status: "409", Code: "ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG", Title: "too long", Detail: "Max number of characters is (100)", Source: &ErrorSource{Pointer: "/data/attributes/keywords"}},
			}},
			hasCode: []string{"ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG", "ENTITY_ERROR.ATTRIBUTE", "ENTITY_ERROR"},
			notCode: []string{"ENTITY_ERROR.ATTR", "STATE_ERROR"},
			is:      []error{ErrConflict},
			msg:     []string{"409", "ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG", "Max number of characters is (100)", "/data/attributes/keywords", "generic"},
		},
		{
			name:      "406 plain text",
			resp:      answer(406, "Not Acceptable: use application/json", nil),
			want:      &Error{StatusCode: 406, Method: "PATCH", Path: "/v1/x", Body: "Not Acceptable: use application/json"},
			msg:       []string{"406", "use application/json"},
			retryable: false,
		},
		{
			name:      "429 with retry-after seconds",
			resp:      answer(429, `{"errors":[{"status":"429","code":"RATE_LIMIT_EXCEEDED","title":"t","detail":"d"}]}`, map[string]string{"Retry-After": "17"}),
			want:      &Error{StatusCode: 429, Method: "PATCH", Path: "/v1/x", RetryAfter: 17 * time.Second, Errors: []ErrorEntry{{Status: "429", Code: "RATE_LIMIT_EXCEEDED", Title: "t", Detail: "d"}}},
			retryable: true,
			is:        []error{ErrRateLimited},
			hasCode:   []string{"RATE_LIMIT_EXCEEDED"},
		},
		{
			name:      "503 html with retry-after date",
			resp:      answer(503, "<html>down</html>", map[string]string{"Retry-After": now.Add(90 * time.Second).Format(http.TimeFormat)}),
			want:      &Error{StatusCode: 503, Method: "PATCH", Path: "/v1/x", RetryAfter: 90 * time.Second, Body: "<html>down</html>"},
			retryable: true,
		},
		{
			name: "404",
			resp: answer(404, `{"errors":[{"status":"404","code":"NOT_FOUND","title":"t","detail":"The specified resource does not exist"}]}`, nil),
			want: &Error{StatusCode: 404, Method: "PATCH", Path: "/v1/x", Errors: []ErrorEntry{{Status: "404", Code: "NOT_FOUND", Title: "t", Detail: "The specified resource does not exist"}}},
			is:   []error{ErrNotFound},
		},
		{
			name: "token echoed in body is scrubbed",
			resp: answer(401, "bad token Bearer eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl", nil),
			want: &Error{StatusCode: 401, Method: "PATCH", Path: "/v1/x", Body: "bad token Bearer [redacted]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkResponse(tt.resp, "PATCH", "/v1/x", now)
			if tt.wantNil {
				if err != nil {
					t.Fatalf("checkResponse = %v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("checkResponse = %T %v, want *Error", err, err)
			}
			if diff := cmp.Diff(tt.want, e, cmp.AllowUnexported(Error{})); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			for _, c := range tt.hasCode {
				if !e.HasCode(c) || !HasCode(err, c) {
					t.Errorf("HasCode(%q) = false", c)
				}
			}
			for _, c := range tt.notCode {
				if e.HasCode(c) {
					t.Errorf("HasCode(%q) = true", c)
				}
			}
			if e.Retryable() != tt.retryable {
				t.Errorf("Retryable = %v", e.Retryable())
			}
			for _, s := range []error{ErrNotFound, ErrConflict, ErrRateLimited, ErrWriteOutcomeUnknown} {
				want := false
				for _, w := range tt.is {
					want = want || w == s
				}
				if errors.Is(err, s) != want {
					t.Errorf("errors.Is(err, %v) = %v", s, !want)
				}
			}
			for _, m := range tt.msg {
				if !strings.Contains(e.Error(), m) {
					t.Errorf("Error() = %q, want it to mention %q", e.Error(), m)
				}
			}
		})
	}
}

func TestScrub(t *testing.T) {
	jwt := "eyJhbGciOiJFUzI1NiIsImtpZCI6IjJYOVI0SFhGMzQifQ.eyJpc3MiOiJ4IiwiYXVkIjoiYXBwc3RvcmVjb25uZWN0LXYxIn0.MEUCIQDabc-_def"
	tests := []struct{ in, want string }{
		{"Authorization: Bearer " + jwt, "Authorization: Bearer [redacted]"},
		{"bearer abcdefgh.ijklmnop", "Bearer [redacted]"},
		{"a properly signed bearer token, please", "a properly signed bearer token, please"},
		{"GET https://x/v1/apps?token=" + jwt + "&a=b", "GET https://x/v1/apps?token=[redacted-jwt]&a=b"},
		{"plain message", "plain message"},
	}
	for _, tt := range tests {
		if got := Scrub(tt.in); got != tt.want {
			t.Errorf("Scrub(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseRateLimit(t *testing.T) {
	tests := []struct {
		in   string
		want RateLimit
	}{
		{"user-hour-lim:3600;user-hour-rem:3121;", RateLimit{Limit: 3600, Remaining: 3121, Known: true}},
		{"user-hour-lim:3500;user-hour-rem:500", RateLimit{Limit: 3500, Remaining: 500, Known: true}},
		{"foo:1;user-hour-rem:0;bar-baz:9;user-hour-lim:3600;", RateLimit{Limit: 3600, Remaining: 0, Known: true}},
		{" user-hour-lim : 10 ; user-hour-rem : 2 ;", RateLimit{Limit: 10, Remaining: 2, Known: true}},
		{"USER-HOUR-LIM:10;USER-HOUR-REM:2", RateLimit{Limit: 10, Remaining: 2, Known: true}},
		{"", RateLimit{}},
		{"user-hour-lim:3600;", RateLimit{}},
		{"user-hour-lim:abc;user-hour-rem:3;", RateLimit{}},
		{"garbage;;::;", RateLimit{}},
	}
	for _, tt := range tests {
		if got := ParseRateLimit(tt.in); got != tt.want {
			t.Errorf("ParseRateLimit(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
