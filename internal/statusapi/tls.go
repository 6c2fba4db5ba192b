package statusapi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/storesyncer/storesyncer/internal/workspace"
)

// TLSConfig turns TLS on for the API. With CertFile and KeyFile from the config they are
// used as they are; with Generate, a self-signed certificate for Names is made in those
// paths when they do not exist (its key 0600).
type TLSConfig struct {
	CertFile, KeyFile string
	// Generate makes the certificate when CertFile is absent.
	Generate bool
	// Names are the DNS names and IP addresses the generated certificate is valid for.
	Names []string
}

// Fingerprint is the SHA-256 of a certificate's DER bytes, as colon-separated upper-case
// hex ("AB:CD:…"), the form browsers show.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	parts := make([]string, 0, len(sum))
	for i := 0; i < len(h); i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ":")
}

// loadTLS reads (or, with Generate, first makes) the certificate and returns it with its
// fingerprint.
func loadTLS(c TLSConfig, now time.Time) (tls.Certificate, string, error) {
	if c.Generate {
		if _, err := os.Stat(c.CertFile); errors.Is(err, fs.ErrNotExist) {
			if err := generateCert(c, now); err != nil {
				return tls.Certificate{}, "", fmt.Errorf("make the API's TLS certificate: %w", err)
			}
		}
	}
	cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("api TLS certificate %s: %w", c.CertFile, err)
	}
	return cert, Fingerprint(cert.Certificate[0]), nil
}

// generateCert writes a self-signed ECDSA P-256 certificate valid for two years.
func generateCert(c TLSConfig, now time.Time) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "StoreSyncer daemon"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(2 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range append([]string{"localhost", "127.0.0.1", "::1"}, c.Names...) {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if n != "" {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	if err := writeFile0600(c.KeyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})); err != nil {
		return err
	}
	return writeFile0600(c.CertFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func writeFile0600(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return workspace.WriteFileAtomic(path, b, 0o600)
}

// pinnedTLS is a client TLS config that accepts exactly the certificate whose Fingerprint is
// fp: the daemon's certificate is self-signed, and the invitation and `status` show it.
func pinnedTLS(fp string) *tls.Config {
	want := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(fp), ":", ""))
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // replaced by the pin below
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return errors.New("the daemon sent no certificate")
			}
			if got := strings.ReplaceAll(Fingerprint(raw[0]), ":", ""); got != want {
				return fmt.Errorf("the daemon's certificate has fingerprint %s, not the one expected: check the address", Fingerprint(raw[0]))
			}
			return nil
		},
	}
}

// CertFingerprint returns the Fingerprint of the first certificate of the PEM file path (the
// daemon's, for a CLI on the same machine).
func CertFingerprint(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("api TLS certificate: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "CERTIFICATE" {
		return "", fmt.Errorf("api TLS certificate %s: not a PEM certificate", path)
	}
	return Fingerprint(blk.Bytes), nil
}
