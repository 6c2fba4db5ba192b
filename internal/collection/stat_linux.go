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
	return st.Ctim.Sec*1e9 + st.Ctim.Nsec, st.Ino
}
