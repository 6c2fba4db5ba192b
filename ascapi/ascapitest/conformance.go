package ascapitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/storesyncer/storesyncer/ascapi/internal/spec"
)

// TB is the part of testing.TB that conformance checks use.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Cleanup(func())
	Fatalf(format string, args ...any)
}

// Violation is one way an exchange broke Apple's OpenAPI document.
type Violation struct {
	Method, Path string
	Status       int
	// Side is "request" or "response".
	Side    string
	Problem string
}

// String formats the violation for a test failure.
func (v Violation) String() string {
	return fmt.Sprintf("%s %s → %d: %s: %s", v.Method, v.Path, v.Status, v.Side, v.Problem)
}

// Conformance checks exchanges against the trimmed App Store Connect OpenAPI document with
// kin-openapi (request and response schemas, declared statuses), and additionally counts
// undeclared query parameters as violations. It is safe for concurrent use; the zero value
// is not usable, use NewConformance.
type Conformance struct {
	router routers.Router
	doc    *openapi3.T

	mu         sync.Mutex
	violations []Violation
	checked    int
	ops        map[string]int // "METHOD /pattern" → exchanges checked
}

var (
	loadOnce  sync.Once
	loadedDoc *openapi3.T
	loadedRtr routers.Router
	loadErr   error
)

func loadSpec() {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(spec.Trimmed)
	if err != nil {
		loadErr = fmt.Errorf("load trimmed spec: %w", err)
		return
	}
	doc.Servers = nil // match any host: the simulator listens on loopback
	rtr, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		loadErr = fmt.Errorf("route trimmed spec: %w", err)
		return
	}
	loadedDoc, loadedRtr = doc, rtr
}

// NewConformance returns a checker over the committed trimmed document.
func NewConformance() (*Conformance, error) {
	loadOnce.Do(loadSpec)
	if loadErr != nil {
		return nil, loadErr
	}
	return &Conformance{router: loadedRtr, doc: loadedDoc}, nil
}

// EnableConformance makes the server check every API exchange from now on and report each
// violation through tb.Errorf when the test ends.
func (s *Server) EnableConformance(tb TB) *Conformance {
	tb.Helper()
	c, err := NewConformance()
	if err != nil {
		tb.Fatalf("conformance: %v", err)
		return nil
	}
	s.mu.Lock()
	s.initLocked()
	s.conformance = c
	s.mu.Unlock()
	tb.Cleanup(func() {
		for _, v := range c.Violations() {
			tb.Errorf("App Store Connect conformance: %s", v)
		}
	})
	return c
}

// Operations returns how many exchanges were checked per operation of the document, keyed
// "METHOD /v1/pattern/{id}".
func (c *Conformance) Operations() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.ops))
	for k, v := range c.ops {
		out[k] = v
	}
	return out
}

// Violations returns the violations seen so far.
func (c *Conformance) Violations() []Violation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Violation(nil), c.violations...)
}

// Checked returns how many exchanges were checked.
func (c *Conformance) Checked() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.checked
}

func (c *Conformance) add(v Violation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.violations = append(c.violations, v)
}

// Middleware wraps an App Store Connect handler (a simulator or a recording proxy) so that
// every exchange through it is checked.
func (c *Conformance) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		c.Check(r, body, rec.status, w.Header(), rec.body.Bytes())
	})
}

type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(s int) { r.status = s; r.ResponseWriter.WriteHeader(s) }
func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// Check validates one exchange: the request r with body reqBody and the answer.
func (c *Conformance) Check(r *http.Request, reqBody []byte, status int, header http.Header, respBody []byte) {
	c.check(r, reqBody, status, header, respBody)
}

func (c *Conformance) check(r *http.Request, reqBody []byte, status int, header http.Header, respBody []byte) {
	c.mu.Lock()
	c.checked++
	c.mu.Unlock()
	v := Violation{Method: r.Method, Path: r.URL.Path, Status: status}
	problem := func(side, p string) {
		v.Side, v.Problem = side, p
		c.add(v)
	}
	req := r.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	u := *r.URL
	req.URL = &u
	route, pathParams, err := c.router.FindRoute(req)
	if err != nil {
		problem("request", "no such operation in the document: "+err.Error())
		return
	}
	c.mu.Lock()
	if c.ops == nil {
		c.ops = map[string]int{}
	}
	c.ops[r.Method+" "+route.Path]++
	c.mu.Unlock()
	for _, name := range undeclaredQuery(route, r.URL.Query()) {
		problem("request", fmt.Sprintf("query parameter %q is not declared for this operation", name))
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		problem("request", err.Error())
	}
	if status == http.StatusTooManyRequests || status >= 500 {
		// Apple answers 429, and 500/503 under load, on every operation although the document
		// declares them nowhere: check the body against ErrorResponse directly.
		var body any
		if err := json.Unmarshal(respBody, &body); err != nil {
			problem("response", fmt.Sprintf("%d body is not JSON", status))
			return
		}
		if err := c.doc.Components.Schemas["ErrorResponse"].Value.VisitJSON(body); err != nil {
			problem("response", err.Error())
		}
		return
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header,
		Body: io.NopCloser(bytes.NewReader(respBody)), Options: opts}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		problem("response", err.Error())
	}
}

// undeclaredQuery lists query keys the operation does not declare (cursor excepted: Apple's
// next links carry it undeclared).
func undeclaredQuery(route *routers.Route, q url.Values) []string {
	known := map[string]bool{"cursor": true}
	for _, list := range []openapi3.Parameters{route.PathItem.Parameters, route.Operation.Parameters} {
		for _, p := range list {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				known[p.Value.Name] = true
			}
		}
	}
	var out []string
	for k := range q {
		if !known[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
