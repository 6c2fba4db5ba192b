package ascapitest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MainKeyID is the key ID of every Server's main team key.
const MainKeyID = "SIMKEY0001"

// ReadKeyFile returns the main key that an earlier WriteCredentials left in dir
// (dir/AuthKey_SIMKEY0001.p8), or nil when there is none. Give it to Server.MainKeyPEM so the
// files written before keep working.
func ReadKeyFile(dir string) ([]byte, error) {
	path := filepath.Join(dir, "AuthKey_"+MainKeyID+".p8")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	if _, err := parsePrivateKey(data); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

// SaveCredentials is what `simulator --write-credentials DIR` does. The first time (no
// DIR/config.toml) it writes the key and a complete config as WriteCredentials does, with the
// local API on a free loopback port. Later it keeps the key file and every line of the
// config, and only updates, in the [[account]] whose key_id is creds.KeyID, what this run
// changes: api_base_url, and rate_window (set when window is not Apple's hour, removed when
// it is). It reports whether it updated an existing config.
func SaveCredentials(dir string, creds Credentials, baseURL string, window time.Duration) (updated bool, err error) {
	cfgPath := filepath.Join(dir, "config.toml")
	old, err := os.ReadFile(cfgPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		apiListen, err := FreeLoopbackAddr()
		if err != nil {
			return false, err
		}
		if err := WriteCredentials(dir, creds, baseURL, apiListen); err != nil {
			return false, err
		}
		if window <= 0 || window == DefaultRateWindow {
			return false, nil
		}
		old, err = os.ReadFile(cfgPath)
		if err != nil {
			return false, fmt.Errorf("write config: %w", err)
		}
	case err != nil:
		return false, fmt.Errorf("read config: %w", err)
	default:
		updated = true
		keyPath := filepath.Join(dir, "AuthKey_"+creds.KeyID+".p8")
		if _, err := os.Stat(keyPath); errors.Is(err, fs.ErrNotExist) {
			if err := os.WriteFile(keyPath, creds.PrivateKeyPEM, 0o600); err != nil {
				return false, fmt.Errorf("write key file: %w", err)
			}
		}
	}
	text, err := updateAccountLines(string(old), creds.KeyID, baseURL, window)
	if err != nil {
		return false, fmt.Errorf("%s: %w", cfgPath, err)
	}
	if text == string(old) {
		return updated, nil
	}
	return updated, writeFileAtomic(cfgPath, []byte(text), 0o600)
}

var (
	tableLine   = regexp.MustCompile(`^\s*\[`)
	keyIDLine   = regexp.MustCompile(`^\s*key_id\s*=\s*"([^"]*)"`)
	baseURLLine = regexp.MustCompile(`^\s*api_base_url\s*=`)
	windowLine  = regexp.MustCompile(`^\s*rate_window\s*=`)
)

// updateAccountLines sets api_base_url and rate_window in the [[account]] block of text whose
// key_id is keyID, keeping every other line as it was.
func updateAccountLines(text, keyID, baseURL string, window time.Duration) (string, error) {
	lines := strings.SplitAfter(text, "\n")
	start, end := -1, len(lines)
	for i, l := range lines {
		if tableLine.MatchString(l) {
			if start >= 0 {
				end = i
				break
			}
			continue
		}
		if m := keyIDLine.FindStringSubmatch(l); m != nil && m[1] == keyID {
			for start = i; start > 0 && !tableLine.MatchString(lines[start]); start-- {
			}
		}
	}
	if start < 0 {
		return "", fmt.Errorf("no [[account]] with key_id = %q to point at the simulator (add one, or write the credentials into a new folder)", keyID)
	}
	block := append([]string(nil), lines[start:end]...)
	// Keep the block's trailing blank and comment lines after whatever is added.
	last := len(block)
	for last > 1 && (strings.TrimSpace(block[last-1]) == "" || strings.HasPrefix(strings.TrimSpace(block[last-1]), "#")) {
		last--
	}
	if last > 0 && !strings.HasSuffix(block[last-1], "\n") {
		block[last-1] += "\n"
	}
	set := func(re *regexp.Regexp, line string) {
		for i, l := range block {
			if re.MatchString(l) {
				if line == "" {
					block = append(block[:i], block[i+1:]...)
				} else {
					block[i] = line
				}
				return
			}
		}
		if line != "" {
			block = append(block[:last], append([]string{line}, block[last:]...)...)
			last++
		}
	}
	set(baseURLLine, "api_base_url = "+strconv.Quote(baseURL)+"\n")
	windowValue := ""
	if window > 0 && window != DefaultRateWindow {
		windowValue = "rate_window = " + strconv.Quote(formatDuration(window)) + "\n"
	}
	set(windowLine, windowValue)
	out := append(append(append([]string(nil), lines[:start]...), block...), lines[end:]...)
	return strings.Join(out, ""), nil
}

// formatDuration spells d the short way a person writes it ("1m", not "1m0s").
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// writeFileAtomic writes data to a temporary file beside path and renames it over path.
func writeFileAtomic(path string, data []byte, mode fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
