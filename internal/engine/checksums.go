package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/safefile"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// ChecksumsFile is the file, inside a collection's .storesyncer folder, that maps the MD5 of a
// pulled image to App Store Connect's sourceFileChecksum of the asset it came from (Apple
// re-encodes images, so the two never match).
const ChecksumsFile = "checksums.json"

// checksumMap maps local file MD5s to remote checksums. The zero value is empty.
type checksumMap map[string]string

type checksumsDoc struct {
	// Checksums maps a local file's MD5 to the remote sourceFileChecksum.
	Checksums map[string]string `json:"checksums"`
}

func checksumsPath(dir string) string {
	return filepath.Join(dir, collection.MetaDir, ChecksumsFile)
}

// readChecksums reads the collection's map; a missing file is an empty map, a broken one an
// error naming the file.
func readChecksums(dir string) (checksumMap, error) {
	path := checksumsPath(dir)
	b, err := safefile.ReadRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return checksumMap{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var doc checksumsDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("read %s: %w (delete it to re-upload pulled images once)", path, err)
	}
	if doc.Checksums == nil {
		doc.Checksums = map[string]string{}
	}
	return doc.Checksums, nil
}

// writeChecksums writes the map atomically, creating .storesyncer.
func writeChecksums(dir string, m checksumMap) error {
	if err := safefile.CheckWrite(dir, filepath.Join(dir, collection.MetaDir)); err != nil { // .storesyncer/ may be a link from git
		return fmt.Errorf("write checksums: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, collection.MetaDir), 0o755); err != nil {
		return fmt.Errorf("write checksums: %w", err)
	}
	b, err := json.MarshalIndent(checksumsDoc{Checksums: m}, "", "  ")
	if err != nil {
		return fmt.Errorf("write checksums: %w", err)
	}
	return workspace.WriteFileAtomic(checksumsPath(dir), append(b, '\n'), 0o644)
}
