package service

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
)

// PrivacyError reports a workspace the process may not read because of macOS privacy
// protection (TCC): a LaunchAgent gets EPERM, and no prompt, for ~/Documents, ~/Desktop,
// ~/Downloads and removable volumes unless its executable has Full Disk Access.
type PrivacyError struct {
	// Path is the workspace.
	Path string
	// Folder is the protected folder it is in ("~/Documents"), or "" when it is elsewhere
	// (a removable or network volume).
	Folder string
	// Executable is the binary to grant Full Disk Access to.
	Executable string
	Err        error
}

// Error gives the fix: Full Disk Access, or a workspace outside the protected folders.
func (e *PrivacyError) Error() string {
	move := "or move the workspace to a folder outside ~/Documents, ~/Desktop and ~/Downloads"
	if e.Folder != "" {
		move = "or move the workspace out of " + e.Folder + " (for example to ~/StoreSyncer)"
	}
	return fmt.Sprintf("workspace %s is not readable by the StoreSyncer service (macOS privacy protection): grant Full Disk Access to %s in System Settings › Privacy & Security › Full Disk Access, %s",
		e.Path, e.Executable, move)
}

// Unwrap returns the underlying EPERM error.
func (e *PrivacyError) Unwrap() error { return e.Err }

// CheckReadable reports whether the current process can list workspace. On macOS an EPERM
// becomes a *PrivacyError with the fix; other failures are returned wrapped.
func CheckReadable(workspace string) error {
	home, _ := os.UserHomeDir()
	exe, err := os.Executable()
	if err != nil {
		exe = "storesyncer"
	}
	return checkReadable(workspace, runtime.GOOS, home, exe, os.ReadDir)
}

func checkReadable(workspace, goos, home, exe string, readDir func(string) ([]os.DirEntry, error)) error {
	_, err := readDir(workspace)
	if err == nil {
		return nil
	}
	if goos == Darwin && errors.Is(err, syscall.EPERM) {
		return &PrivacyError{Path: workspace, Folder: protectedFolder(workspace, home), Executable: exe, Err: err}
	}
	return fmt.Errorf("read workspace %s: %w", workspace, err)
}

// protectedFolder returns "~/Documents" (or Desktop, Downloads) when path is inside it.
func protectedFolder(path, home string) string {
	if home == "" {
		return ""
	}
	for _, name := range []string{"Documents", "Desktop", "Downloads"} {
		dir := filepath.Join(home, name)
		if path == dir || strings.HasPrefix(path, dir+string(filepath.Separator)) {
			return "~/" + name
		}
	}
	return ""
}
