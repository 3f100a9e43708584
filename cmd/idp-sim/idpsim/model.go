package idpsim

import (
	"log/slog"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Client is a relying party allowed to use the simulator. An empty Secret makes a public client
// (no client authentication; PKCE is required from every client anyway).
type Client struct {
	ID                     string   `json:"id"`
	Secret                 string   `json:"secret"`
	RedirectURIs           []string `json:"redirect_uris"`
	PostLogoutRedirectURIs []string `json:"post_logout_redirect_uris"`
}

// Default client settings: the portal in development.
const (
	DefaultClientID     = "talap-portal"
	DefaultClientSecret = "talap-dev-secret"
)

// DefaultClient returns the portal's development client: talap-portal / talap-dev-secret with the
// portal's callback on 127.0.0.1:8080 and localhost:8080.
func DefaultClient() Client {
	return Client{
		ID:     DefaultClientID,
		Secret: DefaultClientSecret,
		RedirectURIs: []string{
			"http://127.0.0.1:8080/auth/callback",
			"http://localhost:8080/auth/callback",
		},
		PostLogoutRedirectURIs: []string{
			"http://127.0.0.1:8080/",
			"http://localhost:8080/",
		},
	}
}

// opClient adapts Client to op.Client.
type opClient struct {
	c               Client
	idTokenLifetime time.Duration
}

var _ op.Client = (*opClient)(nil)

func (c *opClient) GetID() string                    { return c.c.ID }
func (c *opClient) RedirectURIs() []string           { return c.c.RedirectURIs }
func (c *opClient) PostLogoutRedirectURIs() []string { return c.c.PostLogoutRedirectURIs }
func (c *opClient) ApplicationType() op.ApplicationType {
	if c.c.Secret == "" {
		return op.ApplicationTypeUserAgent
	}
	return op.ApplicationTypeWeb
}
func (c *opClient) AuthMethod() oidc.AuthMethod {
	if c.c.Secret == "" {
		return oidc.AuthMethodNone
	}
	return oidc.AuthMethodBasic
}
func (c *opClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *opClient) GrantTypes() []oidc.GrantType { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c *opClient) LoginURL(id string) string    { return loginPath + "?authRequestID=" + id }
func (c *opClient) AccessTokenType() op.AccessTokenType {
	return op.AccessTokenTypeBearer
}
func (c *opClient) IDTokenLifetime() time.Duration { return c.idTokenLifetime }

// DevMode lets http (not https) redirect URIs through: the simulator only runs in development.
func (c *opClient) DevMode() bool { return true }
func (c *opClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *opClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *opClient) IsScopeAllowed(string) bool           { return false }
func (c *opClient) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *opClient) ClockSkew() time.Duration             { return 0 }

// authRequest is a stored authorization request. Fields set after creation (subject, done,
// authTime, codeIssued) are guarded by the storage lock; the op package reads them through the
// getters only after the login completed.
type authRequest struct {
	id            string
	created       time.Time
	clientID      string
	redirectURI   string
	state         string
	nonce         string
	scopes        []string
	responseType  oidc.ResponseType
	responseMode  oidc.ResponseMode
	codeChallenge *oidc.CodeChallenge
	uiLocales     []language.Tag
	loginHint     string

	subject    string
	done       bool
	authTime   time.Time
	codeIssued bool
}

var _ op.AuthRequest = (*authRequest)(nil)

func (a *authRequest) GetID() string                         { return a.id }
func (a *authRequest) GetACR() string                        { return "" }
func (a *authRequest) GetAMR() []string                      { return []string{"swk"} }
func (a *authRequest) GetAudience() []string                 { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetClientID() string                   { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.codeChallenge }
func (a *authRequest) GetNonce() string                      { return a.nonce }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.responseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMode }
func (a *authRequest) GetScopes() []string                   { return slices.Clone(a.scopes) }
func (a *authRequest) GetState() string                      { return a.state }
func (a *authRequest) GetSubject() string                    { return a.subject }
func (a *authRequest) Done() bool                            { return a.done }

// LogValue keeps secrets (state, nonce, code challenge) out of logs.
func (a *authRequest) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", a.id),
		slog.String("client_id", a.clientID),
		slog.String("redirect_uri", a.redirectURI),
	)
}

// accessToken is an issued access token (opaque to clients: the op package encrypts its id).
type accessToken struct {
	id        string
	clientID  string
	subject   string
	authReqID string
	audience  []string
	scopes    []string
	expires   time.Time
}
