package config

import (
	"strings"
)

// keyLines finds the line of each key in a TOML file. BurntSushi/toml does not export key
// positions, so the file is scanned: table headers, array-of-table headers (counting
// [[account]] entries so each account's keys are found in its own block) and key = value
// lines, skipping comments and multi-line strings.
type keyLines struct {
	// lines maps a dotted key and its array index (-1 outside arrays of tables) to the
	// 1-based line of its first occurrence.
	lines map[lineKey]int
}

type lineKey struct {
	key   string
	index int
}

func scanKeyLines(data []byte) keyLines {
	kl := keyLines{lines: make(map[lineKey]int)}
	table, index := "", -1
	arrays := map[string]int{}
	inMulti := "" // the delimiter of an open multi-line string
	for i, raw := range strings.Split(string(data), "\n") {
		n := i + 1
		line := raw
		if inMulti != "" {
			end := strings.Index(line, inMulti)
			if end < 0 {
				continue
			}
			line = line[end+len(inMulti):]
			inMulti = ""
			if strings.TrimSpace(stripComment(line)) == "" {
				continue
			}
		}
		line = strings.TrimSpace(stripComment(line))
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "[["):
			name := normalizeKey(strings.TrimSuffix(strings.TrimPrefix(line, "[["), "]]"))
			table, index = name, arrays[name]
			arrays[name]++
			kl.add(name, index, n)
			continue
		case strings.HasPrefix(line, "["):
			name := normalizeKey(strings.TrimSuffix(strings.TrimPrefix(line, "["), "]"))
			table, index = name, -1
			kl.add(name, index, n)
			continue
		}
		eq := indexOutsideQuotes(line, '=')
		if eq < 0 {
			continue
		}
		key := normalizeKey(line[:eq])
		if table != "" {
			key = table + "." + key
		}
		kl.add(key, index, n)
		value := strings.TrimSpace(line[eq+1:])
		for _, d := range []string{`"""`, `'''`} {
			if strings.HasPrefix(value, d) && !strings.Contains(value[len(d):], d) {
				inMulti = d
			}
		}
	}
	return kl
}

func (kl keyLines) add(key string, index, line int) {
	k := lineKey{key, index}
	if _, ok := kl.lines[k]; !ok {
		kl.lines[k] = line
	}
	// Also remember the first occurrence of the key in any array entry.
	if index >= 0 {
		first := lineKey{key, anyIndex}
		if _, ok := kl.lines[first]; !ok {
			kl.lines[first] = line
		}
	}
}

// line returns the line of key in array entry index (-1 outside arrays of tables, anyIndex
// for the first entry that holds it). A key inside an inline table falls back to the line
// of its enclosing key. It returns 0 when the key is not found.
func (kl keyLines) line(key string, index int) int {
	for {
		if n, ok := kl.lines[lineKey{key, index}]; ok {
			return n
		}
		dot := strings.LastIndex(key, ".")
		if dot < 0 {
			return 0
		}
		key = key[:dot]
	}
}

// anyIndex asks keyLines.line for the first array entry that holds a key.
const anyIndex = -2

// stripComment drops a # comment that is not inside a string.
func stripComment(s string) string {
	if i := indexOutsideQuotes(s, '#'); i >= 0 {
		return s[:i]
	}
	return s
}

// indexOutsideQuotes returns the index of the first c outside "…" and '…' strings, or -1.
func indexOutsideQuotes(s string, c byte) int {
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quote != 0:
			if ch == '\\' && quote == '"' {
				i++
			} else if ch == quote {
				quote = 0
			}
		case ch == '"' || ch == '\'':
			quote = ch
		case ch == c:
			return i
		}
	}
	return -1
}

// normalizeKey turns `a . "b c"` into "a.b c": trimmed parts, quotes removed.
func normalizeKey(s string) string {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if len(p) >= 2 && (p[0] == '"' || p[0] == '\'') && p[len(p)-1] == p[0] {
			p = p[1 : len(p)-1]
		}
		parts[i] = p
	}
	return strings.Join(parts, ".")
}
