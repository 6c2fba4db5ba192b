// Package safefile reads the files of a workspace, which is untrusted input (it comes from
// git): a symbolic link is followed only when its target stays inside a root folder, and a
// FIFO, socket or device is never opened for reading, so a link cannot publish a file from
// elsewhere and a special file cannot hang a read.
//
// Hard links cannot be told apart from ordinary files: a hard link to a file outside the root
// is read like any other file. Git does not store hard links, so a workspace cloned from git
// holds none; one made by hand on the machine is the machine owner's doing.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Reason says why a path is refused.
type Reason string

// The reasons an *Error gives.
const (
	// LinkOutside: a symbolic link whose target is outside the root.
	LinkOutside Reason = "link outside"
	// LinkParent: a symbolic link to a folder that holds the link (the root included).
	LinkParent Reason = "link to a parent"
	// LinkLoop: symbolic links that lead back to themselves.
	LinkLoop Reason = "link loop"
	// LinkDangling: a symbolic link whose target does not exist.
	LinkDangling Reason = "dangling link"
	// Special: a FIFO, socket, device or other file that is neither regular nor a folder.
	Special Reason = "special file"
	// Changed: the file was replaced between the check and the open (a link or another file
	// swapped in).
	Changed Reason = "changed"
)

// Error reports a path that is not read, and why. Path is the name as the caller gave it.
type Error struct {
	Path   string
	Reason Reason
	// Kind names a special file's type ("FIFO", "socket", "device"); "" otherwise.
	Kind string
}

// Error says what the path is, in words meant for the person who owns the workspace.
func (e *Error) Error() string {
	return e.Path + ": " + e.Describe()
}

// Describe says what is wrong without the path, for messages that name it already.
func (e *Error) Describe() string {
	switch e.Reason {
	case LinkOutside:
		return "symbolic link to a file outside the folder; not read (copy the file in instead)"
	case LinkParent:
		return "symbolic link to a folder that holds it; not read"
	case LinkLoop:
		return "symbolic link loop; not read"
	case LinkDangling:
		return "symbolic link to nothing (its target does not exist); not read"
	case Special:
		return fmt.Sprintf("a %s, not a regular file; not read", e.Kind)
	case Changed:
		return "replaced while being read (by a link or another file); not read, try again"
	}
	return string(e.Reason)
}

// IsRefused reports whether err is (or wraps) an *Error, and returns it.
func IsRefused(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// specialKind names the type of a file that is neither regular, a folder nor a link.
func specialKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "FIFO"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return "device"
	}
	return "special file"
}

// within reports whether p is root or inside it; both must be clean absolute paths.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Checked is what Check found: the file itself (after a link inside the root) and where it is.
type Checked struct {
	// Info is the Lstat of the file itself: a regular file or a folder, never a link.
	Info fs.FileInfo
	// Resolved is the absolute path of the file with every link resolved.
	Resolved string
	// Link is true when name itself, or a folder on its way, is a symbolic link.
	Link bool
}

// Check tells what name (relative to root, or absolute inside it) is without opening it:
// Lstat first, then where its links (its own, or a folder's on the way) lead. A regular file
// or folder, directly or through links that stay inside root, returns its Checked; anything
// else an *Error. Other errors (a missing file, no permission) are returned as the file
// system gave them.
func Check(root, name string) (Checked, error) {
	abs := name
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(root, filepath.FromSlash(name))
	}
	li, err := os.Lstat(abs)
	if err != nil {
		return Checked{}, err
	}
	isLink := li.Mode()&fs.ModeSymlink != 0
	if !isLink && !li.Mode().IsRegular() && !li.IsDir() {
		return Checked{}, &Error{Path: name, Reason: Special, Kind: specialKind(li.Mode())}
	}
	if isLink {
		if _, err := os.Stat(abs); err != nil {
			switch {
			case errors.Is(err, syscall.ELOOP):
				return Checked{}, &Error{Path: name, Reason: LinkLoop}
			case errors.Is(err, fs.ErrNotExist):
				return Checked{}, &Error{Path: name, Reason: LinkDangling}
			}
			return Checked{}, err
		}
	}
	// Every path is resolved, not only a final link: a folder on the way may have been
	// swapped for a link since it was listed. Most paths hold no link below root at all,
	// which a few Lstats prove without resolving root itself.
	if !isLink && noLinkBelow(root, abs) {
		return Checked{Info: li, Resolved: abs}, nil
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return Checked{}, err
	}
	target, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Checked{}, &Error{Path: name, Reason: LinkDangling}
		}
		return Checked{}, &Error{Path: name, Reason: LinkLoop}
	}
	if !within(realRoot, target) {
		return Checked{}, &Error{Path: name, Reason: LinkOutside}
	}
	ti := li
	if isLink {
		if ti, err = os.Lstat(target); err != nil {
			return Checked{}, err
		}
	}
	switch {
	case ti.IsDir() && isLink:
		home, err := filepath.EvalSymlinks(filepath.Dir(abs))
		if err != nil {
			return Checked{}, err
		}
		if within(target, home) {
			return Checked{}, &Error{Path: name, Reason: LinkParent}
		}
	case !ti.IsDir() && !ti.Mode().IsRegular():
		return Checked{}, &Error{Path: name, Reason: Special, Kind: specialKind(ti.Mode())}
	}
	return Checked{Info: ti, Resolved: target, Link: target != abs}, nil
}

// noLinkBelow reports whether abs is lexically inside root (no ".." on the way) and no folder
// between root and abs is a symbolic link; abs itself is not looked at.
func noLinkBelow(root, abs string) bool {
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == "." || filepath.IsAbs(rel) {
		return false
	}
	parts := strings.Split(rel, string(filepath.Separator))
	p := root
	for _, part := range parts[:len(parts)-1] {
		if part == ".." || part == "." || part == "" {
			return false
		}
		p = filepath.Join(p, part)
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeSymlink != 0 || !fi.IsDir() {
			return false
		}
	}
	return parts[len(parts)-1] != ".."
}

// CheckWrite makes sure that path, inside root and perhaps not made yet, really is inside it
// before something is written or removed there: the deepest part of path that exists is
// checked with Check, so a write never goes through a link out of root (a collection from
// git may hold one, say screenshot/ pointing at another folder). It returns Check's refusal.
func CheckWrite(root, path string) error {
	for p := path; p != root && len(p) > len(root); p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil {
			_, err := Check(root, p)
			return err
		}
	}
	return nil
}

// afterCheck, when set by a test, runs between Open's check and its open: the window a
// swapped-in link would use.
var afterCheck func(resolved string)

// Open opens the regular file name inside root for reading, the safe way: it checks name
// first (Check), opens the file the check found without following a link and without
// blocking (a FIFO swapped in cannot hang it), and compares the open file with what the
// check saw (Fstat), so a link or file swapped in between is caught. It returns the file and
// its Fstat. Refusals are *Error; the file is closed by the caller.
func Open(root, name string) (*os.File, fs.FileInfo, error) {
	c, err := Check(root, name)
	if err != nil {
		return nil, nil, err
	}
	if c.Info.IsDir() {
		return nil, nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EISDIR}
	}
	if afterCheck != nil {
		afterCheck(c.Resolved)
	}
	f, err := os.OpenFile(c.Resolved, os.O_RDONLY|openFlags, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) { // a link swapped in after the check
			return nil, nil, &Error{Path: name, Reason: Changed}
		}
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, &Error{Path: name, Reason: Special, Kind: specialKind(fi.Mode())}
	}
	if !os.SameFile(fi, c.Info) {
		f.Close()
		return nil, nil, &Error{Path: name, Reason: Changed}
	}
	if err := clearNonblock(f); err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// ReadFile reads the regular file name inside root, as Open opens it.
func ReadFile(root, name string) ([]byte, error) {
	f, fi, err := Open(root, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, 0, fi.Size()+1)
	for {
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// ReadRegular reads the file at path, which must be a regular file itself, not a link nor a
// special file: for the single files StoreSyncer reads from the workspace outside a
// collection (app.toml, lease and checksum notes).
func ReadRegular(path string) ([]byte, error) {
	return ReadFile(filepath.Dir(path), filepath.Base(path))
}
