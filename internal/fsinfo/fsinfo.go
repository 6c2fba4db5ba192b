// Package fsinfo tells which kind of file system holds a path, so StoreSyncer can warn when
// the workspace or the state dir is on a network file system: fsnotify does not see changes
// made there by other machines, and SQLite's locking is unreliable there.
package fsinfo

import "io/fs"

// FSInfo describes the file system that holds a path. The zero value means "not known":
// an unnamed file system that is not known to be networked.
type FSInfo struct {
	// Type names the file system for people: "NFS", "SMB", "FUSE", "ext2/3/4", "apfs", …;
	// "0xABCD1234" for a Linux magic number it does not know; "" when this OS gives no
	// way to tell.
	Type string
	// Network is true for file systems that may be shared with other machines (NFS,
	// SMB/CIFS, AFP, WebDAV, 9P, AFS, Ceph, …) and for FUSE, which is how sshfs and other
	// remote mounts are made.
	Network bool
}

// Known reports whether the file system could be identified at all.
func (i FSInfo) Known() bool { return i.Type != "" }

// FileSystem returns the kind of file system that holds path, which must exist. On Linux it
// reads statfs's magic number; on macOS and FreeBSD statfs's type name; on other systems it
// returns the zero FSInfo and no error. Its error is an *fs.PathError (errors.Is with
// fs.ErrNotExist works). It is safe for concurrent use.
func FileSystem(path string) (FSInfo, error) {
	info, err := statfs(path)
	if err != nil {
		return FSInfo{}, &fs.PathError{Op: "statfs", Path: path, Err: err}
	}
	return info, nil
}
