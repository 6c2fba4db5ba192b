package engine

import (
	"fmt"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/safefile"
)

// fileSource gives remote.Apply the bytes of one set's local files, found by the checksum
// the plan carries. The file is read when Apply asks, at the start of the group's job;
// Apply checks the bytes against the checksum.
type fileSource struct {
	// dir is the collection: a file is read only inside it (safefile), so a link swapped in
	// after the plan cannot upload a file from elsewhere.
	dir   string
	set   plan.Key
	files map[string]string
}

var _ remote.AssetSource = fileSource{}

// Snapshot reads the file of a.
func (s fileSource) Snapshot(a plan.Asset) ([]byte, error) {
	path, ok := s.files[a.Checksum]
	if !ok {
		return nil, fmt.Errorf("%s: no local file of %s: %w", s.set, a.Name, remote.ErrFileChanged)
	}
	b, err := safefile.ReadFile(s.dir, path)
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", path, err)
	}
	return b, nil
}
