package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"talap/infra/seed"
	"talap/portal/calendar"
	"talap/portal/claim"
	"talap/portal/deadline"
	"talap/portal/lang"
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
		return claim.Response{}, s.forbidden(c)
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
		for _, st := range stored {
			s.removeObject(st.Key, st.VersionID)
		}
		return claim.Response{}, s.fieldError(c, claim.FieldErrors{"text": "required"})
	}
	docs := make([]claim.Document, len(stored))
	for i, st := range stored {
		docs[i] = claim.Document{ID: st.ID, Name: st.Name, Size: st.Size, ContentType: st.ContentType, SHA256: st.SHA256, Key: st.Key, VersionID: st.VersionID}
	}
	actor := p.IIN
	r, err := s.DB.AddResponse(ctx, claimID, cl.RespondentBIN, actor, text, docs, s.Config.MaxResponses, func(c claim.Claim) bool {
		return c.ResponseDue != nil && time.Now().After(deadline.EndOfDay(c.ResponseDue.Time))
	})
	if err != nil {
		for _, st := range stored {
			s.removeObject(st.Key, st.VersionID)
		}
		return r, err
	}
	return r, nil
}

func (s *Server) apiSubmitResponse(c *fiber.Ctx) error {
	r, err := s.SubmitResponse(c, principalOf(c), c.Params("id"))
	if err != nil {
		return s.claimError(c, err)
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

// DecisionInput is a clerk's decision as the API takes it.
type DecisionInput struct {
	Action        string   `json:"action"`
	Reason        string   `json:"reason"`
	Reasons       []string `json:"reasons"`
	CorrectionDue string   `json:"correction_due"`
	CourtID       string   `json:"court_id"`
}

// Decide applies a clerk's decision after checking its fields against the lists held as data.
func (s *Server) Decide(c *fiber.Ctx, p *Principal, claimID string, in DecisionInput) (claim.Claim, error) {
	ctx := c.UserContext()
	cl, err := s.visibleClaim(ctx, p, claimID)
	if err != nil {
		return cl, err
	}
	if !p.ClerkOf(cl.CourtID) {
		return cl, s.forbidden(c)
	}
	fe := claim.FieldErrors{}
	if !claim.CourtAction(in.Action) {
		fe["action"] = "unknown_choice"
	}
	if len([]rune(in.Reason)) > claim.MaxText {
		fe["reason"] = "too_long"
	}
	ch, err := seed.LoadChoices()
	if err != nil {
		return cl, err
	}
	d := storage.Decision{Action: in.Action, Reasons: in.Reasons, Text: strings.TrimSpace(in.Reason)}
	switch in.Action {
	case claim.ActionReturn:
		if !allIn(in.Reasons, ch.ReturnGrounds) {
			fe["reasons"] = "unknown_choice"
		}
		if len(in.Reasons) == 0 && d.Text == "" {
			fe["reasons"] = "required"
		}
	case claim.ActionLeaveWithoutMotion:
		if !allIn(in.Reasons, ch.Defects) {
			fe["reasons"] = "unknown_choice"
		}
		if len(in.Reasons) == 0 && d.Text == "" {
			fe["reasons"] = "required"
		}
		// A date at 00:00 UTC, as calendar.AlmatyDate gives today: parsed at Almaty midnight it
		// would fall on the day before, and today would be refused.
		due, err := calendar.ParseDate(in.CorrectionDue)
		switch {
		case in.CorrectionDue == "":
			fe["correction_due"] = "required"
		case err != nil:
			fe["correction_due"] = "invalid_date"
		case due.Before(calendar.AlmatyDate(time.Now())):
			fe["correction_due"] = "date_out_of_range"
		default:
			d.CorrectionDue = &due
			at := deadline.EndOfDay(due)
			if s.Config.CorrectionTimer > 0 {
				at = time.Now().Add(s.Config.CorrectionTimer)
			}
			d.CheckAt = &at
		}
	case claim.ActionTransfer:
		d.ToCourt = in.CourtID
		courts, err := s.DB.Courts(ctx)
		if err != nil {
			return cl, err
		}
		var from, to lang.Text
		for _, ct := range courts {
			if ct.ID == in.CourtID {
				to = ct.Name
			}
			if ct.ID == cl.CourtID {
				from = ct.Name
			}
		}
		if to.RU == "" || in.CourtID == cl.CourtID {
			fe["court_id"] = "unknown_choice"
		}
		if d.Text == "" {
			fe["reason"] = "required"
		}
		d.Explanation = lang.Text{
			KK: fmt.Sprintf("%s талапты %s сотына берді (ӘРПК 108-бабы): %s", from.KK, to.KK, d.Text),
			RU: fmt.Sprintf("%s передал иск в %s (ст. 108 АППК): %s", from.RU, to.RU, d.Text),
			EN: fmt.Sprintf("The %s transferred the claim to the %s (APPK Art. 108): %s", from.EN, to.EN, d.Text),
		}
	}
	if len(fe) > 0 {
		return cl, fe
	}
	return s.DB.Decide(ctx, claimID, cl.CourtID, p.IIN, d)
}

func allIn(codes []string, list []seed.Choice) bool {
	for _, code := range codes {
		if !slices.ContainsFunc(list, func(ch seed.Choice) bool { return ch.Code == code }) {
			return false
		}
	}
	return true
}

func (s *Server) apiDecide(c *fiber.Ctx) error {
	body, err := s.requestBody(c)
	if err != nil {
		return err
	}
	var in DecisionInput
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
		return s.claimError(c, claim.ErrMalformed)
	}
	cl, err := s.Decide(c, principalOf(c), c.Params("id"), in)
	if err != nil {
		return s.claimError(c, err)
	}
	return c.JSON(s.claimJSON(c, cl))
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

func (p listPage) JSON() fiber.Map {
	out := make([]fiber.Map, len(p.Items))
	for i, it := range p.Items {
		out[i] = fiber.Map{"id": it.ID, "number": it.Number, "status": it.Status, "category": it.Category, "kind": it.Kind,
			"subject": it.Subject, "respondent_bin": it.RespondentBIN, "court_id": it.CourtID, "submitted_at": it.SubmittedAt,
			"routed_at": it.RoutedAt, "response_due": dateString(it.ResponseDue), "flags": it.Flags, "responded": it.Responded}
	}
	m := fiber.Map{"claims": out, "next_cursor": p.Next}
	if p.Counts != nil {
		m["counts"] = p.Counts
	}
	return m
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
	return c.JSON(lp.JSON())
}

func (s *Server) apiBodyClaims(c *fiber.Ctx) error {
	lp, err := s.bodyClaims(c, c.Params("bin"))
	if err != nil {
		return err
	}
	return c.JSON(lp.JSON())
}
