package ascapi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
)

func TestParseKey(t *testing.T) {
	good := newKey(t)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	goodPEM := keyPEM(t, good)
	garbage := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("SECRETBYTES-not-der")})
	tests := []struct {
		name    string
		in      []byte
		wantErr string
	}{
		{"good", goodPEM, ""},
		{"not pem", []byte("hello, I am not a key"), "not a PEM file"},
		{"ec private key block", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: []byte{1}}), `"EC PRIVATE KEY"`},
		{"not pkcs8", garbage, "not a PKCS#8"},
		{"rsa", keyPEM(t, rsaKey), "want an EC P-256 key"},
		{"p384", keyPEM(t, p384), "want P-256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseKey(tt.in)
			if tt.wantErr == "" {
				if err != nil || !k.Equal(good) {
					t.Fatalf("ParseKey = %v, %v; want the key", k, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ParseKey error = %v, want it to contain %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "SECRETBYTES") {
				t.Errorf("error echoes key bytes: %v", err)
			}
		})
	}
}

func parseToken(tb testing.TB, token string, k *ecdsa.PrivateKey, at time.Time) (jwt.MapClaims, map[string]any) {
	tb.Helper()
	claims := jwt.MapClaims{}
	parsed, err := jwt.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return &k.PublicKey, nil },
		jwt.WithValidMethods([]string{"ES256"}), jwt.WithTimeFunc(func() time.Time { return at }), jwt.WithAudience(audience))
	if err != nil {
		tb.Fatalf("token does not verify: %v", err)
	}
	return claims, parsed.Header
}

func TestTokenClaims(t *testing.T) {
	key := newKey(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		creds Credentials
		want  jwt.MapClaims
	}{
		{
			name:  "team key",
			creds: Credentials{IssuerID: "issuer-1", KeyID: "KEY1", PrivateKey: key},
			want:  jwt.MapClaims{"iss": "issuer-1", "aud": "appstoreconnect-v1", "iat": float64(now.Unix() - 60), "exp": float64(now.Add(14 * time.Minute).Unix())},
		},
		{
			name:  "individual key",
			creds: Credentials{Individual: true, KeyID: "KEY2", PrivateKey: key},
			want:  jwt.MapClaims{"sub": "user", "aud": "appstoreconnect-v1", "iat": float64(now.Unix() - 60), "exp": float64(now.Add(14 * time.Minute).Unix())},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := &tokenSource{creds: tt.creds, now: func() time.Time { return now }}
			tok, err := ts.Token()
			if err != nil {
				t.Fatal(err)
			}
			claims, header := parseToken(t, tok, key, now)
			if diff := cmp.Diff(tt.want, claims); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
			if header["kid"] != tt.creds.KeyID || header["alg"] != "ES256" || header["typ"] != "JWT" {
				t.Errorf("header = %v", header)
			}
			if life := claims["exp"].(float64) - claims["iat"].(float64); life > 20*60 {
				t.Errorf("exp - iat = %v s, over Apple's 20 min", life)
			}
		})
	}
}

func TestTokenReuseAndRefresh(t *testing.T) {
	clock := newFakeClock()
	ts := &tokenSource{creds: teamCreds(t), now: clock.Now}
	first, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(11*time.Minute + 59*time.Second) // 2 min 1 s left: reuse
	second, _ := ts.Token()
	if second != first {
		t.Error("token re-signed while more than 2 min remained")
	}
	clock.Advance(2 * time.Second) // 1 min 59 s left: refresh
	third, _ := ts.Token()
	if third == first {
		t.Error("token not refreshed with less than 2 min left")
	}
	claims, _ := parseToken(t, third, ts.creds.PrivateKey, clock.Now())
	if got, want := int64(claims["iat"].(float64)), clock.Now().Unix()-60; got != want {
		t.Errorf("refreshed iat = %d, want %d", got, want)
	}
}

func TestCredentialsValidate(t *testing.T) {
	k := newKey(t)
	tests := []struct {
		name  string
		creds Credentials
		ok    bool
	}{
		{"team", Credentials{IssuerID: "i", KeyID: "k", PrivateKey: k}, true},
		{"individual", Credentials{Individual: true, KeyID: "k", PrivateKey: k}, true},
		{"no key id", Credentials{IssuerID: "i", PrivateKey: k}, false},
		{"no key", Credentials{IssuerID: "i", KeyID: "k"}, false},
		{"team without issuer", Credentials{KeyID: "k", PrivateKey: k}, false},
		{"individual with issuer", Credentials{Individual: true, IssuerID: "i", KeyID: "k", PrivateKey: k}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewClient(tt.creds)
			if (err == nil) != tt.ok {
				t.Errorf("NewClient error = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
