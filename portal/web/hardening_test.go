package web_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"talap/portal/testenv"
)

// Login CSRF: a callback URL from a sign-in started in one browser, opened in another (a victim
// lured to the attacker's link), signs nobody in.
func TestCallbackFinishedInAnotherBrowserIsRefused(t *testing.T) {
	p := withSimulator(t)
	jar, _ := cookiejar.New(nil)
	var callback string
	attacker := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == "/auth/callback" {
			callback = req.URL.String()
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := attacker.Get(p.URL + "/auth/login?login_hint=" + persona(t, "citizen").IIN)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if callback == "" {
		t.Fatal("no callback captured")
	}
	victim := browser(t)
	req, _ := http.NewRequest(http.MethodGet, callback, nil)
	req.Header.Set("Accept-Language", "en")
	resp, err = victim.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "started in another browser") {
		t.Fatalf("callback in another browser = %d %.300s", resp.StatusCode, body)
	}
	if sessionCookie(victim, p) != "" {
		t.Fatal("the other browser was signed in")
	}
	if code, _ := me(t, victim, p); code != http.StatusUnauthorized {
		t.Fatalf("me in the other browser = %d", code)
	}
}

// inOneRateWindow waits, when the minute is about to turn, so that a test's requests fall in one
// of the rate limiter's fixed one-minute windows.
func inOneRateWindow() {
	if s := time.Now().Second(); s >= 50 {
		time.Sleep(time.Duration(61-s) * time.Second)
	}
}

func loginStatus(t *testing.T, base string, header ...string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/auth/login", nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Behind a trusted proxy the client is the right-most address the proxy vouches for; what a client
// writes at the left of X-Forwarded-For is ignored, and without trusted proxies the header is.
func TestSignInLimitPerClientAddressBehindTrustedProxy(t *testing.T) {
	d := deps(t)
	d.Redis = redis.NewClient(&redis.Options{Addr: testenv.StartRedis(t).Addr})
	d.Config.RateLogin = 3
	d.Config.TrustedProxies = []string{"127.0.0.1"}
	inOneRateWindow()
	p := startPortal(t, d, func(base string) string { return startSimulator(t, base) })
	xff := "X-Forwarded-For"
	for i := 0; i < 3; i++ {
		if code := loginStatus(t, p.URL, xff, "203.0.113.1"); code != http.StatusFound {
			t.Fatalf("sign-in %d from 203.0.113.1 = %d", i+1, code)
		}
	}
	if code := loginStatus(t, p.URL, xff, "198.51.100.7, 203.0.113.1"); code != http.StatusTooManyRequests {
		t.Errorf("a forged left-most address escaped the limit: %d", code)
	}
	// A proxy that adds a header line of its own (HAProxy's option forwardfor) after the client's.
	if code := loginStatus(t, p.URL, xff, "198.51.100.8", xff, "203.0.113.1"); code != http.StatusTooManyRequests {
		t.Errorf("a forged earlier header line escaped the limit: %d", code)
	}
	if code := loginStatus(t, p.URL, xff, "203.0.113.2"); code != http.StatusFound {
		t.Errorf("another client behind the same proxy = %d, want 302", code)
	}

	d2 := deps(t)
	d2.Redis = redis.NewClient(&redis.Options{Addr: testenv.StartRedis(t).Addr})
	d2.Config.RateLogin = 3
	inOneRateWindow()
	direct := startPortal(t, d2, func(base string) string { return startSimulator(t, base) })
	for i := 0; i < 3; i++ {
		loginStatus(t, direct.URL, xff, "203.0.113."+string(rune('1'+i)))
	}
	if code := loginStatus(t, direct.URL, xff, "203.0.113.9"); code != http.StatusTooManyRequests {
		t.Errorf("without trusted proxies X-Forwarded-For chose the client: %d", code)
	}
}

// The per-address limit is generous (an office shares one address); each person's sign-ins are
// limited strictly.
func TestSignInLimitPerPerson(t *testing.T) {
	d := deps(t)
	d.Redis = redis.NewClient(&redis.Options{Addr: testenv.StartRedis(t).Addr})
	d.Config.RateLoginPerson = 2
	inOneRateWindow()
	p := startPortal(t, d, func(base string) string { return startSimulator(t, base) })
	who := persona(t, "citizen").IIN
	signIn(t, p, who)
	signIn(t, p, who)
	c := browser(t)
	resp, err := c.Get(p.URL + "/auth/login?login_hint=" + who)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || sessionCookie(c, p) != "" {
		t.Fatalf("third sign-in of one person in a minute = %d", resp.StatusCode)
	}
	signIn(t, p, persona(t, "officer").IIN) // someone else at the same address
}

func TestHSTSInProductionOnly(t *testing.T) {
	d := deps(t)
	if resp, _ := get(t, serve(t, d)+"/healthz"); resp.Header.Get("Strict-Transport-Security") != "" {
		t.Errorf("HSTS in development: %q", resp.Header.Get("Strict-Transport-Security"))
	}
	d.Config.Env = "production"
	resp, _ := get(t, serve(t, d)+"/healthz")
	if !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS in production")
	}
}

// The CSRF token is taken from a header or a form field, never from the query string; a
// multipart form carries it as its first field.
func TestCSRFTokenFromHeaderOrFormOnly(t *testing.T) {
	p := withSimulator(t)
	a := asPerson(t, p, citizen(t, 0).IIN)
	cl := a.newDraft(completeClaim())
	noHeader := *a
	noHeader.csrf = ""
	form := func(path string, body url.Values) int {
		resp, _ := noHeader.do(http.MethodPost, path, strings.NewReader(body.Encode()), "Content-Type", "application/x-www-form-urlencoded")
		return resp.StatusCode
	}
	if code := form("/claims/"+cl.ID+"/delete?_csrf="+url.QueryEscape(a.csrf), url.Values{}); code != http.StatusForbidden {
		t.Errorf("token in the query string = %d, want 403", code)
	}
	upload := func(path string, parts ...filePart) (*http.Response, []byte) {
		ct, body := multipartBody(t, parts...)
		return noHeader.do(http.MethodPost, path, bytes.NewReader(body), "Content-Type", ct)
	}
	token := filePart{field: "_csrf", data: []byte(a.csrf)}
	if resp, body := upload("/api/v1/claims/"+cl.ID+"/documents?_csrf="+url.QueryEscape(a.csrf), file("a.pdf", pdfFile)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("upload with the token in the query string = %d %s, want 403", resp.StatusCode, body)
	}
	if resp, body := upload("/api/v1/claims/"+cl.ID+"/documents", file("a.pdf", pdfFile), token); resp.StatusCode != http.StatusForbidden {
		t.Errorf("upload with the token after the file = %d %s, want 403", resp.StatusCode, body)
	}
	if resp, body := upload("/api/v1/claims/"+cl.ID+"/documents", token, kindField("contested_act"), file("a.pdf", pdfFile)); resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload with the token as the first field = %d %s", resp.StatusCode, body)
	}
	if got := a.getClaim(cl.ID); len(got.Documents) != 1 {
		t.Fatalf("documents after the refused and the accepted upload = %d, want 1", len(got.Documents))
	}
	if code := form("/claims/"+cl.ID+"/delete", url.Values{"_csrf": {a.csrf}}); code >= 400 {
		t.Errorf("token in the form body = %d", code)
	}
}

// With an operators' listener configured, the public listener has no /metrics.
func TestMetricsOnlyOnTheOperatorsListenerWhenConfigured(t *testing.T) {
	d := deps(t)
	d.Config.MetricsAddr = "127.0.0.1:1"
	if resp, _ := get(t, serve(t, d)+"/metrics"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("public /metrics with TALAP_METRICS_ADDR set = %d, want 404", resp.StatusCode)
	}
}
