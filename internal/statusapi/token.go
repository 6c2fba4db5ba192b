package statusapi

import (
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// tokenBytes is the token's length before hex encoding.
const tokenBytes = 32

// ensureToken returns the token stored in path, creating the file (0600, 32 random bytes as
// hex) when it is absent and narrowing its permissions to 0600 when they are wider. The token
// itself never reaches the log or an error.
func ensureToken(path string, rnd io.Reader, log *slog.Logger) (string, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return createToken(path, rnd, log)
	case err != nil:
		return "", fmt.Errorf("token file: %w", err)
	case !info.Mode().IsRegular():
		return "", fmt.Errorf("token file %s is not a regular file", path)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		log.Warn("token file was readable by others; narrowing it to 0600", "path", path, "mode", fmt.Sprintf("%#o", perm))
		if err := os.Chmod(path, 0o600); err != nil {
			return "", fmt.Errorf("narrow token file permissions: %w", err)
		}
	}
	return readToken(path)
}

// readToken reads and checks the token in path.
func readToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("token file: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("token file %s is empty: delete it and restart the daemon to make a new one", path)
	}
	if strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("token file %s holds more than one line", path)
	}
	return tok, nil
}

// createToken writes a new token atomically: a 0600 temp file in the same folder, then rename.
func createToken(path string, rnd io.Reader, log *slog.Logger) (string, error) {
	raw := make([]byte, tokenBytes)
	if _, err := io.ReadFull(rnd, raw); err != nil {
		return "", fmt.Errorf("make token: %w", err)
	}
	tok := hex.EncodeToString(raw)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("token file folder: %w", err)
	}
	f, err := os.CreateTemp(dir, ".api-token-*")
	if err != nil {
		return "", fmt.Errorf("token file: %w", err)
	}
	defer os.Remove(f.Name()) // no-op after the rename
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return "", fmt.Errorf("token file: %w", err)
	}
	if _, err := f.WriteString(tok + "\n"); err != nil {
		f.Close()
		return "", fmt.Errorf("write token file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", fmt.Errorf("write token file: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write token file: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return "", fmt.Errorf("token file: %w", err)
	}
	log.Info("created API token file", "path", path)
	return tok, nil
}

// tokenEqual compares in constant time so the answer's timing says nothing about the token.
func tokenEqual(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
