package daemon

import (
	"slices"
	"strings"
	"testing"
)

// TestQuietWarningsStayOutOfStatus: a German keyword line past 100 bytes (but within 100
// characters) is a keyword.bytes warning in the daemon's status until the config quiets it;
// either way it is uploaded.
func TestQuietWarningsStayOutOfStatus(t *testing.T) {
	keywords := strings.Repeat("Größe,", 16) + "Maß"
	isBytes := func(p Problem) bool { return p.Code == "keyword.bytes" && p.Path == "keyword/de-DE.txt" }
	for _, quiet := range []bool{false, true} {
		extra := ""
		if quiet {
			extra = "\n[collection]\nquiet = [\"keyword.bytes\"]\n"
		}
		e := newEnv(t, envOptions{extra: extra})
		writeFile(t, e.coll("keyword", "de-DE.txt"), []byte(keywords+"\n"))
		e.waitRemote("de-DE", "keywords", keywords)
		if !quiet {
			e.waitFor("the keyword.bytes warning in status", func() bool { return slices.ContainsFunc(e.d.Snapshot().Problems, isBytes) })
			continue
		}
		if slices.ContainsFunc(e.d.Snapshot().Problems, isBytes) {
			t.Errorf("quiet = [\"keyword.bytes\"], yet status shows it: %+v", e.d.Snapshot().Problems)
		}
	}
}
