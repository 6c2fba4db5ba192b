//go:build unix

package safefile

import (
	"os"
	"syscall"
)

// openFlags never follow a final link and never block on a FIFO or device.
const openFlags = syscall.O_NOFOLLOW | syscall.O_NONBLOCK

// clearNonblock makes reads of the (regular) file f blocking again, as os.File expects of a
// regular file.
func clearNonblock(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = syscall.SetNonblock(int(fd), false) }); err != nil {
		return err
	}
	return serr
}
