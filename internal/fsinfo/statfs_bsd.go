//go:build darwin || freebsd

package fsinfo

import (
	"strings"

	"golang.org/x/sys/unix"
)

func statfs(path string) (FSInfo, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return FSInfo{}, err
	}
	return fromTypeName(cString(st.Fstypename[:])), nil
}

// cString is b up to its first NUL.
func cString(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\x00")
	return s
}
