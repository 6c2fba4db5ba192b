package fsinfo

import "golang.org/x/sys/unix"

func statfs(path string) (FSInfo, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return FSInfo{}, err
	}
	// f_type is a signed long of 32 or 64 bits depending on the architecture; the magic
	// numbers are 32-bit, so keep the low 32 bits (0xFF534D42 is negative as an int32).
	return fromMagic(uint32(st.Type)), nil
}
