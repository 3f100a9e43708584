package idpsim

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"fmt"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

const (
	authRequestLifetime = 10 * time.Minute // time to pick a persona
	codeLifetime        = time.Minute      // time to redeem a code
	usedCodeMemory      = 10 * time.Minute // how long a redeemed code is remembered to detect replays
)

var errNotFound = errors.New("not found")

// storage is the in-memory op.Storage of the simulator, after the zitadel/oidc example server.
type storage struct {
	personas        map[string]Persona // by IIN
	clients         map[string]*opClient
	key             signingKey
	accessTTL       time.Duration
	now             func() time.Time
	mu              sync.Mutex
	authRequests    map[string]*authRequest
	codes           map[string]codeEntry // code -> auth request, not yet redeemed
	usedCodes       map[string]codeEntry // code -> auth request, redeemed (replay detection)
	tokens          map[string]*accessToken
	lastCleanup     time.Time
	cleanupInterval time.Duration
}

type codeEntry struct {
	authReqID string
	expires   time.Time
}

var _ op.Storage = (*storage)(nil)

func newStorage(personas []Persona, clients []Client, key *rsa.PrivateKey, keyID string, idTTL, accessTTL time.Duration) *storage {
	s := &storage{
		personas:        make(map[string]Persona, len(personas)),
		clients:         make(map[string]*opClient, len(clients)),
		key:             signingKey{id: keyID, key: key},
		accessTTL:       accessTTL,
		now:             time.Now,
		authRequests:    map[string]*authRequest{},
		codes:           map[string]codeEntry{},
		usedCodes:       map[string]codeEntry{},
		tokens:          map[string]*accessToken{},
		cleanupInterval: time.Minute,
	}
	for _, p := range personas {
		s.personas[p.IIN] = p
	}
	for _, c := range clients {
		s.clients[c.ID] = &opClient{c: c, idTokenLifetime: idTTL}
	}
	return s
}

// cleanupLocked drops expired auth requests, codes and tokens. Caller holds s.mu.
func (s *storage) cleanupLocked(now time.Time) {
	if now.Sub(s.lastCleanup) < s.cleanupInterval {
		return
	}
	s.lastCleanup = now
	for id, r := range s.authRequests {
		if now.Sub(r.created) > authRequestLifetime+codeLifetime {
			delete(s.authRequests, id)
		}
	}
	for c, e := range s.codes {
		if now.After(e.expires) {
			delete(s.codes, c)
		}
	}
	for c, e := range s.usedCodes {
		if now.After(e.expires) {
			delete(s.usedCodes, c)
		}
	}
	for id, t := range s.tokens {
		if now.After(t.expires) {
			delete(s.tokens, id)
		}
	}
}

func randomID() string { return rand.Text() }

// persona returns a persona by IIN.
func (s *storage) persona(iin string) (Persona, bool) {
	p, ok := s.personas[iin]
	return p, ok
}

// CreateAuthRequest stores a validated authorization request. PKCE with S256 is required: the
// op package accepts requests without a challenge or with "plain", the simulator does not.
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, userID string) (op.AuthRequest, error) {
	if len(req.Prompt) == 1 && req.Prompt[0] == oidc.PromptNone {
		return nil, oidc.ErrLoginRequired().WithDescription("the simulator keeps no session; prompt=none cannot succeed")
	}
	if req.CodeChallenge == "" {
		return nil, oidc.ErrInvalidRequest().WithDescription("code_challenge is required (PKCE with S256)")
	}
	if req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("code_challenge_method must be S256")
	}
	now := s.now()
	r := &authRequest{
		id:            randomID(),
		created:       now,
		clientID:      req.ClientID,
		redirectURI:   req.RedirectURI,
		state:         req.State,
		nonce:         req.Nonce,
		scopes:        req.Scopes,
		responseType:  req.ResponseType,
		responseMode:  req.ResponseMode,
		codeChallenge: &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod},
		uiLocales:     req.UILocales,
		loginHint:     req.LoginHint,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cleanupLocked(now)
	s.authRequests[r.id] = r
	return r.snapshot(), nil
}

func (a *authRequest) snapshot() *authRequest {
	c := *a
	return &c
}

// authRequestLocked returns a live (not completed too long ago) auth request. Caller holds s.mu.
func (s *storage) authRequestLocked(id string) (*authRequest, error) {
	r, ok := s.authRequests[id]
	if !ok || s.now().Sub(r.created) > authRequestLifetime+codeLifetime {
		return nil, fmt.Errorf("auth request %w or expired", errNotFound)
	}
	return r, nil
}

// AuthRequestByID returns a copy of the stored request, so that the op package reads a snapshot.
func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.authRequestLocked(id)
	if err != nil {
		return nil, err
	}
	return r.snapshot(), nil
}

// authRequestView returns a copy for the login page.
func (s *storage) authRequestView(id string) (*authRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.authRequestLocked(id)
	if err != nil {
		return nil, err
	}
	if r.done {
		return nil, errors.New("auth request already completed")
	}
	return r.snapshot(), nil
}

// completeLogin signs a persona in for an auth request.
func (s *storage) completeLogin(id, iin string) error {
	if _, ok := s.persona(iin); !ok {
		return fmt.Errorf("persona %w", errNotFound)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.authRequestLocked(id)
	if err != nil {
		return err
	}
	if s.now().Sub(r.created) > authRequestLifetime {
		return fmt.Errorf("auth request %w or expired", errNotFound)
	}
	if r.done {
		return errors.New("auth request already completed")
	}
	r.subject = iin
	r.done = true
	r.authTime = s.now()
	return nil
}

// AuthRequestByCode redeems a code: a code works once. Redeeming it again fails and revokes the
// access tokens issued from it (RFC 6749 section 4.1.2).
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	e, ok := s.codes[code]
	if !ok {
		if used, replay := s.usedCodes[code]; replay {
			for id, t := range s.tokens {
				if t.authReqID == used.authReqID {
					delete(s.tokens, id)
				}
			}
			return nil, errors.New("code already used")
		}
		return nil, fmt.Errorf("code %w", errNotFound)
	}
	delete(s.codes, code)
	s.usedCodes[code] = codeEntry{authReqID: e.authReqID, expires: now.Add(usedCodeMemory)}
	if now.After(e.expires) {
		return nil, errors.New("code expired")
	}
	r, err := s.authRequestLocked(e.authReqID)
	if err != nil {
		return nil, err
	}
	return r.snapshot(), nil
}

// SaveAuthCode records the code for a completed request; one code per request.
func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.authRequestLocked(id)
	if err != nil {
		return err
	}
	if !r.done {
		return errors.New("auth request not completed")
	}
	if r.codeIssued {
		return oidc.ErrInvalidRequest().WithDescription("a code was already issued for this request")
	}
	r.codeIssued = true
	s.codes[code] = codeEntry{authReqID: id, expires: s.now().Add(codeLifetime)}
	return nil
}

// DeleteAuthRequest is called once tokens were issued for the request.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.authRequests, id)
	for c, e := range s.codes {
		if e.authReqID == id {
			delete(s.codes, c)
		}
	}
	return nil
}

func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	t := &accessToken{
		id:       randomID(),
		subject:  req.GetSubject(),
		audience: req.GetAudience(),
		scopes:   req.GetScopes(),
		expires:  s.now().Add(s.accessTTL),
	}
	if ar, ok := req.(*authRequest); ok {
		t.clientID = ar.clientID
		t.authReqID = ar.id
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[t.id] = t
	return t.id, t.expires, nil
}

var errNoRefresh = errors.New("refresh tokens are not supported by the simulator")

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errNoRefresh
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// TerminateSession revokes the user's access tokens for the client (RP-initiated logout).
func (s *storage) TerminateSession(_ context.Context, userID, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, t := range s.tokens {
		if t.subject == userID && (clientID == "" || t.clientID == clientID) {
			delete(s.tokens, id)
		}
	}
	return nil
}

func (s *storage) RevokeToken(_ context.Context, tokenOrID, _ string, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenOrID]
	if !ok {
		return nil
	}
	if t.clientID != clientID {
		return oidc.ErrInvalidClient().WithDescription("token was not issued for this client")
	}
	delete(s.tokens, tokenOrID)
	return nil
}

// signingKey is the RSA key that signs ID tokens (RS256).
type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }

type publicKey struct{ k *signingKey }

func (p publicKey) ID() string                         { return p.k.id }
func (p publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (p publicKey) Use() string                        { return "sig" }
func (p publicKey) Key() any                           { return &p.k.key.PublicKey }

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return &s.key, nil }

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{&s.key}}, nil
}

func (s *storage) GetClientByClientID(_ context.Context, clientID string) (op.Client, error) {
	c, ok := s.clients[clientID]
	if !ok {
		return nil, fmt.Errorf("client %w", errNotFound)
	}
	return c, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, clientID, secret string) error {
	c, ok := s.clients[clientID]
	if !ok {
		return fmt.Errorf("client %w", errNotFound)
	}
	if c.c.Secret == "" {
		return nil
	}
	if subtle.ConstantTimeCompare([]byte(c.c.Secret), []byte(secret)) != 1 {
		return errors.New("invalid client secret")
	}
	return nil
}

// setUserinfo puts the persona's claims: sub and iin (the IIN), name and birthdate. They go into
// the ID token as well as the userinfo response, whatever the scopes.
func (s *storage) setUserinfo(info *oidc.UserInfo, userID string) error {
	p, ok := s.persona(userID)
	if !ok {
		return fmt.Errorf("persona %w", errNotFound)
	}
	info.Subject = p.IIN
	info.Name = p.Name
	info.Birthdate = p.Birthdate()
	info.AppendClaims("iin", p.IIN)
	return nil
}

func (s *storage) SetUserinfoFromScopes(_ context.Context, info *oidc.UserInfo, userID, _ string, _ []string) error {
	return s.setUserinfo(info, userID)
}

func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	live := ok && s.now().Before(t.expires) && t.subject == subject
	s.mu.Unlock()
	if !live {
		return errors.New("token invalid or expired")
	}
	return s.setUserinfo(info, subject)
}

func (s *storage) SetIntrospectionFromToken(_ context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	var tc accessToken
	if ok {
		tc = *t
	}
	s.mu.Unlock()
	if !ok || !s.now().Before(tc.expires) || tc.subject != subject || tc.clientID != clientID {
		return errors.New("token invalid or expired")
	}
	info := new(oidc.UserInfo)
	if err := s.setUserinfo(info, subject); err != nil {
		return err
	}
	resp.SetUserInfo(info)
	resp.Scope = tc.scopes
	resp.ClientID = tc.clientID
	resp.Expiration = oidc.FromTime(tc.expires)
	return nil
}

func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("JWT profile is not supported by the simulator")
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("JWT profile is not supported by the simulator")
}

func (s *storage) Health(context.Context) error { return nil }
