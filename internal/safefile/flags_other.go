//go:build !unix

package safefile

import "os"

// openFlags: this OS has no O_NOFOLLOW or O_NONBLOCK; Check and the Fstat comparison do
// the work.
const openFlags = 0

func clearNonblock(*os.File) error { return nil }
