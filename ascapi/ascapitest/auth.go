package ascapitest

import (
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token lifetime rules (asc-api.md §1.2).
const (
	maxTokenLifetime = 20 * time.Minute
	// clockSkew is how far in the future iat may be before the token is refused.
	clockSkew = 60 * time.Second
)

// authenticateLocked checks the bearer token of r and returns the key that signed it, or a
// 401 NOT_AUTHORIZED error. It never puts the token into an error or a log.
func (s *Server) authenticateLocked(r *http.Request) (*apiKey, *apiError) {
	h := r.Header.Get("Authorization")
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || raw == "" {
		return nil, errNotAuthorized()
	}
	if v, ok := s.verified[raw]; ok {
		// Signature already checked; the claims' time rules are checked again below.
		if !s.claimsOK(v.key, v.claims) {
			return nil, errNotAuthorized()
		}
		return v.key, nil
	}
	var key *apiKey
	tok, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		key = s.keys[kid]
		if key == nil {
			return nil, jwt.ErrTokenUnverifiable
		}
		return key.public, nil
	}, jwt.WithValidMethods([]string{"ES256"}), jwt.WithoutClaimsValidation())
	if err != nil || !tok.Valid || key == nil {
		return nil, errNotAuthorized()
	}
	claims, ok := tok.Claims.(jwt.MapClaims)
	if !ok || !s.claimsOK(key, claims) {
		return nil, errNotAuthorized()
	}
	if len(s.verified) >= maxVerified {
		clear(s.verified)
	}
	s.verified[raw] = verifiedToken{key: key, claims: claims}
	return key, nil
}

// maxVerified bounds the cache of tokens whose signature was checked: clients reuse a token
// for many requests, and ES256 verification is the most expensive step of a request.
const maxVerified = 256

type verifiedToken struct {
	key    *apiKey
	claims jwt.MapClaims
}

func (s *Server) claimsOK(key *apiKey, c jwt.MapClaims) bool {
	aud, err := c.GetAudience()
	if err != nil || len(aud) != 1 || aud[0] != "appstoreconnect-v1" {
		return false
	}
	iss, _ := c.GetIssuer()
	sub, _ := c.GetSubject()
	if key.issuer == "" {
		if sub != "user" || iss != "" {
			return false
		}
	} else if iss != key.issuer {
		return false
	}
	iat, err1 := c.GetIssuedAt()
	exp, err2 := c.GetExpirationTime()
	if err1 != nil || err2 != nil || iat == nil || exp == nil {
		return false
	}
	now := s.now()
	switch {
	case exp.Sub(iat.Time) > maxTokenLifetime, exp.Sub(iat.Time) <= 0:
		return false
	case !now.Before(exp.Time):
		return false
	case iat.After(now.Add(clockSkew)):
		return false
	}
	return true
}
