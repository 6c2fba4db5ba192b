package ascapi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token timing (asc-api.md §1.2): App Store Connect rejects tokens whose exp − iat exceeds
// 20 minutes; iat is back-dated for clock skew and that counts against the budget.
const (
	tokenBackdate = 60 * time.Second
	tokenLifetime = 14 * time.Minute
	tokenRefresh  = 2 * time.Minute
	audience      = "appstoreconnect-v1"
)

// Credentials identify one App Store Connect API key. A team key has an IssuerID; an
// individual key sets Individual and has no IssuerID. The zero value is not usable.
type Credentials struct {
	IssuerID   string
	Individual bool
	KeyID      string
	PrivateKey *ecdsa.PrivateKey
}

func (c Credentials) validate() error {
	switch {
	case c.KeyID == "":
		return errors.New("credentials: key ID is empty")
	case c.PrivateKey == nil:
		return errors.New("credentials: private key is missing")
	case c.Individual && c.IssuerID != "":
		return errors.New("credentials: an individual key has no issuer ID")
	case !c.Individual && c.IssuerID == "":
		return errors.New("credentials: issuer ID is empty (set it, or mark the key as individual)")
	}
	return nil
}

// ParseKey parses the contents of an App Store Connect .p8 file: a PEM block holding a PKCS#8
// EC P-256 private key. Its errors never include key bytes.
func ParseKey(pemBytes []byte) (*ecdsa.PrivateKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("parse private key: not a PEM file (expected a .p8 file starting with -----BEGIN PRIVATE KEY-----)")
	}
	if block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("parse private key: PEM block is %q, want \"PRIVATE KEY\" (PKCS#8)", block.Type)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, errors.New("parse private key: not a PKCS#8 private key")
	}
	ec, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("parse private key: key is %T, want an EC P-256 key", k)
	}
	if ec.Curve != elliptic.P256() {
		return nil, fmt.Errorf("parse private key: curve is %s, want P-256", ec.Curve.Params().Name)
	}
	return ec, nil
}

// tokenSource signs and caches the JWT. It is safe for concurrent use.
type tokenSource struct {
	creds Credentials
	now   func() time.Time

	mu     sync.Mutex
	token  string
	expiry time.Time
}

// Token returns a cached token while more than tokenRefresh of its life remains, else a new one.
func (s *tokenSource) Token() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.token != "" && s.expiry.Sub(now) > tokenRefresh {
		return s.token, nil
	}
	exp := now.Add(tokenLifetime)
	claims := jwt.MapClaims{
		"aud": audience,
		"iat": now.Add(-tokenBackdate).Unix(),
		"exp": exp.Unix(),
	}
	if s.creds.Individual {
		claims["sub"] = "user"
	} else {
		claims["iss"] = s.creds.IssuerID
	}
	t := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
	t.Header["kid"] = s.creds.KeyID
	signed, err := t.SignedString(s.creds.PrivateKey)
	if err != nil {
		return "", fmt.Errorf("sign token for key %s: %w", s.creds.KeyID, err)
	}
	s.token, s.expiry = signed, exp
	return signed, nil
}

// Expiry returns when the cached token expires; zero before the first token.
func (s *tokenSource) Expiry() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.expiry
}
