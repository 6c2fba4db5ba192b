//go:build windows

package daemon

import "os"

// processAlive reports whether a process with pid exists on this machine.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}
