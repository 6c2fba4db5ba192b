package ascapitest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Role is the App Store Connect role of an API key; it decides what the key may do.
type Role string

// The roles the simulator distinguishes.
const (
	// RoleAppManager may read and write everything the simulator serves (the default).
	RoleAppManager Role = "APP_MANAGER"
	// RoleAdmin is the same as RoleAppManager here.
	RoleAdmin Role = "ADMIN"
	// RoleDeveloper may read but every write is answered 403 FORBIDDEN_ERROR.
	RoleDeveloper Role = "DEVELOPER"
	// RoleFinance may do nothing the simulator serves: every request is 403 FORBIDDEN_ERROR.
	RoleFinance Role = "FINANCE"
)

// Credentials are what a client needs to sign tokens for one simulator key. IssuerID is empty
// for an individual key (whose tokens carry sub "user" instead of iss).
type Credentials struct {
	IssuerID      string
	KeyID         string
	PrivateKeyPEM []byte // PKCS#8 PEM, like Apple's AuthKey_<KEYID>.p8
}

// Individual reports whether the credentials are an individual (sub "user") key.
func (c Credentials) Individual() bool { return c.IssuerID == "" }

// Token signs an ES256 token the way a well-behaved client does: iat one minute back,
// exp 14 minutes ahead of now.
func (c Credentials) Token(now time.Time) (string, error) {
	return c.TokenWith(now.Add(-time.Minute), now.Add(14*time.Minute))
}

// TokenWith signs an ES256 token with the given iat and exp; tests use it to build tokens the
// simulator must refuse.
func (c Credentials) TokenWith(iat, exp time.Time) (string, error) {
	key, err := parsePrivateKey(c.PrivateKeyPEM)
	if err != nil {
		return "", err
	}
	claims := jwt.MapClaims{"aud": "appstoreconnect-v1", "iat": iat.Unix(), "exp": exp.Unix()}
	if c.Individual() {
		claims["sub"] = "user"
	} else {
		claims["iss"] = c.IssuerID
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
	tok.Header["kid"] = c.KeyID
	s, err := tok.SignedString(key)
	if err != nil {
		return "", fmt.Errorf("sign token for key %s: %w", c.KeyID, err)
	}
	return s, nil
}

// KeyOptions describe an extra API key for AddKey.
type KeyOptions struct {
	// Individual makes an individual key: tokens carry sub "user" and no iss.
	Individual bool
	// Role defaults to RoleAppManager.
	Role Role
	// RateLimit overrides Server.RateLimit for this key when positive.
	RateLimit int
	// PrivateKeyPEM is the key's PKCS#8 PEM private key; empty generates one.
	PrivateKeyPEM []byte
}

// apiKey is one key the simulator accepts.
type apiKey struct {
	id        string
	issuer    string // "" for individual keys
	role      Role
	rateLimit int
	public    *ecdsa.PublicKey
	creds     Credentials
}

// newAPIKey generates a P-256 key pair; n numbers the key so IDs are stable per server.
func newAPIKey(n int, opts KeyOptions) (*apiKey, error) {
	var priv *ecdsa.PrivateKey
	var err error
	if opts.PrivateKeyPEM != nil {
		priv, err = parsePrivateKey(opts.PrivateKeyPEM)
	} else {
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		return nil, fmt.Errorf("key %d: %w", n, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("marshal key: %w", err)
	}
	k := &apiKey{
		id:        fmt.Sprintf("SIMKEY%04d", n),
		role:      opts.Role,
		rateLimit: opts.RateLimit,
		public:    &priv.PublicKey,
	}
	if k.role == "" {
		k.role = RoleAppManager
	}
	if !opts.Individual {
		k.issuer = fmt.Sprintf("69a6de7f-0000-47e3-e053-5b8c7c11a4d%d", n%10)
	}
	k.creds = Credentials{IssuerID: k.issuer, KeyID: k.id,
		PrivateKeyPEM: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})}
	return k, nil
}

func (k *apiKey) canRead() bool  { return k.role != RoleFinance }
func (k *apiKey) canWrite() bool { return k.role == RoleAppManager || k.role == RoleAdmin }

func parsePrivateKey(pemBytes []byte) (*ecdsa.PrivateKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil || !strings.Contains(block.Type, "PRIVATE KEY") {
		return nil, fmt.Errorf("parse private key: no PEM private key block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse private key: %w", err)
	}
	ec, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("parse private key: not an EC key")
	}
	return ec, nil
}
