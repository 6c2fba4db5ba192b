package ascapitest

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// Faults configure injected failures. Endpoint keys are "METHOD PATTERN", where PATTERN is a
// route pattern ("/v1/appScreenshots/{id}"), a path.Match glob over the request path
// ("/v1/appScreenshots/*") or an exact path; the key "upload" means upload part PUTs.
// Probabilities are drawn from a rand seeded with Seed, so a run is reproducible.
type Faults struct {
	// Latency delays every answer (real time; for the command, not for tests).
	Latency time.Duration
	// ErrorRate answers a matching request 500 without applying it, with the given probability.
	ErrorRate map[string]float64
	// Applied5xx applies a matching write and then answers 500 anyway, with the given probability.
	Applied5xx map[string]float64
	// Applied503 is Applied5xx answering 503.
	Applied503 map[string]float64
	// DropConn closes the connection of a matching request without an answer and without
	// applying it, with the given probability.
	DropConn map[string]float64
	// FailParts makes the next FailParts upload part PUTs fail with 500 (nothing stored).
	FailParts int
	// ProcessingFail makes the next ProcessingFail committed assets end FAILED.
	ProcessingFail int
	// Stuck makes the next Stuck committed assets stay UPLOAD_COMPLETE forever.
	Stuck int
	// Seed seeds the fault dice.
	Seed int64
}

// oneShot is a programmatic fault for the next matching request.
type oneShot struct {
	method, pattern string
	status          int
	applied         bool
	drop            bool
}

// FailNext makes the next request with method (any when "") matching pattern answer status.
// With applied the write happens first (Apple's "applied but answered 500"); otherwise
// nothing is applied. Several calls queue up in order.
func (s *Server) FailNext(method, pattern string, status int, applied bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	s.oneShots = append(s.oneShots, oneShot{method: method, pattern: pattern, status: status, applied: applied})
}

// DropNext closes the connection of the next request matching method and pattern without an
// answer and without applying it.
func (s *Server) DropNext(method, pattern string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	s.oneShots = append(s.oneShots, oneShot{method: method, pattern: pattern, drop: true})
}

// SetFaults replaces the fault configuration; it is safe to call while serving.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initLocked()
	s.Faults = f
	s.dice = newDice(f.Seed)
}

// matchEndpoint reports whether key ("METHOD PATTERN" or "upload") covers a request.
func matchEndpoint(key string, kind Kind, method, route, p string) bool {
	if key == "upload" || key == "download" {
		return string(kind) == key
	}
	m, pat, ok := strings.Cut(key, " ")
	if !ok {
		m, pat = "", key
	}
	return matchRequest(m, pat, method, route, p)
}

func matchRequest(m, pat, method, route, p string) bool {
	if m != "" && !strings.EqualFold(m, method) {
		return false
	}
	if pat == route || pat == p {
		return true
	}
	ok, _ := path.Match(pat, p)
	return ok
}

// faultPlan is what the fault hooks decided for one request.
type faultPlan struct {
	status  int  // answer this status (5xx) instead of the real one
	applied bool // apply the request before answering status
	drop    bool
	name    string
}

// planFaultLocked decides the injected fault for a request, consuming one-shot faults.
func (s *Server) planFaultLocked(kind Kind, method, route, p string) faultPlan {
	for i, o := range s.oneShots {
		if (o.pattern == "upload" && kind == KindUpload && (o.method == "" || o.method == method)) ||
			(kind == KindAPI && matchRequest(o.method, o.pattern, method, route, p)) {
			s.oneShots = append(s.oneShots[:i:i], s.oneShots[i+1:]...)
			if o.drop {
				return faultPlan{drop: true, name: "drop_next"}
			}
			return faultPlan{status: o.status, applied: o.applied, name: "fail_next"}
		}
	}
	f := s.Faults
	if kind == KindUpload && f.FailParts > 0 {
		s.Faults.FailParts--
		return faultPlan{status: 500, name: "fail_parts"}
	}
	rules := []struct {
		rates map[string]float64
		plan  faultPlan
	}{
		{f.DropConn, faultPlan{drop: true, name: "drop_conn"}},
		{f.ErrorRate, faultPlan{status: 500, name: "error_rate"}},
		{f.Applied5xx, faultPlan{status: 500, applied: true, name: "applied_500"}},
		{f.Applied503, faultPlan{status: 503, applied: true, name: "applied_503"}},
	}
	for _, rule := range rules {
		// Sorted keys keep the dice draws, and so a seeded run, reproducible.
		for _, key := range sortedKeys(rule.rates) {
			if matchEndpoint(key, kind, method, route, p) && s.dice.roll(rule.rates[key]) {
				return rule.plan
			}
		}
	}
	return faultPlan{}
}

// takeProcessingFaultLocked returns the processing fault for an asset being committed.
func (s *Server) takeProcessingFaultLocked() (fail, stuck bool) {
	if s.Faults.Stuck > 0 {
		s.Faults.Stuck--
		return false, true
	}
	if s.Faults.ProcessingFail > 0 {
		s.Faults.ProcessingFail--
		return true, false
	}
	return false, false
}

// ParseFaults parses the --faults syntax: ';'-separated items, each "name=value" or
// "name:ENDPOINT=value". Names: latency=DURATION, seed=N, error_rate:EP=P, applied_500:EP=P
// (also applied_503), drop_conn:EP=P (EP "upload" for part PUTs), fail_parts=N,
// processing_fail=N, stuck=N. Example:
// "latency=100ms;error_rate:POST /v1/appScreenshots=0.2;drop_conn:upload=1;stuck=1".
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	for _, item := range strings.Split(spec, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		eq := strings.LastIndex(item, "=")
		if eq < 0 {
			return Faults{}, fmt.Errorf("fault %q: want name=value", item)
		}
		name, val := strings.TrimSpace(item[:eq]), strings.TrimSpace(item[eq+1:])
		name, ep, hasEP := strings.Cut(name, ":")
		bad := func(err error) (Faults, error) { return Faults{}, fmt.Errorf("fault %q: %w", item, err) }
		switch name {
		case "latency":
			d, err := time.ParseDuration(val)
			if err != nil {
				return bad(err)
			}
			f.Latency = d
		case "seed":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				return bad(err)
			}
			f.Seed = n
		case "fail_parts", "processing_fail", "stuck":
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				return bad(fmt.Errorf("want a count, got %q", val))
			}
			switch name {
			case "fail_parts":
				f.FailParts = n
			case "processing_fail":
				f.ProcessingFail = n
			default:
				f.Stuck = n
			}
		case "error_rate", "applied_500", "applied_503", "drop_conn":
			if !hasEP || strings.TrimSpace(ep) == "" {
				return bad(fmt.Errorf("want %s:ENDPOINT=probability", name))
			}
			p, err := strconv.ParseFloat(val, 64)
			if err != nil || p < 0 || p > 1 {
				return bad(fmt.Errorf("want a probability in [0,1], got %q", val))
			}
			m := map[string]*map[string]float64{"error_rate": &f.ErrorRate, "applied_500": &f.Applied5xx,
				"applied_503": &f.Applied503, "drop_conn": &f.DropConn}[name]
			if *m == nil {
				*m = map[string]float64{}
			}
			(*m)[strings.TrimSpace(ep)] = p
		default:
			return bad(fmt.Errorf("unknown fault %q", name))
		}
	}
	return f, nil
}
