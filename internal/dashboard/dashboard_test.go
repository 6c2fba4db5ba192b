package dashboard

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/storesyncer/storesyncer/internal/collection"
	"github.com/storesyncer/storesyncer/internal/statusapi"
	"github.com/storesyncer/storesyncer/internal/workspace"
)

// fakeDaemon answers the pages' reads and records the commands they run.
type fakeDaemon struct {
	mu       sync.Mutex
	status   statusapi.Status
	commands []string
}

func (f *fakeDaemon) Status(context.Context) statusapi.Status { return f.status }
func (f *fakeDaemon) Jobs(context.Context) ([]statusapi.Job, error) {
	return nil, nil
}
func (f *fakeDaemon) History(context.Context, string, int, int64) ([]statusapi.HistoryEntry, error) {
	return nil, nil
}
func (f *fakeDaemon) Subscribe(ctx context.Context) (<-chan statusapi.Event, func()) {
	ch := make(chan statusapi.Event)
	return ch, func() {}
}
func (f *fakeDaemon) Command(_ context.Context, name string, body []byte) (statusapi.OpResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.commands = append(f.commands, name+" "+string(body))
	return statusapi.OpResult{Lines: []string{"ran " + name}}, nil
}

type env struct {
	t      *testing.T
	ws     *workspace.Workspace
	coll   string
	dash   *Dashboard
	fake   *fakeDaemon
	srv    *httptest.Server
	client *http.Client
	token  string
}

const testApp = "com.example.demo"

func newEnv(t *testing.T) *env {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "ws"), 0o755); err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Open(filepath.Join(root, "ws"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.WriteApp(workspace.App{BundleID: testApp, Platform: collection.IOS, Active: "main", Name: "Planner Demo"}); err != nil {
		t.Fatal(err)
	}
	coll := ws.CollectionDir(testApp, "main")
	writeFile(t, filepath.Join(coll, "keyword", "en-US.txt"), "planner,calendar\n")
	writeFile(t, filepath.Join(coll, "name", "en-US.txt"), "Planner Demo\n")
	tokenFile := filepath.Join(root, "api-token")
	writeFile(t, tokenFile, "secret-token\n")
	fake := &fakeDaemon{}
	d, err := New(Config{Workspace: ws, Reader: fake, Commands: fake, TokenFile: tokenFile})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &env{t: t, ws: ws, coll: coll, dash: d, fake: fake, srv: srv, token: "secret-token",
		client: &http.Client{Jar: jar}}
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// login exchanges a one-time code for a session and returns the page's CSRF token.
func (e *env) login() string {
	e.t.Helper()
	code, err := e.dash.LoginCode()
	if err != nil {
		e.t.Fatal(err)
	}
	res, err := e.client.Get(e.srv.URL + "/login?code=" + url.QueryEscape(code))
	if err != nil {
		e.t.Fatal(err)
	}
	body := readBody(e.t, res)
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/" || res.Request.URL.RawQuery != "" {
		e.t.Fatalf("login landed on %s with %d: %s", res.Request.URL, res.StatusCode, body)
	}
	return csrfOf(e.t, body)
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t testing.TB, body string) string {
	t.Helper()
	m := csrfPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%s", body)
	}
	return m[1]
}

func readBody(t testing.TB, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(res.Body); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// post sends a form as the page would (its own Origin) and returns the answer.
func (e *env) post(path string, form url.Values, origin string) *http.Response {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

func TestLoginCodeIsSingleUseAndLeavesNoSecretInTheURL(t *testing.T) {
	e := newEnv(t)
	code, _ := e.dash.LoginCode()
	res, _ := e.client.Get(e.srv.URL + "/login?code=" + url.QueryEscape(code))
	body := readBody(t, res)
	if res.Request.URL.String() != e.srv.URL+"/" {
		t.Fatalf("after login the browser is at %s", res.Request.URL)
	}
	if !strings.Contains(body, "Planner Demo") {
		t.Fatalf("apps page does not show the app:\n%s", body)
	}
	var cookie *http.Cookie
	for _, c := range e.client.Jar.Cookies(res.Request.URL) {
		if c.Name == cookieName {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("no session cookie")
	}
	// A second use of the same code is refused, in a fresh browser.
	jar, _ := cookiejar.New(nil)
	other := &http.Client{Jar: jar}
	res2, _ := other.Get(e.srv.URL + "/login?code=" + url.QueryEscape(code))
	if b := readBody(t, res2); res2.StatusCode != http.StatusUnauthorized || strings.Contains(b, "Planner Demo") {
		t.Fatalf("a used code logged in again: %d", res2.StatusCode)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	e := newEnv(t)
	code, _ := e.dash.LoginCode()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Get(e.srv.URL + "/login?code=" + url.QueryEscape(code))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	sc := res.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(sc, want) {
			t.Errorf("Set-Cookie %q lacks %s", sc, want)
		}
	}
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("login redirects to %q, want / (no code in the address)", loc)
	}
}

func TestTokenForm(t *testing.T) {
	tests := []struct {
		name  string
		token string
		want  int
	}{
		{"right token", "secret-token", http.StatusOK},
		{"wrong token", "nope", http.StatusUnauthorized},
		{"empty", "", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			res := e.post("/login", url.Values{"token": {tt.token}}, e.srv.URL)
			body := readBody(t, res)
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.want, body)
			}
			if strings.Contains(body, "secret-token") {
				t.Fatal("the page shows the token")
			}
		})
	}
}

func TestPagesNeedASession(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"/", "/sync", "/apps/" + testApp, "/apps/" + testApp + "/c/main"} {
		res, err := e.client.Get(e.srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		readBody(t, res)
		if res.Request.URL.Path != "/login" {
			t.Errorf("%s without a session ended at %s", p, res.Request.URL.Path)
		}
	}
}

func TestPostsNeedOriginAndCSRF(t *testing.T) {
	e := newEnv(t)
	csrf := e.login()
	form := func(tok string) url.Values {
		return url.Values{"csrf": {tok}, "locale": {"en-US"}, "field": {"keyword"}, "value": {"hacked"}}
	}
	path := "/apps/" + testApp + "/c/main/text"
	tests := []struct {
		name   string
		origin string
		csrf   string
		want   int
	}{
		{"foreign origin", "http://evil.example", csrf, http.StatusForbidden},
		{"no origin", "", csrf, http.StatusForbidden},
		{"wrong csrf", e.srv.URL, "x", http.StatusForbidden},
		{"no csrf", e.srv.URL, "", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.post(path, form(tt.csrf), tt.origin)
			readBody(t, res)
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.want)
			}
			got, _ := os.ReadFile(filepath.Join(e.coll, "keyword", "en-US.txt"))
			if string(got) != "planner,calendar\n" {
				t.Fatalf("refused post changed the file: %q", got)
			}
		})
	}
}

func TestEditTextWritesTheFile(t *testing.T) {
	e := newEnv(t)
	csrf := e.login()
	res := e.post("/apps/"+testApp+"/c/main/text", url.Values{"csrf": {csrf}, "locale": {"de-DE"}, "field": {"keyword"}, "value": {"  planer,kalender\r\n"}}, e.srv.URL)
	body := readBody(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	got, err := os.ReadFile(filepath.Join(e.coll, "keyword", "de-DE.txt"))
	if err != nil || string(got) != "planer,kalender\n" {
		t.Fatalf("file holds %q (%v)", got, err)
	}
	if !strings.Contains(body, "planer,kalender") {
		t.Fatalf("the collection page does not show the new text:\n%s", body)
	}
}

func TestEditTextRefusesWhatIsNotAField(t *testing.T) {
	e := newEnv(t)
	csrf := e.login()
	outside := filepath.Join(t.TempDir(), "outside.txt")
	writeFile(t, outside, "secret\n")
	if err := os.Symlink(outside, filepath.Join(e.coll, "keyword", "fr-FR.txt")); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, locale, field string }{
		{"traversal in field", "en-US", "../../x"},
		{"traversal in locale", "../../../x", "keyword"},
		{"unknown field", "en-US", "keywords"},
		{"unknown locale", "en-UK", "keyword"},
		{"symlink target", "fr-FR", "keyword"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.post("/apps/"+testApp+"/c/main/text", url.Values{"csrf": {csrf}, "locale": {tt.locale}, "field": {tt.field}, "value": {"x"}}, e.srv.URL)
			readBody(t, res)
			if res.StatusCode < 400 {
				t.Fatalf("status %d, want a refusal", res.StatusCode)
			}
		})
	}
	if got, _ := os.ReadFile(outside); string(got) != "secret\n" {
		t.Fatalf("a write went through the link: %q", got)
	}
}

func pngOf(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	img.Set(0, 0, color.RGBA{R: 10, G: 20, B: 30, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (e *env) upload(csrf, typ string, files map[string][]byte) *http.Response {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"csrf": csrf, "kind": "screenshot", "locale": "en-US", "type": typ} {
		_ = mw.WriteField(k, v)
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range files {
			if !yield(n) {
				return
			}
		}
	})
	for _, n := range names {
		fw, _ := mw.CreateFormFile("file", n)
		_, _ = fw.Write(files[n])
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/apps/"+testApp+"/c/main/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", e.srv.URL)
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

func TestUploadChecksImagesAndNamesThemItself(t *testing.T) {
	e := newEnv(t)
	csrf := e.login()
	dir := filepath.Join(e.coll, "screenshot", "en-US", "APP_IPHONE_67")
	tests := []struct {
		name  string
		files map[string][]byte
		want  int
		names []string
	}{
		{"not an image", map[string][]byte{"a.png": []byte("hello")}, http.StatusBadRequest, nil},
		{"wrong size", map[string][]byte{"a.png": pngOf(t, 100, 100)}, http.StatusBadRequest, nil},
		{"browser name with a path", map[string][]byte{"../../../evil.png": pngOf(t, 1290, 2796)}, http.StatusOK, []string{"01.png"}},
		{"two more", map[string][]byte{"x.png": pngOf(t, 1290, 2796), "y.png": pngOf(t, 1290, 2796)}, http.StatusOK, []string{"01.png", "02.png", "03.png"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.upload(csrf, "APP_IPHONE_67", tt.files)
			body := readBody(t, res)
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.want, body)
			}
			var names []string
			entries, _ := os.ReadDir(dir)
			for _, en := range entries {
				names = append(names, en.Name())
			}
			if !slices.Equal(names, tt.names) {
				t.Fatalf("set holds %v, want %v", names, tt.names)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(e.ws.Root), "evil.png")); err == nil {
		t.Fatal("a browser file name became a path")
	}
}

func TestReorderRenamesInOrder(t *testing.T) {
	e := newEnv(t)
	csrf := e.login()
	dir := filepath.Join(e.coll, "screenshot", "en-US", "APP_IPHONE_67")
	for _, n := range []string{"1_home.png", "2_list.png", "3_detail.png"} {
		writeFile(t, filepath.Join(dir, n), string(pngOf(t, 1290, 2796)))
	}
	base := url.Values{"csrf": {csrf}, "kind": {"screenshot"}, "locale": {"en-US"}, "type": {"APP_IPHONE_67"}}
	move := url.Values{"name": {"3_detail.png"}, "move": {"-1"}}
	for k, v := range base {
		move[k] = v
	}
	readBody(t, e.post("/apps/"+testApp+"/c/main/media/reorder", move, e.srv.URL))
	if got := dirNames(t, dir); !slices.Equal(got, []string{"01_home.png", "02_detail.png", "03_list.png"}) {
		t.Fatalf("after a move the set is %v", got)
	}
	order := url.Values{"order": {"03_list.png", "01_home.png", "02_detail.png"}}
	for k, v := range base {
		order[k] = v
	}
	readBody(t, e.post("/apps/"+testApp+"/c/main/media/reorder", order, e.srv.URL))
	if got := dirNames(t, dir); !slices.Equal(got, []string{"01_list.png", "02_home.png", "03_detail.png"}) {
		t.Fatalf("after a drag the set is %v", got)
	}
	bad := url.Values{"order": {"01_list.png", "../x.png", "03_detail.png"}}
	for k, v := range base {
		bad[k] = v
	}
	if res := e.post("/apps/"+testApp+"/c/main/media/reorder", bad, e.srv.URL); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("an order naming another file answered %d", res.StatusCode)
	}
}

func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestSyncButtonsRunCommands(t *testing.T) {
	e := newEnv(t)
	csrf := e.login()
	tests := []struct {
		action string
		form   url.Values
		want   string
	}{
		{"pause", nil, "pause {}"},
		{"approve", nil, "approve {}"},
		{"retry", url.Values{"job": {"7"}}, `jobs.retry {"id":7}`},
		{"resolve", url.Values{"app": {testApp}, "key": {"en-US/keyword"}, "keep": {"local"}}, `resolve {"app":"com.example.demo","keys":["en-US/keyword"],"keep":"local"}`},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			f := url.Values{"csrf": {csrf}}
			for k, v := range tt.form {
				f[k] = v
			}
			readBody(t, e.post("/sync/"+tt.action, f, e.srv.URL))
			e.fake.mu.Lock()
			last := e.fake.commands[len(e.fake.commands)-1]
			e.fake.mu.Unlock()
			if last != tt.want {
				t.Fatalf("ran %q, want %q", last, tt.want)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	res, _ := e.client.Get(e.srv.URL + "/login")
	readBody(t, res)
	if csp := res.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	if res.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("X-Frame-Options %q", res.Header.Get("X-Frame-Options"))
	}
}

func TestThumbPath(t *testing.T) {
	tests := []struct {
		rel  string
		want bool
	}{
		{"screenshot/en-US/APP_IPHONE_67/01.png", true},
		{"screenshot/en-US/APP_IPHONE_67/01.JPG", true},
		{"screenshot/en-US/../../x.png", false},
		{"screenshot/en-US/APP_IPHONE_67/.hidden.png", false},
		{"keyword/en-US.txt", false},
		{"/etc/passwd", false},
		{"screenshot//APP_IPHONE_67/01.png", false},
	}
	for _, tt := range tests {
		if got := thumbPath(tt.rel); got != tt.want {
			t.Errorf("thumbPath(%q) = %v, want %v", tt.rel, got, tt.want)
		}
	}
}

func TestThumbnailIsSmallJPEG(t *testing.T) {
	e := newEnv(t)
	e.login()
	writeFile(t, filepath.Join(e.coll, "screenshot", "en-US", "APP_IPHONE_67", "01.png"), string(pngOf(t, 1290, 2796)))
	res, err := e.client.Get(e.srv.URL + "/apps/" + testApp + "/c/main/thumb?path=screenshot/en-US/APP_IPHONE_67/01.png")
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, res)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("status %d, type %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	cfg, _, err := image.DecodeConfig(strings.NewReader(body))
	if err != nil || cfg.Height != thumbHeight {
		t.Fatalf("thumbnail %v, %v", cfg, err)
	}
}

func TestCreateCollectionFromAnotherRunsTheCommand(t *testing.T) {
	e := newEnv(t)
	csrf := e.login()
	readBody(t, e.post("/apps/"+testApp+"/collections", url.Values{"csrf": {csrf}, "name": {"christmas"}, "from": {"collection"}, "source": {"main"}}, e.srv.URL))
	e.fake.mu.Lock()
	defer e.fake.mu.Unlock()
	want, _ := json.Marshal(createRequest{App: testApp, Collection: "christmas", From: "collection", Source: "main"})
	if got := e.fake.commands[len(e.fake.commands)-1]; got != "collections.create "+string(want) {
		t.Fatalf("ran %q", got)
	}
}

func TestActivationShowsThePlanFirst(t *testing.T) {
	e := newEnv(t)
	e.dash.cfg.PlanActivation = func(_ context.Context, app, coll string) (ActivationPlan, error) {
		if app != testApp || coll != "christmas" {
			t.Errorf("planned %s %s", app, coll)
		}
		return ActivationPlan{Changes: []string{"update en-US/keyword", "update de-DE/keyword"}, ApproveOver: 1, Held: true}, nil
	}
	e.login()
	res, err := e.client.Get(e.srv.URL + "/apps/" + testApp + "/activate?collection=christmas")
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, res)
	for _, want := range []string{"2 change(s)", "update en-US/keyword", "approve_over (1)", `name="collection" value="christmas"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the activation page lacks %q:\n%s", want, body)
		}
	}
	e.fake.mu.Lock()
	defer e.fake.mu.Unlock()
	if len(e.fake.commands) != 0 {
		t.Errorf("showing the plan ran %v", e.fake.commands)
	}
}
