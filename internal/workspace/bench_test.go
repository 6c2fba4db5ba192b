package workspace

import (
	"fmt"
	"testing"
)

// BenchmarkApps100 measures reading a workspace of 100 apps (what the daemon does on each
// rescan).
func BenchmarkApps100(b *testing.B) {
	w := newWorkspace(b)
	for i := 0; i < 100; i++ {
		addApp(b, w, fmt.Sprintf("com.example.app%03d", i))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		apps, err := w.Apps()
		if err != nil || len(apps) != 100 {
			b.Fatal(err)
		}
	}
}
