package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"talap/portal/audit"
	"talap/portal/claim"
	"talap/portal/filing"
	"talap/portal/storage"
)

// maxJSONBody bounds JSON request bodies; documents go through the streaming upload instead.
const maxJSONBody = 1 << 20

func (p *Principal) viewer() claim.Viewer {
	return claim.Viewer{IIN: p.IIN, Officer: p.Officer, Clerk: p.Clerk, Admin: p.Admin, TokenBody: p.TokenBody}
}

// visibleClaim loads a claim the caller may see; any other claim is "not found".
func (s *Server) visibleClaim(ctx context.Context, p *Principal, id string) (claim.Claim, error) {
	return s.filing.Visible(ctx, p.viewer(), id)
}

// fieldError turns field problems into a 422 with messages in the caller's language.
func (s *Server) fieldError(c *fiber.Ctx, fe claim.FieldErrors) error {
	l := langOf(c)
	fields := make(map[string]string, len(fe))
	for k, v := range fe {
		fields[k] = s.tr.T(l, "field."+v)
	}
	return &Error{Status: fiber.StatusUnprocessableEntity, Code: "invalid", Message: s.tr.T(l, "api.invalid"), Fields: fields}
}

// The form pages call the use cases through these.

func (s *Server) applyAnswers(ctx context.Context, d claim.Draft, body []byte) (claim.Draft, error) {
	return s.filing.ApplyAnswers(ctx, d, body)
}

// CreateDraft starts a claim from answers given as JSON.
func (s *Server) CreateDraft(ctx context.Context, p *Principal, body []byte) (claim.Claim, error) {
	return s.filing.CreateDraft(ctx, p.IIN, body)
}

// UpdateDraft changes a claim's answers with those given as JSON.
func (s *Server) UpdateDraft(ctx context.Context, p *Principal, id string, body []byte) (claim.Claim, error) {
	return s.filing.UpdateDraft(ctx, p.IIN, id, body)
}

// Submit files the claim with a signed receipt.
func (s *Server) Submit(ctx context.Context, p *Principal, id string) (claim.Claim, error) {
	return s.filing.Submit(ctx, p.IIN, p.Name, id)
}

// Missing lists what the claim lacks to be submitted.
func Missing(c claim.Claim) claim.FieldErrors { return filing.Missing(c) }

// requestBody reads a JSON body, refusing one over the limit.
func (s *Server) requestBody(c *fiber.Ctx) ([]byte, error) {
	if c.Request().Header.ContentLength() > maxJSONBody {
		// The body stays unread: close the connection after the answer, or it would be read as
		// the next request.
		c.Context().SetConnectionClose()
		return nil, s.tooLarge(c, maxJSONBody)
	}
	var b []byte
	if r := c.Context().RequestBodyStream(); r != nil && c.Request().Header.ContentLength() < 0 {
		// A chunked body of unknown length: read one byte past the limit, never all of it.
		var err error
		if b, err = io.ReadAll(io.LimitReader(r, maxJSONBody+1)); err != nil {
			return nil, fiber.ErrBadRequest
		}
	} else {
		b = c.Body()
	}
	if len(b) > maxJSONBody {
		c.Context().SetConnectionClose()
		return nil, s.tooLarge(c, maxJSONBody)
	}
	return b, nil
}

func (s *Server) tooLarge(c *fiber.Ctx, limit int64) error {
	return &Error{Status: fiber.StatusRequestEntityTooLarge, Code: "too_large", Message: s.tr.T(langOf(c), "api.too_large", "Limit", humanSize(limit))}
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 0, 64) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

func (s *Server) apiCreateClaim(c *fiber.Ctx) error {
	body, err := s.requestBody(c)
	if err != nil {
		return err
	}
	cl, err := s.CreateDraft(c.UserContext(), principalOf(c), body)
	if err != nil {
		return err
	}
	c.Location("/api/v1/claims/" + cl.ID)
	return s.sendClaim(c, fiber.StatusCreated, cl)
}

// apiGetClaim answers a conditional GET (If-None-Match with the ETag of an earlier answer) with
// 304 after one small query when nothing changed, so that polling a claim's progress is cheap.
func (s *Server) apiGetClaim(c *fiber.Ctx) error {
	ctx, p := c.UserContext(), principalOf(c)
	stamp, err := s.DB.ClaimStamp(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	if !stamp.Claim.VisibleTo(p.viewer()) {
		return storage.ErrNotFound
	}
	// The answer also depends on the language and on the release and its settings (the MCI for the
	// duty), hence both in the tag.
	etag := `W/"` + stamp.Version + "." + langOf(c) + "." + s.release + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Vary(fiber.HeaderAuthorization) // the language middleware already varies on Accept-Language and Cookie
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	cl, err := s.visibleClaim(ctx, p, c.Params("id"))
	if err != nil {
		return err
	}
	return s.sendClaim(c, fiber.StatusOK, cl)
}

func (s *Server) apiPatchClaim(c *fiber.Ctx) error {
	body, err := s.requestBody(c)
	if err != nil {
		return err
	}
	cl, err := s.UpdateDraft(c.UserContext(), principalOf(c), c.Params("id"), body)
	if err != nil {
		return err
	}
	return s.sendClaim(c, fiber.StatusOK, cl)
}

func (s *Server) apiDeleteClaim(c *fiber.Ctx) error {
	if err := s.filing.DeleteDraft(c.UserContext(), principalOf(c).IIN, c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// apiSubmit files a claim. With an Idempotency-Key the same key gives the same answer and files once.
func (s *Server) apiSubmit(c *fiber.Ctx) error {
	p := principalOf(c)
	id := c.Params("id")
	key := c.Get("Idempotency-Key")
	if len(key) > 200 {
		return &Error{Status: fiber.StatusUnprocessableEntity, Code: "invalid", Message: s.tr.T(langOf(c), "api.idempotency_key")}
	}
	if key != "" {
		replay, err := s.DB.BeginIdempotent(c.UserContext(), p.IIN, key, "submit:"+id)
		switch {
		case errors.Is(err, storage.ErrIdempotencyMismatch):
			return &Error{Status: fiber.StatusUnprocessableEntity, Code: "idempotency_mismatch", Message: s.tr.T(langOf(c), "api.idempotency_mismatch")}
		case errors.Is(err, storage.ErrIdempotencyInProgress):
			return &Error{Status: fiber.StatusConflict, Code: "in_progress", Message: s.tr.T(langOf(c), "api.in_progress")}
		case err != nil:
			return err
		case replay != nil:
			c.Set("Idempotent-Replayed", "true")
			c.Type("json")
			return c.Status(replay.Status).Send(replay.Body)
		}
	}
	status, body, err := s.submitResponse(c, p, id)
	if key != "" {
		if err != nil && status >= 500 {
			_ = s.DB.AbandonIdempotent(context.Background(), p.IIN, key)
		} else if ferr := s.DB.FinishIdempotent(context.Background(), p.IIN, key, status, body); ferr != nil {
			return ferr
		}
	}
	if err != nil {
		return err
	}
	c.Type("json")
	return c.Status(status).Send(body)
}

// submitResponse submits and renders the answer (or the error) as status and JSON, so that an
// idempotent replay repeats it byte for byte.
func (s *Server) submitResponse(c *fiber.Ctx, p *Principal, id string) (int, []byte, error) {
	cl, err := s.Submit(c.UserContext(), p, id)
	if err != nil {
		err = s.claimError(c, err)
		var apiErr *Error
		if errors.As(err, &apiErr) {
			body, _ := json.Marshal(errorAnswer{Error: errorBody(apiErr)})
			return apiErr.Status, body, nil
		}
		return fiber.StatusInternalServerError, nil, err
	}
	answer, err := s.claimJSON(c, cl)
	if err != nil {
		return fiber.StatusInternalServerError, nil, err
	}
	body, err := json.Marshal(answer)
	return fiber.StatusOK, body, err
}

// errorAnswer is every API error (the Error schema of frontend/api/openapi.json).
type errorAnswer struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func errorBody(e *Error) errorDetail {
	return errorDetail{Code: e.Code, Message: e.Message, Fields: e.Fields}
}

func (s *Server) apiWithdraw(c *fiber.Ctx) error {
	cl, err := s.filing.Withdraw(c.UserContext(), principalOf(c).IIN, c.Params("id"))
	if err != nil {
		return err
	}
	return s.sendClaim(c, fiber.StatusOK, cl)
}

// apiListClaims lists the caller's own claims, newest first, with an opaque cursor.
func (s *Server) apiListClaims(c *fiber.Ctx) error {
	limit := 20
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return &Error{Status: fiber.StatusUnprocessableEntity, Code: "invalid", Message: s.tr.T(langOf(c), "api.invalid"), Fields: map[string]string{"limit": "1-100"}}
		}
		limit = n
	}
	after, err := decodeCursor(c.Query("cursor"))
	if err != nil {
		return s.badCursor(c)
	}
	list, err := s.DB.ClaimsOf(c.UserContext(), principalOf(c).IIN, after, limit+1)
	if err != nil {
		return err
	}
	next := ""
	if len(list) > limit {
		list = list[:limit]
		last := list[len(list)-1]
		next = encodeCursor(storage.Cursor{At: last.CreatedAt, ID: last.ID})
	}
	out := claimList{Claims: make([]claimLine, len(list)), NextCursor: next}
	for i, it := range list {
		out.Claims[i] = claimLine{claimHead: claimHead{ID: it.ID, Number: it.Number, Status: it.Status, Category: it.Category, Kind: it.Kind,
			Subject: it.Subject, CreatedAt: it.CreatedAt, SubmittedAt: it.SubmittedAt, NextStep: s.tr.T(langOf(c), "next."+string(it.Status))},
			RespondentBIN: it.RespondentBIN, CourtID: it.CourtID}
	}
	return c.JSON(out)
}

// claimList is a page of the caller's claims, newest first.
type claimList struct {
	Claims     []claimLine `json:"claims"`
	NextCursor string      `json:"next_cursor"`
}

type claimLine struct {
	claimHead
	RespondentBIN string `json:"respondent_bin"`
	CourtID       string `json:"court_id"`
}

func encodeCursor(cur storage.Cursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cur.At.UTC().Format(time.RFC3339Nano) + "|" + cur.ID))
}

func decodeCursor(s string) (*storage.Cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	at, id, ok := strings.Cut(string(b), "|")
	if !ok {
		return nil, errors.New("bad cursor")
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return nil, errors.New("bad cursor")
	}
	u, err := uuid.Parse(id)
	if err != nil {
		return nil, errors.New("bad cursor")
	}
	return &storage.Cursor{At: t, ID: u.String()}, nil
}

// badCursor answers a list request whose cursor this portal did not give out: 400, not a query error.
func (s *Server) badCursor(c *fiber.Ctx) error {
	return &Error{Status: fiber.StatusBadRequest, Code: "bad_cursor", Message: s.tr.T(langOf(c), "api.bad_cursor"), Fields: map[string]string{"cursor": "invalid"}}
}

// actorLabel names who acted by their part in the claim, never by another person's IIN.
func actorLabel(e audit.Event, cl claim.Claim) string {
	switch {
	case e.Actor == cl.ClaimantIIN:
		return "claimant"
	case e.Actor == "worker" || e.Actor == "seed" || e.Actor == "system":
		return "system"
	case strings.HasPrefix(e.Actor, "token:"):
		return "respondent"
	}
	var data map[string]any
	_ = json.Unmarshal([]byte(e.Data), &data)
	if role, ok := data["role"].(string); ok {
		return role
	}
	return "staff"
}
