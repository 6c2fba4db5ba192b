package main

import (
	"os"
	"strings"
	"testing"
)

// TestQuietSilencesWarningsInValidateAndPlan checks [collection] quiet end to end: the
// keyword.bytes warning of a German keyword line (≤ 100 characters, > 100 bytes) is printed
// by validate and plan until the config quiets it, and then by neither.
func TestQuietSilencesWarningsInValidateAndPlan(t *testing.T) {
	e := newSyncEnv(t).added()
	e.write("keyword/de-DE.txt", []byte(strings.Repeat("Größe,", 16)+"Maß"))
	check := func(want bool) {
		t.Helper()
		_, out, _ := e.run("validate", e.path("main", ""))
		if got := strings.Contains(out, "keyword.bytes"); got != want {
			t.Errorf("validate prints keyword.bytes: %v, want %v\n%s", got, want, out)
		}
		_, out, errOut := e.run("plan")
		if got := strings.Contains(out+errOut, "keyword.bytes"); got != want {
			t.Errorf("plan prints keyword.bytes: %v, want %v\n%s%s", got, want, out, errOut)
		}
	}
	check(true)
	f, err := os.OpenFile(e.cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\n[collection]\nquiet = [\"keyword.bytes\"]\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	check(false)
}
