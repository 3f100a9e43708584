// Package idpsim is a simulator of Kazakhstan's national eID as a real OpenID Connect provider,
// built on zitadel/oidc v3 op: discovery, JWKS, authorization code flow with PKCE S256 (required),
// nonce, RS256 ID tokens, userinfo and RP-initiated logout. People sign in by picking a demo
// persona; with login_hint=<IIN> of a known persona the picker is skipped (dev only, for tests).
//
// It is for development and tests only: it allows an http issuer and http redirect URIs.
package idpsim

import (
	"bytes"
	"cmp"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Config configures the simulator. Only Personas or PersonasFile is required.
type Config struct {
	// Issuer is the issuer URL, e.g. http://127.0.0.1:8090 (no path). Empty: taken from each
	// request's Host as http://<host>, handy with httptest.NewServer.
	Issuer string
	// Personas to serve. When empty, they are read from PersonasFile.
	Personas     []Persona
	PersonasFile string
	// Clients allowed to sign in. Empty: []Client{DefaultClient()}.
	Clients []Client
	// SigningKey signs ID tokens (RS256). Nil: a fresh RSA 2048 key is generated.
	SigningKey *rsa.PrivateKey
	// IDTokenLifetime defaults to 5 minutes, AccessTokenLifetime to 5 minutes.
	IDTokenLifetime     time.Duration
	AccessTokenLifetime time.Duration
	// Logger receives request logs. Nil: slog.Default().
	Logger *slog.Logger
}

const (
	loginPath     = "/login"
	loggedOutPath = "/logged-out"
	// DefaultTokenLifetime is the default ID and access token lifetime.
	DefaultTokenLifetime = 5 * time.Minute
)

// New returns the simulator's HTTP handler. Besides the OpenID endpoints (/.well-known/
// openid-configuration, /authorize, /oauth/token, /userinfo, /keys, /end_session, ...) it serves
// /login (the persona picker), GET /personas and GET /healthz.
func New(cfg Config) (http.Handler, error) {
	personas := cfg.Personas
	if len(personas) == 0 {
		if cfg.PersonasFile == "" {
			return nil, errors.New("idpsim: no personas and no personas file")
		}
		var err error
		if personas, err = LoadPersonas(cfg.PersonasFile); err != nil {
			return nil, err
		}
	}
	if err := ValidatePersonas(personas); err != nil {
		return nil, err
	}
	clients := cfg.Clients
	if len(clients) == 0 {
		clients = []Client{DefaultClient()}
	}
	if err := validateClients(clients); err != nil {
		return nil, err
	}
	key := cfg.SigningKey
	if key == nil {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, fmt.Errorf("idpsim: generate signing key: %w", err)
		}
	}
	keyID, err := keyID(key)
	if err != nil {
		return nil, err
	}
	idTTL := cmp.Or(cfg.IDTokenLifetime, DefaultTokenLifetime)
	accessTTL := cmp.Or(cfg.AccessTokenLifetime, DefaultTokenLifetime)
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}

	issuer := op.IssuerFromHost("")
	if cfg.Issuer != "" {
		u, err := url.Parse(cfg.Issuer)
		if err != nil {
			return nil, fmt.Errorf("idpsim: issuer: %w", err)
		}
		if strings.Trim(u.Path, "/") != "" {
			return nil, fmt.Errorf("idpsim: issuer %q must not have a path", cfg.Issuer)
		}
		issuer = op.StaticIssuer(strings.TrimSuffix(cfg.Issuer, "/"))
	}

	store := newStorage(personas, clients, key, keyID, idTTL, accessTTL)
	var cryptoKey [32]byte
	if _, err := rand.Read(cryptoKey[:]); err != nil {
		return nil, err
	}
	opConfig := &op.Config{
		CryptoKey:                cryptoKey,
		CryptoKeyId:              "idpsim",
		DefaultLogoutRedirectURI: loggedOutPath,
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		SupportedUILocales:       []language.Tag{language.Kazakh, language.Russian, language.English},
		SupportedClaims: []string{
			"sub", "aud", "exp", "iat", "iss", "auth_time", "nonce", "amr", "c_hash", "at_hash",
			"azp", "name", "birthdate", "iin",
		},
		SupportedScopes: []string{"openid", "profile"},
	}
	provider, err := op.NewProvider(opConfig, store, issuer, op.WithAllowInsecure())
	if err != nil {
		return nil, fmt.Errorf("idpsim: provider: %w", err)
	}

	l := &login{
		store:    store,
		callback: op.AuthCallbackURL(provider),
		personas: personas,
		logger:   logger,
	}
	interceptor := op.NewIssuerInterceptor(provider.IssuerFromRequest)

	mux := http.NewServeMux()
	mux.Handle("GET "+loginPath, interceptor.HandlerFunc(l.show))
	mux.Handle("POST "+loginPath, interceptor.HandlerFunc(l.choose))
	mux.HandleFunc("GET "+loggedOutPath, l.loggedOut)
	mux.HandleFunc("GET /personas", personasHandler(personas))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /.well-known/openid-configuration", codeFlowOnly(provider))
	mux.Handle("/", provider)
	return logRequests(logger, mux), nil
}

func validateClients(clients []Client) error {
	seen := map[string]bool{}
	var errs []error
	for i, c := range clients {
		if c.ID == "" {
			errs = append(errs, fmt.Errorf("idpsim: client %d: empty id", i))
		}
		if seen[c.ID] {
			errs = append(errs, fmt.Errorf("idpsim: client %q listed twice", c.ID))
		}
		seen[c.ID] = true
		if len(c.RedirectURIs) == 0 {
			errs = append(errs, fmt.Errorf("idpsim: client %q: no redirect URIs", c.ID))
		}
		for _, u := range append(append([]string{}, c.RedirectURIs...), c.PostLogoutRedirectURIs...) {
			if p, err := url.Parse(u); err != nil || !p.IsAbs() || p.Fragment != "" {
				errs = append(errs, fmt.Errorf("idpsim: client %q: bad URI %q", c.ID, u))
			}
		}
	}
	return errors.Join(errs...)
}

// keyID is the RFC 7638 thumbprint of the public key, so a key keeps its id across restarts.
func keyID(key *rsa.PrivateKey) (string, error) {
	jwk := jose.JSONWebKey{Key: &key.PublicKey}
	tp, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("idpsim: key thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(tp), nil
}

func personasHandler(personas []Persona) http.HandlerFunc {
	body, err := json.Marshal(personas)
	if err != nil {
		panic(err) // plain strings only
	}
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}
}

// codeFlowOnly corrects the discovery document: the op package always lists the implicit flow's
// response and grant types and the device endpoint, but the simulator serves the authorization
// code flow only.
func codeFlowOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(buf, r)
		var doc map[string]any
		if buf.status != http.StatusOK || json.Unmarshal(buf.body.Bytes(), &doc) != nil {
			buf.copyTo(w)
			return
		}
		doc["response_types_supported"] = []string{"code"}
		doc["grant_types_supported"] = []string{"authorization_code"}
		delete(doc, "device_authorization_endpoint")
		body, err := json.Marshal(doc)
		if err != nil {
			buf.copyTo(w)
			return
		}
		buf.body.Reset()
		buf.body.Write(body)
		buf.header.Del("Content-Length")
		buf.copyTo(w)
	})
}

// bufferedResponse holds a response so that it can be changed before it is sent.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) WriteHeader(status int)      { b.status = status }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }

func (b *bufferedResponse) copyTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}

// statusRecorder captures the response status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logRequests logs method, path (never the query: it carries codes and states), status and time.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		logger.LogAttrs(r.Context(), slog.LevelInfo, "http request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", cmp.Or(rec.status, http.StatusOK)),
			slog.Duration("duration", time.Since(start)),
		)
	})
}
