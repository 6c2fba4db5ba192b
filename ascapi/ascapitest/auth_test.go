package ascapitest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestAuth(t *testing.T) {
	e := start(t, false)
	now := e.clock.Now()
	indiv, err := e.srv.AddKey(KeyOptions{Individual: true})
	if err != nil {
		t.Fatal(err)
	}
	sign := func(header map[string]any, claims jwt.MapClaims, key Credentials) string {
		k, err := parsePrivateKey(key.PrivateKeyPEM)
		if err != nil {
			t.Fatal(err)
		}
		tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
		for h, v := range header {
			tok.Header[h] = v
		}
		s, err := tok.SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	team := func(mut func(jwt.MapClaims)) string {
		c := jwt.MapClaims{"iss": e.creds.IssuerID, "aud": "appstoreconnect-v1", "iat": now.Add(-time.Minute).Unix(), "exp": now.Add(10 * time.Minute).Unix()}
		if mut != nil {
			mut(c)
		}
		return sign(map[string]any{"kid": e.creds.KeyID}, c, e.creds)
	}
	hs, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": e.creds.IssuerID}).SignedString([]byte("k"))
	tests := []struct {
		name   string
		auth   string
		status int
	}{
		{"team key", "Bearer " + team(nil), 200},
		{"individual key", "Bearer " + sign(map[string]any{"kid": indiv.KeyID}, jwt.MapClaims{"sub": "user", "aud": "appstoreconnect-v1",
			"iat": now.Unix(), "exp": now.Add(15 * time.Minute).Unix()}, indiv), 200},
		{"individual key with iss", "Bearer " + sign(map[string]any{"kid": indiv.KeyID}, jwt.MapClaims{"iss": "x", "aud": "appstoreconnect-v1",
			"iat": now.Unix(), "exp": now.Add(15 * time.Minute).Unix()}, indiv), 401},
		{"no header", "", 401},
		{"not bearer", "Basic abc", 401},
		{"garbage", "Bearer abc.def.ghi", 401},
		{"HS256", "Bearer " + hs, 401},
		{"unknown kid", "Bearer " + sign(map[string]any{"kid": "NOPE"}, jwt.MapClaims{"iss": e.creds.IssuerID, "aud": "appstoreconnect-v1",
			"iat": now.Unix(), "exp": now.Add(time.Minute).Unix()}, e.creds), 401},
		{"wrong issuer", "Bearer " + team(func(c jwt.MapClaims) { c["iss"] = "someone-else" }), 401},
		{"wrong audience", "Bearer " + team(func(c jwt.MapClaims) { c["aud"] = "apple-developer-enterprise-v1" }), 401},
		{"lifetime 21 minutes", "Bearer " + team(func(c jwt.MapClaims) { c["exp"] = now.Add(20 * time.Minute).Unix() }), 401},
		{"lifetime exactly 20 minutes", "Bearer " + team(func(c jwt.MapClaims) { c["exp"] = now.Add(19 * time.Minute).Unix() }), 200},
		{"expired", "Bearer " + team(func(c jwt.MapClaims) {
			c["iat"] = now.Add(-15 * time.Minute).Unix()
			c["exp"] = now.Add(-time.Second).Unix()
		}), 401},
		{"iat in the future", "Bearer " + team(func(c jwt.MapClaims) {
			c["iat"] = now.Add(5 * time.Minute).Unix()
			c["exp"] = now.Add(10 * time.Minute).Unix()
		}), 401},
		{"iat slightly ahead (skew)", "Bearer " + team(func(c jwt.MapClaims) { c["iat"] = now.Add(30 * time.Second).Unix() }), 200},
		{"no exp", "Bearer " + team(func(c jwt.MapClaims) { delete(c, "exp") }), 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.raw("GET", "/v1/apps", nil, tc.auth)
			if r.status != tc.status {
				t.Fatalf("status = %d, want %d: %s", r.status, tc.status, r.raw)
			}
			if tc.status == 401 {
				if r.errCode() != "NOT_AUTHORIZED" || !strings.Contains(string(r.raw), "Authentication credentials are missing or invalid.") {
					t.Errorf("body = %s", r.raw)
				}
				if strings.Contains(string(r.raw), strings.TrimPrefix(tc.auth, "Bearer ")) && len(tc.auth) > 20 {
					t.Errorf("the error echoes the token")
				}
			}
		})
	}
}

func TestRoles(t *testing.T) {
	e := start(t, false)
	dev, _ := e.srv.AddKey(KeyOptions{Role: RoleDeveloper})
	fin, _ := e.srv.AddKey(KeyOptions{Role: RoleFinance})
	_, vID, locID := e.seeded("1.1", "en-US")
	patch := resource("appStoreVersionLocalizations", locID, map[string]any{"description": "x"}, nil)
	tests := []struct {
		name   string
		creds  Credentials
		method string
		path   string
		body   any
		status int
	}{
		{"developer reads", dev, "GET", "/v1/appStoreVersions/" + vID, nil, 200},
		{"developer writes", dev, "PATCH", "/v1/appStoreVersionLocalizations/" + locID, patch, 403},
		{"finance reads", fin, "GET", "/v1/apps", nil, 403},
		{"app manager writes", e.creds, "PATCH", "/v1/appStoreVersionLocalizations/" + locID, patch, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.doWith(tc.creds, tc.method, tc.path, tc.body)
			if r.status != tc.status {
				t.Fatalf("status = %d, want %d: %s", r.status, tc.status, r.raw)
			}
			if tc.status == 403 && r.errCode() != "FORBIDDEN_ERROR" {
				t.Errorf("code = %q", r.errCode())
			}
		})
	}
	if got, _ := e.srv.VersionLocalization("com.example.demo", "1.1", "en-US"); got["description"] != "x" {
		t.Errorf("description = %q after the developer's refused write and the manager's write", got["description"])
	}
}

func TestRateLimit(t *testing.T) {
	e := start(t, false, func(s *Server) { s.RateLimit = 3 })
	var headers []string
	for i := 0; i < 3; i++ {
		r := e.must(200, "GET", "/v1/apps", nil)
		headers = append(headers, r.header.Get("X-Rate-Limit"))
	}
	want := []string{"user-hour-lim:3;user-hour-rem:2;", "user-hour-lim:3;user-hour-rem:1;", "user-hour-lim:3;user-hour-rem:0;"}
	for i := range want {
		if headers[i] != want[i] {
			t.Errorf("request %d: X-Rate-Limit = %q, want %q", i+1, headers[i], want[i])
		}
	}
	r := e.do("GET", "/v1/apps", nil)
	if r.status != 429 || r.errCode() != "RATE_LIMIT_EXCEEDED" {
		t.Fatalf("4th request = %d %s, want 429 RATE_LIMIT_EXCEEDED", r.status, r.errCode())
	}
	e.clock.Advance(59 * time.Minute)
	if r := e.do("GET", "/v1/apps", nil); r.status != 429 {
		t.Errorf("after 59 min = %d, want 429 (rolling hour)", r.status)
	}
	e.clock.Advance(time.Minute)
	if r := e.do("GET", "/v1/apps", nil); r.status != 200 {
		t.Errorf("after an hour = %d, want 200", r.status)
	}
	// Another key has its own budget.
	other, _ := e.srv.AddKey(KeyOptions{RateLimit: 10})
	if r := e.doWith(other, "GET", "/v1/apps", nil); r.header.Get("X-Rate-Limit") != "user-hour-lim:10;user-hour-rem:9;" {
		t.Errorf("other key X-Rate-Limit = %q", r.header.Get("X-Rate-Limit"))
	}
}

// TestZeroValue uses a Server without NewServer: ServeHTTP on a recorder.
func TestZeroValue(t *testing.T) {
	var s Server
	tok, err := s.Credentials().Token(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/v1/apps?filter[bundleId]=com.example.demo", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"bundleId":"com.example.demo.pro"`) {
		t.Fatalf("zero value: %d %s", rec.Code, rec.Body.String())
	}
	if n := s.CountAPI("GET", "/v1/apps"); n != 1 {
		t.Errorf("CountAPI = %d, want 1", n)
	}
}
