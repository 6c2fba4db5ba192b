//go:build darwin || freebsd || netbsd || openbsd

package collection

import (
	"io/fs"
	"syscall"
)

// sysStat returns the status-change time (Unix nanoseconds) and inode of fi.
func sysStat(fi fs.FileInfo) (ctime int64, inode uint64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0
	}
	return int64(st.Ctimespec.Sec)*1e9 + int64(st.Ctimespec.Nsec), uint64(st.Ino)
}
