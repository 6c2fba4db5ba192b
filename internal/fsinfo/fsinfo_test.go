package fsinfo

import (
	"errors"
	"io/fs"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFromMagic(t *testing.T) {
	tests := []struct {
		name  string
		magic uint32
		want  FSInfo
	}{
		{"NFS", 0x6969, FSInfo{"NFS", true}},
		{"SMB", 0x517B, FSInfo{"SMB", true}},
		{"CIFS", 0xFF534D42, FSInfo{"CIFS", true}},
		{"SMB2", 0xFE534D42, FSInfo{"SMB2", true}},
		{"FUSE (sshfs)", 0x65735546, FSInfo{"FUSE", true}},
		{"9P", 0x01021997, FSInfo{"9P", true}},
		{"AFS", 0x5346414F, FSInfo{"AFS", true}},
		{"Ceph", 0x00C36400, FSInfo{"Ceph", true}},
		{"Coda", 0x73757245, FSInfo{"Coda", true}},
		{"ext4", 0xEF53, FSInfo{"ext2/3/4", false}},
		{"xfs", 0x58465342, FSInfo{"xfs", false}},
		{"btrfs", 0x9123683E, FSInfo{"btrfs", false}},
		{"tmpfs", 0x01021994, FSInfo{"tmpfs", false}},
		{"overlay", 0x794C7630, FSInfo{"overlay", false}},
		{"unknown is local and named by its number", 0x12345678, FSInfo{"0x12345678", false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, fromMagic(tt.magic)); diff != "" {
				t.Errorf("fromMagic(%#x) (-want +got):\n%s", tt.magic, diff)
			}
		})
	}
}

// TestFromMagicSignExtended checks the conversion statfs_linux.go relies on: on 32-bit
// Linux f_type is an int32, so CIFS's magic arrives negative.
func TestFromMagicSignExtended(t *testing.T) {
	var fType int32 = -0x00ACB2BE // 0xFF534D42 as an int32
	if got := fromMagic(uint32(fType)); got != (FSInfo{"CIFS", true}) {
		t.Errorf("fromMagic(uint32(%d)) = %+v, want CIFS", fType, got)
	}
	var fType64 int64 = 0xFF534D42 // 64-bit Linux: a positive long
	if got := fromMagic(uint32(fType64)); got != (FSInfo{"CIFS", true}) {
		t.Errorf("fromMagic(uint32(%d)) = %+v, want CIFS", fType64, got)
	}
}

func TestFromTypeName(t *testing.T) {
	tests := []struct {
		name string
		want FSInfo
	}{
		{"nfs", FSInfo{"NFS", true}},
		{"smbfs", FSInfo{"SMB", true}},
		{"afpfs", FSInfo{"AFP", true}},
		{"webdav", FSInfo{"WebDAV", true}},
		{"macfuse", FSInfo{"FUSE", true}},
		{"osxfuse", FSInfo{"FUSE", true}},
		{"fusefs", FSInfo{"FUSE", true}},
		{"fusefs.sshfs", FSInfo{"FUSE", true}},
		{"p9fs", FSInfo{"9P", true}},
		{"NFS", FSInfo{"NFS", true}},
		{"apfs", FSInfo{"apfs", false}},
		{"hfs", FSInfo{"hfs", false}},
		{"msdos", FSInfo{"msdos", false}},
		{"ufs", FSInfo{"ufs", false}},
		{"zfs", FSInfo{"zfs", false}},
		{"", FSInfo{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, fromTypeName(tt.name)); diff != "" {
				t.Errorf("fromTypeName(%q) (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

// supported reports whether FileSystem really asks the OS here.
func supported() bool {
	switch runtime.GOOS {
	case "linux", "darwin", "freebsd":
		return true
	}
	return false
}

func TestFileSystemTempDirIsLocal(t *testing.T) {
	dir := t.TempDir()
	info, err := FileSystem(dir)
	if err != nil {
		t.Fatalf("FileSystem(%s): %v", dir, err)
	}
	if info.Network {
		t.Errorf("FileSystem(%s) = %+v, want a local file system", dir, info)
	}
	if supported() && !info.Known() {
		t.Errorf("FileSystem(%s) = %+v: no type on %s", dir, info, runtime.GOOS)
	}
}

func TestFileSystemMissingPath(t *testing.T) {
	if !supported() {
		t.Skipf("FileSystem cannot tell on %s and never fails there", runtime.GOOS)
	}
	missing := filepath.Join(t.TempDir(), "nope")
	_, err := FileSystem(missing)
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != missing || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("FileSystem(%s) error = %v, want a not-exist *fs.PathError naming the path", missing, err)
	}
}
