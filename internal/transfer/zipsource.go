package transfer

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"
)

// openZipSource opens a ZIP and checks every entry before anything is read: names that would
// land outside the collection, symbolic links, duplicates and the bomb limits are refused.
func openZipSource(name string, limits Limits) (*source, error) {
	zr, err := zip.OpenReader(name)
	if err != nil {
		return nil, fmt.Errorf("open zip %s: %w", name, err)
	}
	s, err := zipSource(&zr.Reader, limits)
	if err != nil {
		zr.Close()
		return nil, fmt.Errorf("import %s: %w", name, err)
	}
	s.close = zr.Close
	return s, nil
}

// zipSource lists the entries of zr after checking them all.
func zipSource(zr *zip.Reader, limits Limits) (*source, error) {
	limits = limits.withDefaults()
	if len(zr.File) > limits.MaxEntries {
		return nil, &LimitError{What: "entries", Limit: int64(limits.MaxEntries)}
	}
	s := &source{dirs: map[string]bool{}, close: func() error { return nil }}
	seen := map[string]bool{}
	var total uint64
	for _, f := range zr.File {
		if reason := unsafeEntryReason(f); reason != "" {
			return nil, &UnsafeEntryError{Entry: f.Name, Reason: reason}
		}
		clean := strings.TrimSuffix(f.Name, "/")
		if seen[clean] {
			return nil, &UnsafeEntryError{Entry: f.Name, Reason: "appears twice in the archive"}
		}
		seen[clean] = true
		if f.Mode().IsDir() || strings.HasSuffix(f.Name, "/") {
			if !ignoredPath(clean) {
				s.dirs[clean] = true
			}
			continue
		}
		total += f.UncompressedSize64
		if total > uint64(limits.MaxTotalBytes) || f.UncompressedSize64 > uint64(limits.MaxTotalBytes) {
			return nil, &LimitError{Entry: f.Name, What: "expanded size", Limit: limits.MaxTotalBytes}
		}
		if f.UncompressedSize64 > ratioFloor {
			if f.CompressedSize64 == 0 || f.UncompressedSize64/f.CompressedSize64 > uint64(limits.MaxRatio) {
				return nil, &LimitError{Entry: f.Name, What: "compression ratio", Limit: limits.MaxRatio}
			}
		}
		if ignoredPath(clean) {
			continue
		}
		f := f
		s.files = append(s.files, srcFile{path: clean, size: int64(f.UncompressedSize64), open: func() (io.ReadCloser, error) {
			rc, err := f.Open()
			if err != nil {
				return nil, fmt.Errorf("zip entry %q: %w", f.Name, err)
			}
			return &capReader{r: rc, c: rc, left: int64(f.UncompressedSize64), name: f.Name}, nil
		}})
	}
	s.sortFiles()
	return s, nil
}

// unsafeEntryReason says why an entry may not be extracted, or returns "".
func unsafeEntryReason(f *zip.File) string {
	name := f.Name
	switch {
	case name == "" || name == "/":
		return "has an empty name"
	case !utf8.ValidString(name):
		return "has a name that is not UTF-8"
	case strings.ContainsRune(name, 0):
		return "has a NUL byte in its name"
	case strings.Contains(name, "\\"):
		return "contains a backslash (a Windows path); entries must use forward slashes"
	case strings.HasPrefix(name, "/"):
		return "is an absolute path"
	case len(name) >= 2 && name[1] == ':' && isASCIILetter(name[0]):
		return "starts with a Windows drive letter"
	}
	for _, c := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		switch c {
		case "..":
			return "climbs out of the collection with \"..\""
		case ".", "":
			return "has an empty or \".\" path component"
		}
	}
	m := f.Mode()
	switch {
	case m&fs.ModeSymlink != 0:
		return "is a symbolic link"
	case m.IsDir(), m.IsRegular():
		return ""
	default:
		return "is not a regular file or folder"
	}
}

func isASCIILetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

// capReader stops an entry that expands past the size its header declares: archive/zip checks
// this too, but the import must not trust that alone.
type capReader struct {
	r    io.Reader
	c    io.Closer
	left int64
	name string
}

var errEntryTooLong = errors.New("expands past its declared size")

func (r *capReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		// Probe one byte: more data means the header lied.
		var b [1]byte
		n, err := r.r.Read(b[:])
		if n > 0 || errors.Is(err, zip.ErrFormat) {
			// archive/zip may notice the overrun first and say ErrFormat.
			return 0, &UnsafeEntryError{Entry: r.name, Reason: errEntryTooLong.Error()}
		}
		if err == nil {
			err = io.EOF
		}
		return 0, err
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.r.Read(p)
	r.left -= int64(n)
	return n, err
}

func (r *capReader) Close() error { return r.c.Close() }
