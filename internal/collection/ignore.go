package collection

import "strings"

// IsIgnored reports whether a file or folder named name (a base name, not a path) is litter
// that StoreSyncer never reads, uploads or reports: dot files and folders (.DS_Store, ._x
// AppleDouble files, .x.swp, .#x, .goutputstream-x, .storesyncer), Finder's "Icon\r", and the
// temporary and backup files editors and office suites leave while saving (DESIGN.md §2,
// daemon-anchors.md §2.3). The watcher uses the same rule, so the two never disagree.
func IsIgnored(name string) bool {
	if name == "" || name[0] == '.' {
		return true // .DS_Store, ._x, .x.swp/.swo/.swx, .#x, .sb-x, .goutputstream-x, .~lock.x#
	}
	switch name {
	case "Icon\r", "Thumbs.db", "desktop.ini", "Desktop.ini", "ehthumbs.db", "__MACOSX":
		return true
	}
	if isVimProbe(name) {
		return true
	}
	for _, p := range ignoredPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	for _, s := range ignoredSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	if strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#") {
		return true // emacs auto-save #x#
	}
	return strings.Contains(name, ".sb-") // TextEdit safe-save x.sb-<hex>-<rand>
}

// ignoredPrefixes are name prefixes of temporary files.
var ignoredPrefixes = []string{
	"~$",          // Microsoft Office owner file
	"~syncthing~", // Syncthing on Windows
	"flymake_",    // emacs flymake
}

// ignoredSuffixes are name suffixes of temporary and backup files.
var ignoredSuffixes = []string{
	"~",                    // vim, emacs and gedit backups
	"___jb_tmp___",         // JetBrains safe write
	"___jb_old___",         // JetBrains safe write
	"___jb_bak___",         // JetBrains backup
	".swp", ".swo", ".swx", // vim swap files that lost their dot (some sync tools)
	".tmp", ".temp", // generic temporaries (Sublime's .subl*.tmp, Syncthing, installers)
	".bck",          // helix
	".crdownload",   // Chrome download in progress
	".part",         // Firefox and curl downloads in progress
	".download",     // Safari download in progress
	"-go-tmp-umask", // Go's os.WriteFile probes
	".kate-swp",     // Kate
}

// isVimProbe reports whether name is one of the numbered probe files vim creates to test
// whether it may write a folder: 4913, then 5036, 5159, … in steps of 123.
func isVimProbe(name string) bool {
	if len(name) < 4 || len(name) > 6 {
		return false
	}
	n := 0
	for _, r := range name {
		if r < '0' || r > '9' {
			return false
		}
		n = n*10 + int(r-'0')
	}
	return n >= 4913 && (n-4913)%123 == 0
}
