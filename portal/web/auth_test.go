package web_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"
	"github.com/redis/go-redis/v9"

	"talap/cmd/idp-sim/idpsim"
	"talap/infra/seed"
	"talap/portal/ident"
	"talap/portal/testenv"
	"talap/portal/web"
)

// portal is a running portal wired to an identity provider, and a browser for it.
type portal struct {
	URL string
}

// startPortal runs the portal on a listener whose address is known before the provider is set up,
// since the provider must know the portal's callback.
func startPortal(t *testing.T, d web.Deps, issuer func(base string) string) portal {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	d.Config.BaseURL = base
	d.Config.OIDCIssuer = issuer(base)
	app, err := web.New(d)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	return portal{URL: base}
}

// startSimulator runs the national-eID simulator with a client for the portal at base.
func startSimulator(t *testing.T, base string) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	issuer := "http://" + srv.Listener.Addr().String()
	h, err := idpsim.New(idpsim.Config{
		Issuer:       issuer,
		PersonasFile: "../../infra/seed/personas.json",
		Clients: []idpsim.Client{{ID: "talap-portal", Secret: "talap-dev-secret",
			RedirectURIs: []string{base + "/auth/callback"}, PostLogoutRedirectURIs: []string{base + "/"}}},
		Logger: quiet,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	return issuer
}

func withSimulator(t *testing.T) portal {
	d := deps(t)
	return startPortal(t, d, func(base string) string { return startSimulator(t, base) })
}

// browser follows redirects but stops at the portal's answer to the callback, like a person would
// land on the page after it.
func browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return browserWith(jar)
}

// browserWith is a browser holding the cookies in jar.
func browserWith(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if via[len(via)-1].URL.Path == "/auth/callback" {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}

func signIn(t *testing.T, p portal, iin string) *http.Client {
	t.Helper()
	c := browser(t)
	resp, err := c.Get(p.URL + "/auth/login?login_hint=" + iin)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || sessionCookie(c, p) == "" {
		t.Fatalf("sign-in as %s: %d, cookie %q", iin, resp.StatusCode, sessionCookie(c, p))
	}
	return c
}

func sessionCookie(c *http.Client, p portal) string {
	u, _ := url.Parse(p.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "talap_session" {
			return ck.Value
		}
	}
	return ""
}

type meResponse struct {
	IIN   string           `json:"iin"`
	Name  string           `json:"name"`
	Roles []map[string]any `json:"roles"`
	CSRF  string           `json:"csrf_token"`
}

func me(t *testing.T, c *http.Client, p portal, header ...string) (int, meResponse) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, p.URL+"/api/v1/me", nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m meResponse
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func persona(t *testing.T, kind string) seed.Persona {
	t.Helper()
	ps, err := seed.Personas()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Kind == kind {
			return p
		}
	}
	t.Fatalf("no %s persona", kind)
	return seed.Persona{}
}

func hasRole(m meResponse, role, key, value string) bool {
	for _, r := range m.Roles {
		if r["role"] == role && (key == "" || r[key] == value) {
			return true
		}
	}
	return false
}

func TestSignInThroughTheSimulatorForEachPersonaKind(t *testing.T) {
	p := withSimulator(t)
	tests := []struct {
		kind, role, key string
		value           func(seed.Persona) string
	}{
		{"citizen", "citizen", "", nil},
		{"officer", "officer", "body_bin", func(s seed.Persona) string { return s.BodyBIN }},
		{"clerk", "clerk", "court_id", func(s seed.Persona) string { return s.CourtID }},
		{"admin", "admin", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			who := persona(t, tt.kind)
			c := signIn(t, p, who.IIN)
			code, m := me(t, c, p)
			if code != 200 || m.IIN != who.IIN || m.Name != who.Name || m.CSRF == "" {
				t.Fatalf("me = %d %+v", code, m)
			}
			want := ""
			if tt.value != nil {
				want = tt.value(who)
			}
			if !hasRole(m, "citizen", "", "") || !hasRole(m, tt.role, tt.key, want) {
				t.Fatalf("roles = %v, want citizen and %s %s", m.Roles, tt.role, want)
			}
		})
	}
}

func TestMeWithoutSessionIs401(t *testing.T) {
	p := withSimulator(t)
	if code, _ := me(t, browser(t), p); code != 401 {
		t.Fatalf("me without session = %d", code)
	}
}

func TestSessionIDChangesAtSignInAndLogoutKillsIt(t *testing.T) {
	p := withSimulator(t)
	who := persona(t, "citizen")
	c := signIn(t, p, who.IIN)
	first := sessionCookie(c, p)

	// Signing in again (or over a planted id) gives a new id, and the old one stops working.
	resp, err := c.Get(p.URL + "/auth/login?login_hint=" + who.IIN)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	second := sessionCookie(c, p)
	if second == "" || second == first {
		t.Fatalf("session id did not change at sign-in: %q → %q", first, second)
	}
	if code, _ := me(t, http.DefaultClient, p, "Cookie", "talap_session="+first); code != 401 {
		t.Fatalf("old session id still works: %d", code)
	}

	_, m := me(t, c, p)
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/auth/logout", strings.NewReader("_csrf="+url.QueryEscape(m.CSRF)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	noFollow := &http.Client{Jar: c.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "end_session") {
		t.Fatalf("logout = %d → %s, want a redirect to the provider's end-session endpoint", resp.StatusCode, resp.Header.Get("Location"))
	}
	if code, _ := me(t, http.DefaultClient, p, "Cookie", "talap_session="+second); code != 401 {
		t.Fatalf("cookie still works after logout: %d", code)
	}
}

func TestUnsafeRequestWithoutCSRFTokenIs403(t *testing.T) {
	p := withSimulator(t)
	c := signIn(t, p, persona(t, "officer").IIN)
	for _, path := range []string{"/auth/logout", "/account/tokens"} {
		req, _ := http.NewRequest(http.MethodPost, p.URL+path, strings.NewReader("name=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Errorf("POST %s without CSRF = %d, want 403", path, resp.StatusCode)
		}
	}
	_, m := me(t, c, p)
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/account/tokens", strings.NewReader("name=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", "wrong"+m.CSRF)
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("wrong CSRF token = %d, want 403", resp.StatusCode)
	}
}

func TestForgedAndReusedStateAndReplayedCodeAreRefused(t *testing.T) {
	p := withSimulator(t)
	who := persona(t, "citizen")
	// Walk the flow by hand to capture the callback URL.
	jar, _ := cookiejar.New(nil)
	var callback string
	c := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == "/auth/callback" {
			callback = req.URL.String()
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := c.Get(p.URL + "/auth/login?login_hint=" + who.IIN)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if callback == "" {
		t.Fatal("no callback captured")
	}
	// The callback is finished in the browser that started sign-in (it holds the pre-login cookie).
	get := func(u string) int {
		resp, err := browserWith(jar).Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(callback); code != http.StatusSeeOther {
		t.Fatalf("first use of the callback = %d", code)
	}
	if code := get(callback); code != 400 {
		t.Errorf("reused state = %d, want 400", code)
	}
	cb, _ := url.Parse(callback)
	code := cb.Query().Get("code")
	if code := get(p.URL + "/auth/callback?state=forged&code=" + url.QueryEscape(code)); code != 400 {
		t.Errorf("forged state = %d, want 400", code)
	}
	// A fresh, genuine state with the old code: the provider refuses the used code.
	fresh := startLogin(t, p, who.IIN)
	resp, err = browserWith(fresh.jar).Get(p.URL + "/auth/callback?state=" + url.QueryEscape(fresh.state) + "&code=" + url.QueryEscape(code))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("replayed code = %d, want 401", resp.StatusCode)
	}
}

type login struct {
	state, nonce string
	jar          http.CookieJar // the browser that started it
}

// startLogin asks the portal to begin sign-in and reads state and nonce from the redirect to the provider.
func startLogin(t *testing.T, p portal, hint string) login {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(p.URL + "/auth/login?login_hint=" + hint)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("state") == "" {
		t.Fatalf("login redirect %q", resp.Header.Get("Location"))
	}
	q := loc.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("login_hint") != hint {
		t.Fatalf("authorize request lacks PKCE S256, nonce or login_hint: %s", loc)
	}
	return login{state: q.Get("state"), nonce: q.Get("nonce"), jar: jar}
}

// fakeOP is a provider that answers the token request with whatever ID token a test crafts.
type fakeOP struct {
	URL   string
	key   *rsa.PrivateKey
	token func(nonce string) string
	nonce string
}

func startFakeOP(t *testing.T) *fakeOP {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	op := &fakeOP{key: key}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	op.URL = srv.URL
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": op.URL, "authorization_endpoint": op.URL + "/authorize", "token_endpoint": op.URL + "/token",
			"jwks_uri": op.URL + "/keys", "id_token_signing_alg_values_supported": []string{"RS256"},
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
			"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
			"n": b64(key.PublicKey.N.Bytes()), "e": b64(big.NewInt(int64(key.PublicKey.E)).Bytes()),
		}}})
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": op.token(op.nonce)})
	})
	return op
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func signJWT(t *testing.T, key *rsa.PrivateKey, header, claims map[string]any) string {
	h, _ := json.Marshal(header)
	c, _ := json.Marshal(claims)
	input := b64(h) + "." + b64(c)
	if header["alg"] == "none" {
		return input + "."
	}
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + b64(sig)
}

func TestIDTokenAttacksAreRefused(t *testing.T) {
	op := startFakeOP(t)
	p := startPortal(t, deps(t), func(string) string { return op.URL })
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	goodIIN := persona(t, "citizen").IIN
	badIIN := goodIIN[:11] + string(rune('0'+(int(goodIIN[11]-'0')+1)%10))
	if ident.ValidateIIN(badIIN) == nil {
		t.Fatal("fixture IIN should be invalid")
	}
	claims := func(nonce string) map[string]any {
		now := time.Now()
		return map[string]any{"iss": op.URL, "aud": "talap-portal", "sub": goodIIN, "iin": goodIIN, "name": "Test",
			"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "nonce": nonce}
	}
	rs256 := map[string]any{"alg": "RS256", "kid": "k1", "typ": "JWT"}
	tests := []struct {
		name  string
		token func(nonce string) string
		want  int
	}{
		{"genuine token (control)", func(n string) string { return signJWT(t, op.key, rs256, claims(n)) }, http.StatusSeeOther},
		{"nonce mismatch", func(n string) string { return signJWT(t, op.key, rs256, claims("not-"+n)) }, 401},
		{"signed by another key", func(n string) string { return signJWT(t, other, rs256, claims(n)) }, 401},
		{"alg none", func(n string) string { return signJWT(t, nil, map[string]any{"alg": "none", "typ": "JWT"}, claims(n)) }, 401},
		{"wrong audience", func(n string) string { c := claims(n); c["aud"] = "someone-else"; return signJWT(t, op.key, rs256, c) }, 401},
		{"wrong issuer", func(n string) string {
			c := claims(n)
			c["iss"] = "http://evil.example"
			return signJWT(t, op.key, rs256, c)
		}, 401},
		{"expired", func(n string) string {
			c := claims(n)
			c["iat"], c["exp"] = time.Now().Add(-2*time.Hour).Unix(), time.Now().Add(-time.Hour).Unix()
			return signJWT(t, op.key, rs256, c)
		}, 401},
		{"IIN with a bad check digit", func(n string) string { c := claims(n); c["iin"] = badIIN; return signJWT(t, op.key, rs256, c) }, 401},
		{"no IIN", func(n string) string { c := claims(n); delete(c, "iin"); return signJWT(t, op.key, rs256, c) }, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := startLogin(t, p, goodIIN)
			op.nonce, op.token = l.nonce, tt.token
			c := browserWith(l.jar)
			resp, err := c.Get(p.URL + "/auth/callback?code=any&state=" + url.QueryEscape(l.state))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("callback = %d, want %d: %.300s", resp.StatusCode, tt.want, body)
			}
			if tt.want != http.StatusSeeOther {
				if sessionCookie(c, p) != "" {
					t.Fatal("a refused sign-in created a session")
				}
				if !strings.Contains(string(body), "<html") || strings.Contains(string(body), "goroutine") {
					t.Fatalf("refusal is not a clear page: %.300s", body)
				}
			}
		})
	}
}

func TestFailurePageIsInThePersonsLanguage(t *testing.T) {
	p := withSimulator(t)
	req, _ := http.NewRequest(http.MethodGet, p.URL+"/auth/callback?state=nope&code=x", nil)
	req.Header.Set("Accept-Language", "kk")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "Кіру мүмкін болмады") {
		t.Fatalf("failure page = %d %.300s", resp.StatusCode, body)
	}
}

func TestSignInAgainstASecondIndependentProviderBySettingsAlone(t *testing.T) {
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	cfg := m.Config()
	iin := persona(t, "citizen").IIN
	m.QueueUser(&mockoidc.MockUser{Subject: iin, Email: "citizen@example.kz"})
	d := deps(t)
	d.Config.OIDCClientID, d.Config.OIDCClientSecret, d.Config.OIDCIINClaim = cfg.ClientID, cfg.ClientSecret, "sub"
	p := startPortal(t, d, func(string) string { return cfg.Issuer })
	c := signIn(t, p, iin)
	if code, me := me(t, c, p); code != 200 || me.IIN != iin {
		t.Fatalf("me after mockoidc sign-in = %d %+v", code, me)
	}
}

func TestAPITokenWorksForItsBodyUntilRevoked(t *testing.T) {
	p := withSimulator(t)
	officer := persona(t, "officer")
	c := signIn(t, p, officer.IIN)
	_, m := me(t, c, p)
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/account/tokens", strings.NewReader("name=ERP"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", m.CSRF)
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ Token, BodyBIN string }
	_ = json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if resp.StatusCode != 201 || created.Token == "" {
		t.Fatalf("create token = %d", resp.StatusCode)
	}
	code, tm := me(t, http.DefaultClient, p, "Authorization", "Bearer "+created.Token)
	if code != 200 || !hasRole(tm, "api_token", "body_bin", officer.BodyBIN) || len(tm.Roles) != 1 {
		t.Fatalf("token me = %d %+v, want only the token role for %s", code, tm.Roles, officer.BodyBIN)
	}
	if code, _ := me(t, http.DefaultClient, p, "Authorization", "Bearer "+created.Token+"x"); code != 401 {
		t.Fatalf("altered token = %d, want 401", code)
	}
	// Tokens cannot act as people: the account pages are closed to them.
	req, _ = http.NewRequest(http.MethodPost, p.URL+"/account/tokens", strings.NewReader("name=x"))
	req.Header.Set("Authorization", "Bearer "+created.Token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("token creating tokens = %d, want 403", resp.StatusCode)
	}

	env := deps(t)
	toks, err := env.DB.APITokens(context.Background(), officer.BodyBIN)
	if err != nil || len(toks) == 0 {
		t.Fatalf("tokens: %v", err)
	}
	req, _ = http.NewRequest(http.MethodPost, p.URL+"/account/tokens/"+toks[0].ID+"/revoke", strings.NewReader("body="+officer.BodyBIN))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", m.CSRF)
	req.Header.Set("Accept", "application/json")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 {
		t.Fatalf("revoke = %d", resp.StatusCode)
	}
	if code, _ := me(t, http.DefaultClient, p, "Authorization", "Bearer "+created.Token); code != 401 {
		t.Fatalf("revoked token = %d, want 401", code)
	}
}

func TestSignInIsRateLimitedPerIP(t *testing.T) {
	d := deps(t)
	d.Redis = redis.NewClient(&redis.Options{Addr: testenv.StartRedis(t).Addr})
	d.Config.RateLogin = 3
	inOneRateWindow()
	p := startPortal(t, d, func(base string) string { return startSimulator(t, base) })
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var last *http.Response
	for i := 0; i < 4; i++ {
		resp, err := c.Get(p.URL + "/auth/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		last = resp
	}
	if last.StatusCode != 429 || last.Header.Get("Retry-After") == "" {
		t.Fatalf("4th sign-in in a minute = %d Retry-After %q, want 429 with Retry-After", last.StatusCode, last.Header.Get("Retry-After"))
	}
}
