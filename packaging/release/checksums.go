package release

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// checksumsFile is the file in Dist that lists the SHA-256 of every other artefact.
const checksumsFile = "checksums.txt"

// writeChecksums writes checksumsFile in the format `sha256sum -c` reads.
func writeChecksums(dist string, arts []Artefact) error {
	var b strings.Builder
	for _, a := range arts {
		sum, err := sha256File(filepath.Join(dist, a.Path))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, a.Path)
	}
	return os.WriteFile(filepath.Join(dist, checksumsFile), []byte(b.String()), 0o644)
}

func sha256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("checksum %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
