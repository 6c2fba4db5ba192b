package engine

import (
	"fmt"
	"time"

	"github.com/storesyncer/storesyncer/internal/plan"
	"github.com/storesyncer/storesyncer/internal/remote"
	"github.com/storesyncer/storesyncer/internal/safefile"
)

// fileSource opens one set's local files for remote.Apply, found by the checksum the plan
// carries (the collection's hash): Apply opens them at the start of the group's job and
// reads each part as it sends it.
type fileSource struct {
	// dir is the collection: a file is read only inside it (safefile), so a link swapped in
	// after the plan cannot upload a file from elsewhere.
	dir   string
	set   plan.Key
	files map[string]localFile
}

// localFile is a set's file as the collection hashed it: its path, size and modification
// time then.
type localFile struct {
	path    string
	size    int64
	modTime time.Time
}

var _ remote.AssetSource = fileSource{}

// Open opens the file of a.
func (s fileSource) Open(a plan.Asset) (remote.AssetFile, error) {
	lf, ok := s.files[a.Checksum]
	if !ok {
		return nil, fmt.Errorf("%s: no local file of %s: %w", s.set, a.Name, remote.ErrFileChanged)
	}
	f, _, err := safefile.Open(s.dir, lf.path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", lf.path, err)
	}
	return remote.VerifiedFile(f, lf.modTime)
}
