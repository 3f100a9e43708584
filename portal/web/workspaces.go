package web

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"talap/portal/claim"
	"talap/portal/filing"
	"talap/portal/storage"
)

// SubmitResponse takes the respondent's response: a multipart form with `text` and zero or more
// `file` parts, streamed and checked like a claimant's documents. It is accepted after the due
// date too, and then flagged late.
func (s *Server) SubmitResponse(c *fiber.Ctx, p *Principal, claimID string) (_ claim.Response, err error) {
	defer func() {
		if err != nil {
			c.Context().SetConnectionClose()
		}
	}()
	ctx := c.UserContext()
	cl, err := s.visibleClaim(ctx, p, claimID)
	if err != nil {
		return claim.Response{}, err
	}
	if !p.OfficerOf(cl.RespondentBIN) {
		return claim.Response{}, filing.ErrForbidden
	}
	if n := int64(c.Request().Header.ContentLength()); n > s.Config.ClaimDocsMax+multipartOverhead {
		return claim.Response{}, s.tooLarge(c, s.Config.ClaimDocsMax)
	}
	// Refuse before reading when the body has filed as many responses as it may (storage checks
	// again, under the claim's lock).
	if n, err := s.DB.ResponseCount(ctx, claimID, cl.RespondentBIN); err != nil {
		return claim.Response{}, err
	} else if n >= s.Config.MaxResponses {
		return claim.Response{}, &storage.QuotaError{What: "responses", Limit: s.Config.MaxResponses}
	}
	text := ""
	stored, err := s.receiveMultipart(c, claimID, s.Config.DocumentMax, s.Config.ClaimDocsMax, s.Config.MaxClaimDocuments, map[string]*string{"text": &text}, func(_, v string) error {
		if len([]rune(v)) > claim.MaxText {
			return s.fieldError(c, claim.FieldErrors{"text": "too_long"})
		}
		return nil
	})
	if err != nil {
		return claim.Response{}, err
	}
	if text == "" {
		s.filing.DropStored(stored)
		return claim.Response{}, s.fieldError(c, claim.FieldErrors{"text": "required"})
	}
	docs := make([]claim.Document, len(stored))
	for i, st := range stored {
		docs[i] = claim.Document{ID: st.ID, Name: st.Name, Size: st.Size, ContentType: st.ContentType, SHA256: st.SHA256, Key: st.Key, VersionID: st.VersionID}
	}
	r, err := s.filing.Respond(ctx, p.viewer(), cl, text, docs)
	if err != nil {
		s.filing.DropStored(stored)
		return r, err
	}
	return r, nil
}

func (s *Server) apiSubmitResponse(c *fiber.Ctx) error {
	r, err := s.SubmitResponse(c, principalOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

func (s *Server) apiDecide(c *fiber.Ctx) error {
	body, err := s.requestBody(c)
	if err != nil {
		return err
	}
	var in filing.Decision
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return s.fieldError(c, claim.FieldErrors{typeErr.Field: "wrong_type"})
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			return s.fieldError(c, claim.FieldErrors{strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`): "unknown_field"})
		}
		return claim.ErrMalformed
	}
	cl, err := s.filing.Decide(c.UserContext(), principalOf(c).viewer(), c.Params("id"), in)
	if err != nil {
		return err
	}
	return s.sendClaim(c, fiber.StatusOK, cl)
}

// queueParams reads the list parameters shared by the court queue and the body list.
func (s *Server) queueParams(c *fiber.Ctx) (storage.QueueFilter, *storage.Cursor, int, error) {
	f := storage.QueueFilter{Status: c.Query("status"), Category: c.Query("category"), Flag: c.Query("flag")}
	bad := map[string]string{}
	limit := 50
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			bad["limit"] = "1-200"
		}
		limit = n
	}
	if v := c.Query("older_than_days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			bad["older_than_days"] = "invalid"
		}
		f.OlderThan = n
	}
	if v := c.Query("due_before"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			bad["due_before"] = "invalid_date"
		}
		f.DueBefore = &t
	}
	after, err := decodeCursor(c.Query("cursor"))
	if err != nil {
		return f, nil, 0, s.badCursor(c)
	}
	if len(bad) > 0 {
		return f, nil, 0, &Error{Status: fiber.StatusUnprocessableEntity, Code: "invalid", Message: s.tr.T(langOf(c), "api.invalid"), Fields: bad}
	}
	return f, after, limit, nil
}

// listPage is one page of a court queue or a body's list.
type listPage struct {
	Items  []storage.QueueItem
	Next   string
	Filter storage.QueueFilter
	Counts map[string]int
}

// page trims a list fetched with one extra item to limit, and makes the next cursor from the last.
func page(items []storage.QueueItem, limit int, f storage.QueueFilter) listPage {
	p := listPage{Items: items, Filter: f}
	if len(items) > limit {
		p.Items = items[:limit]
		last := p.Items[len(p.Items)-1]
		p.Next = encodeCursor(storage.Cursor{At: *last.RoutedAt, ID: last.ID})
	}
	return p
}

// queueList is a page of a court's queue or of a body's claims, as the API shows it.
type queueList struct {
	Claims     []queueLine     `json:"claims"`
	NextCursor string          `json:"next_cursor"`
	Counts     *map[string]int `json:"counts,omitempty"` // the court queue's, even when empty
}

type queueLine struct {
	ID            string       `json:"id"`
	Number        string       `json:"number"`
	Status        claim.Status `json:"status"`
	Category      string       `json:"category"`
	Kind          string       `json:"kind"`
	Subject       string       `json:"subject"`
	RespondentBIN string       `json:"respondent_bin"`
	CourtID       string       `json:"court_id"`
	SubmittedAt   *time.Time   `json:"submitted_at"`
	RoutedAt      *time.Time   `json:"routed_at"`
	ResponseDue   any          `json:"response_due"`
	Flags         []string     `json:"flags"`
	Responded     bool         `json:"responded"`
}

func (p listPage) answer() queueList {
	out := queueList{Claims: make([]queueLine, len(p.Items)), NextCursor: p.Next}
	if p.Counts != nil {
		out.Counts = &p.Counts
	}
	for i, it := range p.Items {
		out.Claims[i] = queueLine{ID: it.ID, Number: it.Number, Status: it.Status, Category: it.Category, Kind: it.Kind,
			Subject: it.Subject, RespondentBIN: it.RespondentBIN, CourtID: it.CourtID, SubmittedAt: it.SubmittedAt,
			RoutedAt: it.RoutedAt, ResponseDue: dateString(it.ResponseDue), Flags: it.Flags, Responded: it.Responded}
	}
	return out
}

func dateString(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format(time.DateOnly)
}

// courtQueue is a court's intake queue (routed claims, oldest first) with counts, for its clerks
// and administrators; anyone else is told it does not exist.
func (s *Server) courtQueue(c *fiber.Ctx, courtID string) (listPage, error) {
	p := principalOf(c)
	if !p.ClerkOf(courtID) && !(p.Admin && p.TokenBody == "") {
		return listPage{}, storage.ErrNotFound
	}
	f, after, limit, err := s.queueParams(c)
	if err != nil {
		return listPage{}, err
	}
	items, err := s.DB.CourtQueue(c.UserContext(), courtID, f, after, limit+1)
	if err != nil {
		return listPage{}, err
	}
	lp := page(items, limit, f)
	lp.Counts, err = s.DB.CourtCounts(c.UserContext(), courtID)
	return lp, err
}

// bodyClaims lists the claims against a body, for its officers and its API token.
func (s *Server) bodyClaims(c *fiber.Ctx, bin string) (listPage, error) {
	if !principalOf(c).OfficerOf(bin) {
		return listPage{}, storage.ErrNotFound
	}
	f, after, limit, err := s.queueParams(c)
	if err != nil {
		return listPage{}, err
	}
	items, err := s.DB.BodyClaims(c.UserContext(), bin, f, after, limit+1)
	return page(items, limit, f), err
}

func (s *Server) apiCourtQueue(c *fiber.Ctx) error {
	lp, err := s.courtQueue(c, c.Params("court"))
	if err != nil {
		return err
	}
	return c.JSON(lp.answer())
}

func (s *Server) apiBodyClaims(c *fiber.Ctx) error {
	lp, err := s.bodyClaims(c, c.Params("bin"))
	if err != nil {
		return err
	}
	return c.JSON(lp.answer())
}
