package ascapitest

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a started simulator with a client for raw HTTP.
type env struct {
	tb    testing.TB
	srv   *Server
	clock *fakeClock
	creds Credentials
	conf  *Conformance
}

type envOpt func(*Server)

// start runs a simulator on loopback with a fake clock and conformance checks on (unless
// conformance is false: for tests that send requests Apple's document forbids).
func start(tb testing.TB, conformance bool, opts ...envOpt) *env {
	tb.Helper()
	clk := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	srv, err := NewServer(tb, Options{Configure: func(s *Server) {
		s.Now = clk.Now
		for _, o := range opts {
			o(s)
		}
	}})
	if err != nil {
		tb.Fatalf("start simulator: %v", err)
	}
	e := &env{tb: tb, srv: srv, clock: clk, creds: srv.Credentials()}
	if conformance {
		e.conf = srv.EnableConformance(tb)
	}
	return e
}

type reply struct {
	status int
	header http.Header
	raw    []byte
	doc    map[string]any
}

// do sends an API request signed with the env's main key.
func (e *env) do(method, path string, body any) reply {
	e.tb.Helper()
	return e.doWith(e.creds, method, path, body)
}

func (e *env) doWith(creds Credentials, method, path string, body any) reply {
	e.tb.Helper()
	tok, err := creds.Token(e.clock.Now())
	if err != nil {
		e.tb.Fatalf("token: %v", err)
	}
	return e.raw(method, path, body, "Bearer "+tok)
}

func (e *env) raw(method, path string, body any, auth string) reply {
	e.tb.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.tb.Fatalf("marshal: %v", err)
		}
		rd = bytes.NewReader(b)
	}
	url := path
	if !strings.HasPrefix(path, "http") {
		url = e.srv.URL() + path
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		e.tb.Fatalf("request: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, header: resp.Header, raw: raw}
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.doc); err != nil {
			e.tb.Fatalf("%s %s: bad JSON: %v", method, path, err)
		}
	}
	return r
}

// must checks the status and returns the reply.
func (e *env) must(status int, method, path string, body any) reply {
	e.tb.Helper()
	r := e.do(method, path, body)
	if r.status != status {
		e.tb.Fatalf("%s %s = %d, want %d: %s", method, path, r.status, status, r.raw)
	}
	return r
}

// errCode returns the first error's code of an error reply.
func (r reply) errCode() string {
	errs, _ := r.doc["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	code, _ := errs[0].(map[string]any)["code"].(string)
	return code
}

func (r reply) errDetail() string {
	errs, _ := r.doc["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	d, _ := errs[0].(map[string]any)["detail"].(string)
	return d
}

// data returns the primary data of a single-resource document.
func (r reply) data() map[string]any {
	d, _ := r.doc["data"].(map[string]any)
	return d
}

// list returns the primary data of a collection document.
func (r reply) list() []map[string]any {
	var out []map[string]any
	items, _ := r.doc["data"].([]any)
	for _, it := range items {
		out = append(out, it.(map[string]any))
	}
	return out
}

func attr(res map[string]any, name string) any {
	a, _ := res["attributes"].(map[string]any)
	return a[name]
}

func id(res map[string]any) string { s, _ := res["id"].(string); return s }

// resource builds a JSON:API request document.
func resource(typ, id string, attrs map[string]any, rels map[string][2]string) map[string]any {
	d := map[string]any{"type": typ}
	if id != "" {
		d["id"] = id
	}
	if attrs != nil {
		d["attributes"] = attrs
	}
	if len(rels) > 0 {
		r := map[string]any{}
		for name, tr := range rels {
			r[name] = map[string]any{"data": map[string]any{"type": tr[0], "id": tr[1]}}
		}
		d["relationships"] = r
	}
	return map[string]any{"data": d}
}

// ids returns the seeded IDs a test needs: app, the editable version and its en-US
// localization.
func (e *env) seeded(versionString, locale string) (appID, versionID, locID string) {
	e.tb.Helper()
	appID, _ = e.srv.AppID("com.example.demo")
	for _, v := range e.srv.Versions("com.example.demo") {
		if v.VersionString == versionString {
			versionID = v.ID
		}
	}
	r := e.must(200, "GET", "/v1/appStoreVersions/"+versionID+"/appStoreVersionLocalizations?filter[locale]="+locale, nil)
	l := r.list()
	if len(l) != 1 {
		e.tb.Fatalf("no %s localization of %s", locale, versionString)
	}
	return appID, versionID, id(l[0])
}

// upload reserves, uploads and commits an asset in a set, returning the asset ID.
func (e *env) upload(assetType, setRel, setType, setID, name string, data []byte) string {
	e.tb.Helper()
	r := e.must(201, "POST", "/v1/"+assetType, resource(assetType, "", map[string]any{"fileName": name, "fileSize": len(data)},
		map[string][2]string{setRel: {setType, setID}}))
	aid := id(r.data())
	e.putParts(r.data(), data)
	sum := md5.Sum(data)
	e.must(200, "PATCH", "/v1/"+assetType+"/"+aid, resource(assetType, aid,
		map[string]any{"uploaded": true, "sourceFileChecksum": hex.EncodeToString(sum[:])}, nil))
	return aid
}

// putParts sends every upload operation of a reservation, as a client must.
func (e *env) putParts(res map[string]any, data []byte) {
	e.tb.Helper()
	ops, _ := attr(res, "uploadOperations").([]any)
	if len(ops) == 0 {
		e.tb.Fatalf("reservation has no upload operations")
	}
	for _, o := range ops {
		if st := e.putPart(o.(map[string]any), data, ""); st != 200 {
			e.tb.Fatalf("upload part: status %d", st)
		}
	}
}

func (e *env) putPart(op map[string]any, data []byte, auth string) int {
	e.tb.Helper()
	off, n := int(op["offset"].(float64)), int(op["length"].(float64))
	req, _ := http.NewRequest(op["method"].(string), op["url"].(string), bytes.NewReader(data[off:off+n]))
	for _, h := range op["requestHeaders"].([]any) {
		hm := h.(map[string]any)
		req.Header.Set(hm["name"].(string), hm["value"].(string))
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return fmt.Sprint(string(b))
}
