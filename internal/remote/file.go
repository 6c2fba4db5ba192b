package remote

import (
	"fmt"
	"os"
	"time"
)

// OpenFile opens path as an AssetFile: a verified file, with no second hash. hashed is the
// modification time of the file when its checksum was computed (zero: not checked); a file
// modified since is refused with ErrFileChanged before anything is sent. Parts are read from
// the open file as they are sent; an editor that saves by renaming a new file into place
// leaves the opened one intact, and Verify catches a file written in place (its size or
// modification time moved). Apple checks the MD5 at the commit as well.
func OpenFile(path string, hashed time.Time) (AssetFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return VerifiedFile(f, hashed)
}

// VerifiedFile is OpenFile for a file already open (safely, by the caller); it takes f over
// and closes it on error.
func VerifiedFile(f *os.File, hashed time.Time) (AssetFile, error) {
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: not a regular file", f.Name())
	}
	if !hashed.IsZero() && !fi.ModTime().Equal(hashed) {
		f.Close()
		return nil, fmt.Errorf("%s: %w", f.Name(), ErrFileChanged)
	}
	return &verifiedFile{File: f, size: fi.Size(), mtime: fi.ModTime()}, nil
}

type verifiedFile struct {
	*os.File
	size  int64
	mtime time.Time
}

func (f *verifiedFile) Size() int64 { return f.size }

func (f *verifiedFile) Verify() error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name(), err)
	}
	if fi.Size() != f.size || !fi.ModTime().Equal(f.mtime) {
		return fmt.Errorf("%s: %w", f.Name(), ErrFileChanged)
	}
	return nil
}
