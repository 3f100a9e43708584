package idpsim_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"talap/cmd/idp-sim/idpsim"
	"talap/infra/seed"
	"talap/portal/ident"
)

const (
	personasFile   = "../../../infra/seed/personas.json"
	wellKnownIIN   = "850412300016"
	testClientID   = "test-rp"
	testSecret     = "test-secret"
	testRedirect   = "http://127.0.0.1:18080/auth/callback"
	testPostLogout = "http://127.0.0.1:18080/signed-out"
)

var quiet = slog.New(slog.DiscardHandler)

type env struct {
	srv      *httptest.Server
	issuer   string
	provider *oidc.Provider
	conf     *oauth2.Config
	browser  *http.Client // follows redirects until the relying party's callback
}

// start runs the simulator on a real listener with a static issuer and a test client.
func start(t *testing.T) *env {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	issuer := "http://" + srv.Listener.Addr().String()
	h, err := idpsim.New(idpsim.Config{
		Issuer:       issuer,
		PersonasFile: personasFile,
		Logger:       quiet,
		Clients: []idpsim.Client{{
			ID:                     testClientID,
			Secret:                 testSecret,
			RedirectURIs:           []string{testRedirect},
			PostLogoutRedirectURIs: []string{testPostLogout},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	return newEnv(t, srv, issuer, testClientID, testSecret, testRedirect)
}

func newEnv(t *testing.T, srv *httptest.Server, issuer, clientID, secret, redirect string) *env {
	t.Helper()
	ctx := oidc.ClientContext(context.Background(), srv.Client())
	provider, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{
		Jar: jar,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if strings.HasPrefix(req.URL.String(), strings.SplitN(redirect, "?", 2)[0]) ||
				strings.HasPrefix(req.URL.String(), testPostLogout) {
				return http.ErrUseLastResponse
			}
			if len(via) > 10 {
				t.Fatal("too many redirects")
			}
			return nil
		},
	}
	return &env{
		srv:      srv,
		issuer:   issuer,
		provider: provider,
		browser:  browser,
		conf: &oauth2.Config{
			ClientID:     clientID,
			ClientSecret: secret,
			Endpoint:     provider.Endpoint(),
			RedirectURL:  redirect,
			Scopes:       []string{oidc.ScopeOpenID, "profile"},
		},
	}
}

func (e *env) ctx() context.Context {
	return oidc.ClientContext(context.Background(), e.srv.Client())
}

// authorize sends the browser to the authorization endpoint and returns the final response: the
// redirect to the relying party, or a page.
func (e *env) authorize(t *testing.T, opts ...oauth2.AuthCodeOption) *http.Response {
	t.Helper()
	resp, err := e.browser.Get(e.conf.AuthCodeURL("state-123", opts...))
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// callback returns the query of a redirect to the relying party's callback.
func callback(t *testing.T, resp *http.Response) url.Values {
	t.Helper()
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("want redirect to callback, got %d: %s", resp.StatusCode, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != testRedirect {
		t.Fatalf("redirected to %s, want %s", got, testRedirect)
	}
	return loc.Query()
}

type claims struct {
	Sub       string `json:"sub"`
	IIN       string `json:"iin"`
	Name      string `json:"name"`
	Birthdate string `json:"birthdate"`
}

// signIn runs the code flow with login_hint and PKCE and returns the token and verified ID token.
func (e *env) signIn(t *testing.T, iin string) (*oauth2.Token, *oidc.IDToken, string) {
	t.Helper()
	verifier := oauth2.GenerateVerifier()
	q := callback(t, e.authorize(t,
		oauth2.S256ChallengeOption(verifier),
		oidc.Nonce("nonce-abc"),
		oauth2.SetAuthURLParam("login_hint", iin)))
	if q.Get("state") != "state-123" {
		t.Fatalf("state = %q", q.Get("state"))
	}
	code := q.Get("code")
	if code == "" {
		t.Fatalf("no code in callback: %v", q)
	}
	tok, err := e.conf.Exchange(e.ctx(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := e.provider.Verifier(&oidc.Config{ClientID: e.conf.ClientID}).Verify(e.ctx(), raw)
	if err != nil {
		t.Fatalf("verify ID token: %v", err)
	}
	return tok, idt, raw
}

func TestDiscovery(t *testing.T) {
	t.Parallel()
	e := start(t)
	resp, err := http.Get(e.issuer + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var d struct {
		Issuer        string   `json:"issuer"`
		JWKS          string   `json:"jwks_uri"`
		EndSession    string   `json:"end_session_endpoint"`
		Userinfo      string   `json:"userinfo_endpoint"`
		PKCE          []string `json:"code_challenge_methods_supported"`
		Algs          []string `json:"id_token_signing_alg_values_supported"`
		ResponseTypes []string `json:"response_types_supported"`
		GrantTypes    []string `json:"grant_types_supported"`
	}
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "device_authorization_endpoint") {
		t.Error("discovery advertises the device flow, which the simulator does not serve")
	}
	if d.Issuer != e.issuer || d.JWKS == "" || d.EndSession == "" || d.Userinfo == "" {
		t.Fatalf("discovery: %+v", d)
	}
	if strings.Join(d.PKCE, ",") != "S256" || strings.Join(d.Algs, ",") != "RS256" ||
		strings.Join(d.ResponseTypes, ",") != "code" || strings.Join(d.GrantTypes, ",") != "authorization_code" {
		t.Fatalf("discovery: %+v", d)
	}
	keys, err := http.Get(d.JWKS)
	if err != nil {
		t.Fatal(err)
	}
	defer keys.Body.Close()
	var jwks struct {
		Keys []struct{ Kty, Alg, Use, Kid string } `json:"keys"`
	}
	if err := json.NewDecoder(keys.Body).Decode(&jwks); err != nil || len(jwks.Keys) != 1 ||
		jwks.Keys[0].Kty != "RSA" || jwks.Keys[0].Kid == "" {
		t.Fatalf("jwks: %+v %v", jwks, err)
	}
}

func TestCodeFlowWithLoginHint(t *testing.T) {
	t.Parallel()
	e := start(t)
	tok, idt, _ := e.signIn(t, wellKnownIIN)
	if idt.Nonce != "nonce-abc" {
		t.Errorf("nonce = %q", idt.Nonce)
	}
	if idt.Subject != wellKnownIIN {
		t.Errorf("sub = %q", idt.Subject)
	}
	if ttl := idt.Expiry.Sub(idt.IssuedAt); ttl != 5*time.Minute {
		t.Errorf("ID token lifetime %v, want 5m", ttl)
	}
	var c claims
	if err := idt.Claims(&c); err != nil {
		t.Fatal(err)
	}
	want := claims{Sub: wellKnownIIN, IIN: wellKnownIIN, Name: "Серікбаев Асқар Нұрланұлы", Birthdate: "1985-04-12"}
	if c != want {
		t.Errorf("ID token claims %+v, want %+v", c, want)
	}

	ui, err := e.provider.UserInfo(e.ctx(), oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	var uc claims
	if err := ui.Claims(&uc); err != nil {
		t.Fatal(err)
	}
	if uc != want {
		t.Errorf("userinfo claims %+v, want %+v", uc, want)
	}
}

func TestPKCERequired(t *testing.T) {
	t.Parallel()
	e := start(t)
	verifier := oauth2.GenerateVerifier()
	cases := map[string][]oauth2.AuthCodeOption{
		"none": nil,
		"plain": {
			oauth2.SetAuthURLParam("code_challenge", verifier),
			oauth2.SetAuthURLParam("code_challenge_method", "plain"),
		},
		"method missing": {oauth2.SetAuthURLParam("code_challenge", verifier)},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			opts = append(opts, oauth2.SetAuthURLParam("login_hint", wellKnownIIN))
			q := callback(t, e.authorize(t, opts...))
			if q.Get("error") != "invalid_request" || q.Get("code") != "" {
				t.Fatalf("want invalid_request, got %v", q)
			}
		})
	}

	t.Run("wrong verifier", func(t *testing.T) {
		q := callback(t, e.authorize(t, oauth2.S256ChallengeOption(verifier),
			oauth2.SetAuthURLParam("login_hint", wellKnownIIN)))
		if _, err := e.conf.Exchange(e.ctx(), q.Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier())); err == nil {
			t.Fatal("exchange with a wrong code_verifier succeeded")
		}
		if _, err := e.conf.Exchange(e.ctx(), q.Get("code")); err == nil {
			t.Fatal("exchange without a code_verifier succeeded")
		}
	})
}

func TestCodeIsSingleUse(t *testing.T) {
	t.Parallel()
	e := start(t)
	verifier := oauth2.GenerateVerifier()
	q := callback(t, e.authorize(t, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("login_hint", wellKnownIIN)))
	tok, err := e.conf.Exchange(e.ctx(), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.conf.Exchange(e.ctx(), q.Get("code"), oauth2.VerifierOption(verifier))
	var re *oauth2.RetrieveError
	if err == nil || !errorAs(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("replayed code: want invalid_grant, got %v", err)
	}
	// The replay revokes what the code gave.
	if _, err := e.provider.UserInfo(e.ctx(), oauth2.StaticTokenSource(tok)); err == nil {
		t.Error("access token still valid after the code was replayed")
	}
}

func TestConcurrentRedemption(t *testing.T) {
	t.Parallel()
	e := start(t)
	verifier := oauth2.GenerateVerifier()
	q := callback(t, e.authorize(t, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("login_hint", wellKnownIIN)))
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 8 {
		wg.Go(func() {
			if _, err := e.conf.Exchange(e.ctx(), q.Get("code"), oauth2.VerifierOption(verifier)); err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d redemptions of one code succeeded, want 1", ok)
	}
}

func TestWrongClientSecret(t *testing.T) {
	t.Parallel()
	e := start(t)
	verifier := oauth2.GenerateVerifier()
	q := callback(t, e.authorize(t, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("login_hint", wellKnownIIN)))
	bad := *e.conf
	bad.ClientSecret = "nope"
	if _, err := bad.Exchange(e.ctx(), q.Get("code"), oauth2.VerifierOption(verifier)); err == nil {
		t.Fatal("exchange with a wrong client secret succeeded")
	}
}

func TestUnknownRedirectURIRefused(t *testing.T) {
	t.Parallel()
	e := start(t)
	bad := *e.conf
	bad.RedirectURL = "http://127.0.0.1:18080/evil"
	resp, err := e.browser.Get(bad.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()),
		oauth2.SetAuthURLParam("login_hint", wellKnownIIN)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 || strings.Contains(resp.Header.Get("Location"), "/evil") {
		t.Fatalf("unregistered redirect_uri: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

var authReqIDRe = regexp.MustCompile(`name="authRequestID" value="([^"]+)"`)

func readPage(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("want picker page, got %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	return string(b)
}

func TestPickerForUnknownHint(t *testing.T) {
	t.Parallel()
	e := start(t)
	verifier := oauth2.GenerateVerifier()
	page := readPage(t, e.authorize(t, oauth2.S256ChallengeOption(verifier), oidc.Nonce("n-1"),
		oauth2.SetAuthURLParam("login_hint", "000000000000")))
	for _, want := range []string{`<html lang="ru">`, "Граждане", "Сотрудники государственных органов",
		"Работники канцелярий судов", "Администратор", wellKnownIIN, "login_hint", `<button type="submit" name="iin"`} {
		if !strings.Contains(page, want) {
			t.Errorf("picker page lacks %q", want)
		}
	}
	m := authReqIDRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no authRequestID in the page")
	}
	const chosen = "921103401019" // second citizen
	resp, err := e.browser.PostForm(e.issuer+"/login", url.Values{"authRequestID": {m[1]}, "iin": {chosen}})
	if err != nil {
		t.Fatal(err)
	}
	q := callback(t, resp)
	tok, err := e.conf.Exchange(e.ctx(), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	idt, err := e.provider.Verifier(&oidc.Config{ClientID: testClientID}).Verify(e.ctx(), tok.Extra("id_token").(string))
	if err != nil {
		t.Fatal(err)
	}
	if idt.Subject != chosen || idt.Nonce != "n-1" {
		t.Fatalf("sub %q nonce %q", idt.Subject, idt.Nonce)
	}

	// The request is spent: choosing again fails, and so does an unknown request.
	for _, id := range []string{m[1], "guess"} {
		resp, err := e.browser.PostForm(e.issuer+"/login", url.Values{"authRequestID": {id}, "iin": {chosen}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST for spent/unknown request %q: status %d", id, resp.StatusCode)
		}
	}
}

func TestPickerUnknownPersona(t *testing.T) {
	t.Parallel()
	e := start(t)
	page := readPage(t, e.authorize(t, oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	m := authReqIDRe.FindStringSubmatch(page)
	resp, err := e.browser.PostForm(e.issuer+"/login", url.Values{"authRequestID": {m[1]}, "iin": {"000000000000"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("unknown persona: status %d", resp.StatusCode)
	}
}

func TestPickerLanguage(t *testing.T) {
	t.Parallel()
	e := start(t)
	pkce := oauth2.S256ChallengeOption(oauth2.GenerateVerifier())
	get := func(acceptLang string, opts ...oauth2.AuthCodeOption) string {
		req, _ := http.NewRequest(http.MethodGet, e.conf.AuthCodeURL("s", append(opts, pkce)...), nil)
		if acceptLang != "" {
			req.Header.Set("Accept-Language", acceptLang)
		}
		resp, err := e.browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return readPage(t, resp)
	}
	cases := []struct {
		name, accept string
		opts         []oauth2.AuthCodeOption
		lang, text   string
	}{
		{"default", "", nil, "ru", "Выберите демо-персону"},
		{"ui_locales kk", "en", []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("ui_locales", "kk ru")}, "kk", "Азаматтар"},
		{"ui_locales en", "", []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("ui_locales", "en-GB")}, "en", "Officers of public bodies"},
		{"accept-language", "en-US,en;q=0.9", nil, "en", "Court clerks"},
		{"accept-language kk", "kk-KZ", nil, "kk", "Сот кеңселерінің қызметкерлері"},
		{"unsupported", "de-DE", nil, "ru", "Граждане"},
	}
	for _, c := range cases {
		page := get(c.accept, c.opts...)
		if !strings.Contains(page, `<html lang="`+c.lang+`">`) || !strings.Contains(page, c.text) {
			t.Errorf("%s: want lang %s with %q", c.name, c.lang, c.text)
		}
	}

	// ?lang= on the picker overrides everything.
	page := get("ru", oauth2.SetAuthURLParam("ui_locales", "kk"))
	id := authReqIDRe.FindStringSubmatch(page)[1]
	resp, err := e.browser.Get(e.issuer + "/login?authRequestID=" + url.QueryEscape(id) + "&lang=en")
	if err != nil {
		t.Fatal(err)
	}
	page = readPage(t, resp)
	if !strings.Contains(page, `<html lang="en">`) || !strings.Contains(page, "Citizens") {
		t.Error("?lang=en did not switch the page to English")
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Error("picker page lacks security headers")
	}
	// The CSP allows the inline style by its hash: the hash must match the style served.
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(page)
	sum := sha256.Sum256([]byte(style[1]))
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") ||
		!strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q does not match the page's style", csp)
	}
}

func TestPersonas(t *testing.T) {
	t.Parallel()
	e := start(t)
	resp, err := http.Get(e.issuer + "/personas")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ps []struct {
		IIN     string `json:"iin"`
		Name    string `json:"name"`
		Kind    string `json:"kind"`
		BodyBIN string `json:"body_bin"`
		CourtID string `json:"court_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&ps); err != nil {
		t.Fatal(err)
	}
	file, err := idpsim.LoadPersonas(personasFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != len(file) || len(ps) == 0 {
		t.Fatalf("/personas lists %d, file has %d", len(ps), len(file))
	}
	if ps[0].IIN != wellKnownIIN || ps[0].Kind != "citizen" {
		t.Errorf("first persona %+v, want citizen %s", ps[0], wellKnownIIN)
	}
	seen := map[string]bool{}
	kinds := map[string]int{}
	sexes := map[bool]bool{}
	officers := map[string]bool{}
	clerks := map[string]bool{}
	for _, p := range ps {
		if err := ident.ValidateIIN(p.IIN); err != nil {
			t.Errorf("%s %s: %v", p.IIN, p.Name, err)
		}
		if seen[p.IIN] {
			t.Errorf("duplicate IIN %s", p.IIN)
		}
		seen[p.IIN] = true
		if p.Name == "" {
			t.Errorf("%s: no name", p.IIN)
		}
		kinds[p.Kind]++
		switch p.Kind {
		case "citizen":
			sexes[(p.IIN[6]-'0')%2 == 1] = true
			born, _ := ident.IINBirthDate(p.IIN)
			if born.Year() < 1950 || born.Year() > 2009 {
				t.Errorf("citizen %s born %d", p.IIN, born.Year())
			}
		case "officer":
			officers[p.BodyBIN] = true
		case "clerk":
			clerks[p.CourtID] = true
		case "admin":
		default:
			t.Errorf("%s: kind %q", p.IIN, p.Kind)
		}
	}
	if kinds["citizen"] < 6 || kinds["admin"] < 1 || !sexes[true] || !sexes[false] {
		t.Errorf("kinds %v, sexes %v", kinds, sexes)
	}

	bodies, err := seed.Bodies()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bodies {
		if !officers[b.BIN] {
			t.Errorf("public body %s (%s) has no officer persona", b.BIN, b.Name.RU)
		}
	}
	courts, err := seed.Courts()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range courts {
		if !clerks[c.ID] {
			t.Errorf("court %s has no clerk persona", c.ID)
		}
	}
}

func TestEndSession(t *testing.T) {
	t.Parallel()
	e := start(t)
	tok, _, raw := e.signIn(t, wellKnownIIN)
	var disc struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := e.provider.Claims(&disc); err != nil {
		t.Fatal(err)
	}
	u := disc.EndSession + "?" + url.Values{
		"id_token_hint":            {raw},
		"post_logout_redirect_uri": {testPostLogout},
		"state":                    {"bye"},
	}.Encode()
	resp, err := e.browser.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != testPostLogout+"?state=bye" {
		t.Fatalf("end_session: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, err := e.provider.UserInfo(e.ctx(), oauth2.StaticTokenSource(tok)); err == nil {
		t.Error("access token still valid after logout")
	}

	// An unregistered post_logout_redirect_uri is refused.
	resp, err = e.browser.Get(disc.EndSession + "?" + url.Values{
		"client_id": {testClientID}, "post_logout_redirect_uri": {"http://127.0.0.1:18080/evil"},
	}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 {
		t.Fatalf("unregistered post-logout URI: status %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	e := start(t)
	resp, err := http.Get(e.issuer + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %d", resp.StatusCode)
	}
}

// TestDefaultsAndHostIssuer runs New with only personas: the default talap-portal client and the
// issuer taken from the request's Host, as with a plain httptest.NewServer.
func TestDefaultsAndHostIssuer(t *testing.T) {
	t.Parallel()
	h, err := idpsim.New(idpsim.Config{PersonasFile: personasFile, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	def := idpsim.DefaultClient()
	e := newEnv(t, srv, srv.URL, def.ID, def.Secret, "http://127.0.0.1:8080/auth/callback")
	verifier := oauth2.GenerateVerifier()
	resp := e.authorize(t, oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("login_hint", wellKnownIIN))
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Host != "127.0.0.1:8080" || loc.Query().Get("code") == "" {
		t.Fatalf("default client: %d %s", resp.StatusCode, loc)
	}
	tok, err := e.conf.Exchange(e.ctx(), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.provider.Verifier(&oidc.Config{ClientID: def.ID}).Verify(e.ctx(), tok.Extra("id_token").(string)); err != nil {
		t.Fatal(err)
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	good := idpsim.Persona{IIN: wellKnownIIN, Name: "A", Kind: idpsim.KindCitizen}
	cases := map[string]idpsim.Config{
		"no personas":    {},
		"bad IIN":        {Personas: []idpsim.Persona{{IIN: "850412300017", Name: "A", Kind: idpsim.KindCitizen}}},
		"duplicate IIN":  {Personas: []idpsim.Persona{good, good}},
		"bad kind":       {Personas: []idpsim.Persona{{IIN: wellKnownIIN, Name: "A", Kind: "king"}}},
		"officer no BIN": {Personas: []idpsim.Persona{{IIN: wellKnownIIN, Name: "A", Kind: idpsim.KindOfficer}}},
		"issuer path":    {Personas: []idpsim.Persona{good}, Issuer: "http://127.0.0.1:8090/idp"},
		"client no URI":  {Personas: []idpsim.Persona{good}, Clients: []idpsim.Client{{ID: "x"}}},
	}
	for name, cfg := range cases {
		if _, err := idpsim.New(cfg); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
}

func errorAs(err error, target **oauth2.RetrieveError) bool {
	re, ok := err.(*oauth2.RetrieveError)
	if ok {
		*target = re
	}
	return ok
}
