package ascapi

import (
	"strconv"
	"strings"
)

// RateLimit is the key's hourly budget as reported by the X-Rate-Limit header. Known is false
// when no answer carried the header yet.
type RateLimit struct {
	Limit     int
	Remaining int
	Known     bool
}

// ParseRateLimit parses an X-Rate-Limit value such as "user-hour-lim:3600;user-hour-rem:3121;".
// Unknown pairs and malformed parts are ignored; Known is true only when both numbers were
// present.
func ParseRateLimit(v string) RateLimit {
	var rl RateLimit
	var haveLim, haveRem bool
	for _, part := range strings.Split(v, ";") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(val))
		if err != nil || n < 0 {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "user-hour-lim":
			rl.Limit, haveLim = n, true
		case "user-hour-rem":
			rl.Remaining, haveRem = n, true
		}
	}
	rl.Known = haveLim && haveRem
	if !rl.Known {
		return RateLimit{}
	}
	return rl
}
