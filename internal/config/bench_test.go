package config

import "testing"

// BenchmarkParseExample measures loading the fully uncommented example config.
func BenchmarkParseExample(b *testing.B) {
	data := []byte(commentedKey.ReplaceAllString(readExample(b), "$1"))
	e := linuxEnv(nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := parseEnv(data, "/etc/config.toml", e); err != nil {
			b.Fatal(err)
		}
	}
}
