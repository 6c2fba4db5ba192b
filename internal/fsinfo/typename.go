package fsinfo

import "strings"

// bsdNetworkTypes are the statfs f_fstypename values of network and FUSE file systems on
// macOS and FreeBSD.
var bsdNetworkTypes = map[string]string{
	"nfs":     "NFS",
	"smbfs":   "SMB",
	"cifs":    "CIFS",
	"afpfs":   "AFP",
	"webdav":  "WebDAV",
	"ftp":     "FTP",
	"macfuse": "FUSE",
	"osxfuse": "FUSE",
	"fusefs":  "FUSE",
	"fuse":    "FUSE",
	"p9fs":    "9P",
}

// fromTypeName classifies a macOS or FreeBSD statfs f_fstypename ("apfs", "smbfs", …).
// FUSE file systems may add a suffix ("fusefs.sshfs", "macfuse_sshfs"), so prefixes count.
func fromTypeName(name string) FSInfo {
	lower := strings.ToLower(name)
	if t, ok := bsdNetworkTypes[lower]; ok {
		return FSInfo{Type: t, Network: true}
	}
	for _, prefix := range []string{"macfuse", "osxfuse", "fusefs", "fuse"} {
		if strings.HasPrefix(lower, prefix) {
			return FSInfo{Type: "FUSE", Network: true}
		}
	}
	return FSInfo{Type: name}
}
