package fsinfo

import "testing"

func BenchmarkFileSystem(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if _, err := FileSystem(dir); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFromMagic(b *testing.B) {
	for b.Loop() {
		_ = fromMagic(0xFF534D42)
	}
}
