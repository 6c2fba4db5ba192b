package collection

import "strings"

// NaturalLess reports whether file name a sorts before b in natural order: runs of digits
// compare by their numeric value, so "2.png" comes before "10.png". Other runs compare
// case-insensitively; names equal under these rules fall back to plain byte order, so the
// order is total and stable.
func NaturalLess(a, b string) bool {
	if c := naturalCompare(a, b); c != 0 {
		return c < 0
	}
	return a < b
}

func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := isDigit(a[0]), isDigit(b[0])
		switch {
		case da && db:
			na, ra := splitDigits(a)
			nb, rb := splitDigits(b)
			if c := compareNumbers(na, nb); c != 0 {
				return c
			}
			a, b = ra, rb
		case da != db:
			if da {
				return -1 // digits before letters, as Finder shows them
			}
			return 1
		default:
			ta, ra := splitText(a)
			tb, rb := splitText(b)
			if c := strings.Compare(strings.ToLower(ta), strings.ToLower(tb)); c != 0 {
				return c
			}
			a, b = ra, rb
		}
	}
	return len(a) - len(b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func splitDigits(s string) (string, string) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

func splitText(s string) (string, string) {
	i := 0
	for i < len(s) && !isDigit(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

// compareNumbers compares two digit strings by value without converting them, so any length
// works; "007" and "7" are equal here.
func compareNumbers(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}
