package collection

import "testing"

func TestIsIgnored(t *testing.T) {
	ignored := []string{
		".DS_Store", "._1.png", "Icon\r", ".localized", ".Spotlight-V100", ".Trashes", ".fseventsd",
		".storesyncer", ".git", ".1.png.swp", ".en-US.txt.swo", ".en-US.txt.swx", "4913", "5036", "5159",
		"en-US.txt~", "en-US.txt___jb_tmp___", "en-US.txt___jb_old___", "en-US.txt___jb_bak___",
		"#en-US.txt#", ".#en-US.txt", ".sb-1a2b3c4d-XyZ", "en-US.txt.sb-6c3f2b1a-Qm9x", "~$Report.docx",
		".~lock.en-US.txt#", ".goutputstream-ABC123", ".subl1a2.tmp", "x.tmp", "Thumbs.db", "desktop.ini",
		"1.png.crdownload", "1.png.part", "file-go-tmp-umask", "~syncthing~1.png.tmp", "__MACOSX", "",
	}
	kept := []string{
		"en-US.txt", "1.png", "10.jpeg", "APP_IPHONE_67", "screenshot", "description", "README.md",
		"Icon", "Icon.png", "4912", "5000", "49130", "tmp.png", "a~b.png", "#1.png", "sb-1.png", "1.swp.png",
	}
	for _, name := range ignored {
		if !IsIgnored(name) {
			t.Errorf("IsIgnored(%q) = false, want true", name)
		}
	}
	for _, name := range kept {
		if IsIgnored(name) {
			t.Errorf("IsIgnored(%q) = true, want false", name)
		}
	}
}
