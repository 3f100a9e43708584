// Package web is Talap's HTTP layer: server-rendered pages for people and the JSON API for
// programs. Handlers stay thin: they read the request, call storage or a domain package, and answer.
package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/etag"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"talap/frontend"
	"talap/portal/claim"
	"talap/portal/config"
	"talap/portal/filing"
	"talap/portal/locale"
	"talap/portal/objectstore"
	"talap/portal/ratelimit"
	"talap/portal/receipt"
	"talap/portal/session"
	"talap/portal/storage"
)

// Deps are the services the portal talks to.
type Deps struct {
	Config    config.Config
	DB        *storage.DB
	Redis     *redis.Client // sessions and rate limits (its own DB index)
	Store     *objectstore.Store
	Inspector *asynq.Inspector
	Log       *slog.Logger
	// Metrics is the registry the portal's metrics go to. The binary serves it on the operators'
	// listener when TALAP_METRICS_ADDR is set; otherwise /metrics serves it. Nil: a registry of its own.
	Metrics *prometheus.Registry
}

// Server is the portal.
type Server struct {
	Deps
	tr       *locale.Translator
	pages    pages
	metrics  *metrics
	sessions *session.Store
	limiter  *ratelimit.Limiter
	rp       relyingParty
	signer   *receipt.Signer
	filing   *filing.Service
	proxies  []*net.IPNet // TALAP_TRUSTED_PROXIES
	release  string       // what claim answers depend on besides the claim: see answerRelease
}

// New builds the Fiber app with every route.
func New(d Deps) (*fiber.App, error) {
	tr, err := locale.New()
	if err != nil {
		return nil, err
	}
	pg, err := parsePages(tr)
	if err != nil {
		return nil, err
	}
	fs, err := filing.New(d.DB, d.Config)
	if err != nil {
		return nil, err
	}
	fs.Objects, fs.Log = d.Store, d.Log
	s := &Server{Deps: d, tr: tr, pages: pg, filing: fs, signer: fs.Signer, release: answerRelease(d.Config),
		sessions: session.New(d.Redis, d.Config.SessionIdle, d.Config.SessionAbsolute),
		// The queue name identifies the deployment; test packages each have their own.
		limiter: ratelimit.New(d.Redis, d.Config.Queue)}
	if s.proxies, err = parseProxies(d.Config.TrustedProxies); err != nil {
		return nil, err
	}
	if d.Metrics == nil {
		d.Metrics = prometheus.NewRegistry()
	}
	s.metrics = newMetrics(d.Metrics, d)

	app := fiber.New(fiber.Config{
		AppName:               "talap",
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
		// Documents stream from the socket to object storage; small bodies stay in memory as usual.
		StreamRequestBody: true,
		// Without this fasthttp would parse a whole multipart upload (to memory and temporary files)
		// before the handler runs; we stream it to object storage ourselves.
		DisablePreParseMultipartForm: true,
		BodyLimit:                    maxJSONBody,
		ReadTimeout:                  10 * time.Minute,
		IdleTimeout:                  2 * time.Minute,
		// Only a peer listed in TALAP_TRUSTED_PROXIES may name the client (see clientIP); with
		// none listed, every request's client is its connection's peer.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.Config.TrustedProxies,
	})
	app.Use(s.requestID, s.recover, s.accessLog, s.language, s.securityHeaders)

	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	if d.Config.MetricsAddr == "" {
		app.Get("/metrics", s.metrics.handler())
	}
	app.Use("/static", filesystem.New(filesystem.Config{Root: frontend.StaticFS(), MaxAge: 3600}))

	app.Get("/auth/login", s.login)
	app.Get("/auth/callback", s.callback)

	// Everything below knows who is calling, and refuses unsafe requests without the CSRF token.
	app.Use(s.authenticate, s.csrf)
	app.Post("/auth/logout", s.logout)

	api := app.Group("/api/v1", s.apiRateLimit)
	api.Get("/courts", etag.New(), s.listCourts)
	api.Get("/public-bodies", etag.New(), s.searchBodies)
	api.Get("/me", s.mustSignIn, s.me)
	api.Get("/openapi.json", func(c *fiber.Ctx) error {
		c.Type("json")
		return c.Send(frontend.OpenAPI)
	})
	claims := api.Group("/claims", s.mustSignIn)
	claims.Post("/", s.mustBePerson, s.apiCreateClaim)
	claims.Get("/", s.mustBePerson, s.apiListClaims)
	claims.Get("/:id", s.apiGetClaim)
	claims.Patch("/:id", s.mustBePerson, s.apiPatchClaim)
	claims.Delete("/:id", s.mustBePerson, s.apiDeleteClaim)
	claims.Post("/:id/documents", s.mustBePerson, s.apiUploadDocuments)
	claims.Get("/:id/documents/:doc", s.apiDownloadDocument)
	claims.Delete("/:id/documents/:doc", s.mustBePerson, s.apiDeleteDocument)
	claims.Post("/:id/submit", s.mustBePerson, s.apiSubmit)
	claims.Post("/:id/withdraw", s.mustBePerson, s.apiWithdraw)
	claims.Get("/:id/receipt.pdf", s.apiReceipt)
	claims.Post("/:id/responses", s.apiSubmitResponse)
	claims.Post("/:id/decisions", s.mustBePerson, s.apiDecide)
	api.Get("/courts/:court/queue", s.mustSignIn, s.apiCourtQueue)
	api.Get("/bodies/:bin/claims", s.mustSignIn, s.apiBodyClaims)
	app.Get("/verify/:number", s.verifyPage)
	app.Get("/stats", s.statsPage)

	app.Get("/", s.home)
	app.Get("/claims", s.mustBePerson, s.claimsPage)
	app.Post("/claims/new", s.mustBePerson, s.newClaim)
	app.Get("/claims/:id", s.mustBePerson, s.claimPage)
	app.Get("/claims/:id/continue", s.mustBePerson, s.continueClaim)
	app.Get("/claims/:id/step/:step", s.mustBePerson, s.stepPage)
	app.Post("/claims/:id/step/:step", s.mustBePerson, s.stepSave)
	app.Get("/claims/:id/deadline", s.mustBePerson, s.deadlineHint)
	app.Post("/claims/:id/documents", s.mustBePerson, s.uploadDocuments)
	app.Post("/claims/:id/documents/:doc/delete", s.mustBePerson, s.removeDocument)
	app.Post("/claims/:id/submit", s.mustBePerson, s.submitClaim)
	app.Get("/claims/:id/delete", s.mustBePerson, s.deleteDraftPage)
	app.Post("/claims/:id/delete", s.mustBePerson, s.deleteDraft)
	app.Get("/claims/:id/withdraw", s.mustBePerson, s.withdrawPage)
	app.Post("/claims/:id/withdraw", s.mustBePerson, s.withdrawClaim)
	account := app.Group("/account", s.mustBePerson)
	account.Get("/tokens", s.tokensPage)
	account.Post("/tokens", s.createToken)
	account.Post("/tokens/:id/revoke", s.revokeToken)
	admin := app.Group("/admin", s.mustBePerson, s.mustBeAdmin)
	admin.Get("/memberships", s.membershipsPage)
	admin.Post("/memberships", s.grantMembership)
	admin.Post("/memberships/:id/revoke", s.revokeMembership)
	admin.Get("/pipeline", s.pipelinePage)
	admin.All("/queues*", s.queueMonitor())
	app.Get("/courts/:court/dashboard", s.mustBePerson, s.dashboardPage)
	app.Get("/notices", s.mustBePerson, s.noticesPage)
	app.Get("/workspace", s.mustBePerson, s.workspacePage)
	app.Get("/bodies/:bin/claims", s.mustBePerson, s.bodyPage)
	app.Get("/courts/:court/queue", s.mustBePerson, s.queuePage)
	app.Get("/claims/:id/decide", s.mustBePerson, s.decidePage)
	app.Post("/claims/:id/decide", s.mustBePerson, s.decidePage)
	app.Get("/claims/:id/respond", s.mustBePerson, s.respondPage)
	app.Post("/claims/:id/respond", s.mustBePerson, s.respondPage)
	app.Use(s.notFound)
	return app, nil
}

// Shutdown stops the app gracefully, giving requests in flight up to timeout.
func Shutdown(app *fiber.App, timeout time.Duration) error {
	return app.ShutdownWithTimeout(timeout)
}

// Error is a failure the API reports to its caller with a code and a status.
type Error struct {
	Status  int
	Code    string
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// claimError is the one table from the errors of the use cases and the domain to API errors; an
// error it does not know is returned as it is (an internal error, for handleError).
func (s *Server) claimError(c *fiber.Ctx, err error) error {
	var apiErr *Error
	var fe claim.FieldErrors
	var inc *filing.IncompleteError
	var quota *storage.QuotaError
	l := langOf(c)
	switch {
	case errors.As(err, &apiErr):
		return apiErr
	case errors.Is(err, storage.ErrNotFound):
		return &Error{Status: fiber.StatusNotFound, Code: "not_found", Message: s.tr.T(l, "api.not_found")}
	case errors.Is(err, filing.ErrForbidden):
		return s.forbidden(c)
	case errors.As(err, &fe):
		return s.fieldError(c, fe)
	case errors.As(err, &inc):
		e := s.fieldError(c, inc.Missing).(*Error)
		e.Code, e.Message = "incomplete", s.tr.T(l, "api.incomplete")
		return e
	case errors.Is(err, claim.ErrMalformed):
		return &Error{Status: fiber.StatusBadRequest, Code: "malformed_json", Message: s.tr.T(l, "api.malformed")}
	case errors.Is(err, storage.ErrConflict):
		return &Error{Status: fiber.StatusConflict, Code: "conflict", Message: s.tr.T(l, "api.conflict")}
	case errors.Is(err, storage.ErrTooLarge):
		return s.tooLarge(c, s.Config.ClaimDocsMax)
	case errors.As(err, &quota):
		return &Error{Status: fiber.StatusConflict, Code: "quota_exceeded", Message: s.tr.T(l, "api.quota_"+quota.What, "Limit", quota.Limit)}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: fiber.StatusServiceUnavailable, Code: "unavailable", Message: s.tr.T(l, "api.internal")}
	}
	return err
}

func (s *Server) handleError(c *fiber.Ctx, err error) error {
	var apiErr *Error
	var fe *fiber.Error
	l := langOf(c)
	err = s.claimError(c, err)
	switch {
	case errors.As(err, &apiErr):
	case errors.As(err, &fe):
		code := "http_error"
		msg := fe.Message
		switch fe.Code {
		case fiber.StatusNotFound:
			code, msg = "not_found", s.tr.T(l, "api.not_found")
		case fiber.StatusBadRequest:
			code, msg = "bad_request", s.tr.T(l, "api.bad_request")
		case fiber.StatusRequestEntityTooLarge:
			code = "too_large"
		}
		apiErr = &Error{Status: fe.Code, Code: code, Message: msg}
	default:
		s.Log.Error("request failed", "request_id", c.Locals(ctxRequestID), "path", logPath(c), "error", err)
		apiErr = &Error{Status: fiber.StatusInternalServerError, Code: "internal", Message: s.tr.T(l, "api.internal")}
	}
	if wantsHTML(c) {
		heading, text := "error.internal", "error.internal_text"
		switch apiErr.Status {
		case fiber.StatusNotFound:
			heading, text = "error.not_found", "error.not_found_text"
		case fiber.StatusTooManyRequests:
			heading, text = "error.rate_limited", "api.rate_limited"
		case fiber.StatusForbidden:
			heading, text = "error.forbidden", "api.forbidden"
		case fiber.StatusRequestEntityTooLarge, fiber.StatusUnsupportedMediaType, fiber.StatusUnprocessableEntity, fiber.StatusConflict, fiber.StatusBadRequest:
			c.Status(apiErr.Status)
			return s.render(c, "error", fiber.Map{"Heading": s.tr.T(l, "error.request"), "Message": apiErr.Message})
		}
		c.Status(apiErr.Status)
		return s.render(c, "error", fiber.Map{"Heading": s.tr.T(l, heading), "Message": s.tr.T(l, text)})
	}
	return c.Status(apiErr.Status).JSON(fiber.Map{"error": errorBody(apiErr)})
}

func (s *Server) notFound(c *fiber.Ctx) error { return fiber.ErrNotFound }

// wantsHTML tells a person's browser from a program: API paths always answer JSON.
func wantsHTML(c *fiber.Ctx) bool {
	p := c.Path()
	if len(p) >= 4 && p[:4] == "/api" {
		return false
	}
	return c.Accepts("text/html", "application/json") == "text/html"
}

// answerRelease names what a claim's JSON depends on besides the claim itself: this build's code
// and the settings it reads (the MCI, for the state duty). It goes into claim ETags. Replicas of one
// release share it, so a tag from one is good at another; a new release or setting changes every
// tag. A build without version control information, or from a modified tree, uses its start time.
func answerRelease(cfg config.Config) string {
	rev, modified := "", "true"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
	}
	if rev == "" || modified != "false" {
		rev = strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	sum := sha256.Sum256([]byte(rev + "|" + strconv.FormatFloat(cfg.MCI, 'f', -1, 64)))
	return hex.EncodeToString(sum[:6])
}
