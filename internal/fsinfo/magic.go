package fsinfo

import "fmt"

// Linux file-system magic numbers (statfs f_type; linux/magic.h and the file systems'
// sources). The network ones decide the warning; the local ones only name the type.
var linuxMagics = map[uint32]FSInfo{
	// Network and cluster file systems.
	0x6969:     {"NFS", true},
	0x517B:     {"SMB", true},
	0xFF534D42: {"CIFS", true},
	0xFE534D42: {"SMB2", true},
	0x65735546: {"FUSE", true}, // sshfs, rclone, s3fs, … (and local ntfs-3g: statfs cannot tell)
	0x01021997: {"9P", true},
	0x5346414F: {"AFS", true},
	0x6B414653: {"AFS", true}, // kAFS
	0x00C36400: {"Ceph", true},
	0x73757245: {"Coda", true},
	0x564C:     {"NCP", true},
	0x0BD00BD0: {"Lustre", true},
	0x47504653: {"GPFS", true},
	0x01161970: {"GFS2", true},
	0x7461636F: {"OCFS2", true},
	0x20030528: {"OrangeFS", true},

	// Local file systems.
	0xEF53:     {"ext2/3/4", false},
	0x58465342: {"xfs", false},
	0x9123683E: {"btrfs", false},
	0x2FC12FC1: {"zfs", false},
	0xF2F52010: {"f2fs", false},
	0xCA451A4E: {"bcachefs", false},
	0x52654973: {"reiserfs", false},
	0x3153464A: {"jfs", false},
	0x01021994: {"tmpfs", false},
	0x858458F6: {"ramfs", false},
	0x794C7630: {"overlay", false},
	0x73717368: {"squashfs", false},
	0x4D44:     {"vfat", false},
	0x2011BAB0: {"exfat", false},
	0x5346544E: {"ntfs", false},
	0x482B:     {"hfsplus", false},
	0x9660:     {"iso9660", false},
	0x15013346: {"udf", false},
	0x28CD3D45: {"cramfs", false},
	0xE0F5E1E2: {"erofs", false},
}

// fromMagic classifies a Linux statfs f_type. Unknown numbers are local: a warning on a
// file system nobody listed would be noise.
func fromMagic(magic uint32) FSInfo {
	if info, ok := linuxMagics[magic]; ok {
		return info
	}
	return FSInfo{Type: fmt.Sprintf("0x%X", magic)}
}
