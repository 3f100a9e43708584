package web

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"talap/portal/claim"
	"talap/portal/storage"
)

// claimAnswer is a claim as the API shows it (the Claim schema of frontend/api/openapi.json), texts
// in the caller's language. Fields that are null until something happens are pointers; the
// lists that exist only from routing on, and the missing answers of an editable claim, are left
// out before then.
type claimAnswer struct {
	claimHead
	Grounds           string             `json:"grounds"`
	Demands           string             `json:"demands"`
	ContestedAct      claim.Act          `json:"contested_act"`
	Pretrial          claim.Pretrial     `json:"pretrial"`
	Claimant          claimantAnswer     `json:"claimant"`
	HearAtResidence   bool               `json:"hear_at_residence"`
	InvestmentDispute bool               `json:"investment_dispute"`
	ActAbroad         bool               `json:"act_abroad"`
	ActElectronic     bool               `json:"act_electronic"`
	PropertyKATO      string             `json:"property_kato"`
	ClaimAmount       *int64             `json:"claim_amount"`
	DutyExemption     string             `json:"duty_exemption"`
	Respondent        *namedRef          `json:"respondent"`
	Court             *namedRef          `json:"court"`
	Routing           *routingAnswer     `json:"routing"`
	Flags             []noticeAnswer     `json:"flags"`
	Problems          []noticeAnswer     `json:"problems"`
	Documents         []claim.Document   `json:"documents"`
	Timeline          []timelineEntry    `json:"timeline"`
	StateDuty         dutyAnswer         `json:"state_duty"`
	Missing           *map[string]string `json:"missing,omitempty"`
	CaseNumber        string             `json:"case_number,omitempty"`
	ResponseDue       *claim.Date        `json:"response_due"`
	CorrectionDue     *claim.Date        `json:"correction_due"`
	Responses         *[]claim.Response  `json:"responses,omitempty"`
	Decisions         *[]decisionAnswer  `json:"decisions,omitempty"`
	VerifyURL         *string            `json:"verify_url"`
	UpdatedAt         time.Time          `json:"updated_at"`
}

// claimHead is what a claim's answer and a line of a list of claims both show.
type claimHead struct {
	ID          string       `json:"id"`
	Number      string       `json:"number"`
	Status      claim.Status `json:"status"`
	NextStep    string       `json:"next_step"`
	Category    string       `json:"category"`
	Kind        string       `json:"kind"`
	Subject     string       `json:"subject"`
	CreatedAt   time.Time    `json:"created_at"`
	SubmittedAt *time.Time   `json:"submitted_at"`
}

type claimantAnswer struct {
	IIN           string `json:"iin"`
	ResidenceKATO string `json:"residence_kato"`
	Phone         string `json:"phone"`
	Email         string `json:"email"`
}

// namedRef is a public body (bin) or a court (id) with its name, when the registry has it.
type namedRef struct {
	BIN  string `json:"bin,omitempty"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

type routingAnswer struct {
	CourtID     string `json:"court_id"`
	Rule        string `json:"rule"`
	Explanation string `json:"explanation"`
}

type noticeAnswer struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type dutyAnswer struct {
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
	Status   string  `json:"status"`
	Basis    string  `json:"basis"`
}

type timelineEntry struct {
	At    time.Time `json:"at"`
	Event string    `json:"event"`
	Actor string    `json:"actor"`
}

type decisionAnswer struct {
	Action        string    `json:"action"`
	Reasons       []string  `json:"reasons"`
	Reason        string    `json:"reason"`
	CorrectionDue any       `json:"correction_due"`
	FromCourt     string    `json:"from_court"`
	ToCourt       string    `json:"to_court"`
	DecidedAt     time.Time `json:"decided_at"`
}

func noticeAnswers(ns []claim.Notice, l string) []noticeAnswer {
	out := make([]noticeAnswer, len(ns))
	for i, n := range ns {
		out[i] = noticeAnswer{Code: n.Code, Message: n.Message.In(l)}
	}
	return out
}

// claimJSON is a claim as the API shows it. It reads the registry names, the receipt's link,
// the timeline and, from routing on, the responses and decisions; an error reading any of them is
// the request's error.
func (s *Server) claimJSON(c *fiber.Ctx, cl claim.Claim) (claimAnswer, error) {
	l, ctx := langOf(c), c.UserContext()
	d := cl.Duty(s.Config.MCI)
	out := claimAnswer{claimHead: claimHead{ID: cl.ID, Number: cl.Number, Status: cl.Status, NextStep: s.tr.T(l, "next."+string(cl.Status)),
		Category: cl.Category, Kind: cl.Kind, Subject: cl.Subject, CreatedAt: cl.CreatedAt, SubmittedAt: cl.SubmittedAt},
		Grounds: cl.Grounds, Demands: cl.Demands,
		ContestedAct: cl.ContestedAct, Pretrial: cl.Pretrial,
		Claimant:        claimantAnswer{IIN: cl.ClaimantIIN, ResidenceKATO: cl.Claimant.ResidenceKATO, Phone: cl.Claimant.Phone, Email: cl.Claimant.Email},
		HearAtResidence: cl.HearAtResidence, InvestmentDispute: cl.InvestmentDispute, ActAbroad: cl.ActAbroad, ActElectronic: cl.ActElectronic,
		PropertyKATO: cl.PropertyKATO, ClaimAmount: cl.ClaimAmount, DutyExemption: cl.DutyExemption,
		Flags: noticeAnswers(cl.Flags, l), Problems: noticeAnswers(cl.Problems, l), Documents: cl.Documents,
		StateDuty:  dutyAnswer{Amount: d.Amount, Currency: d.Currency, Status: d.Status, Basis: d.Basis.In(l)},
		CaseNumber: cl.CaseNumber, ResponseDue: cl.ResponseDue, CorrectionDue: cl.CorrectionDue,
		UpdatedAt: cl.UpdatedAt, Timeline: []timelineEntry{}}
	var err error
	if out.VerifyURL, err = s.verifyURLOf(ctx, cl); err != nil {
		return out, err
	}
	if cl.RespondentBIN != "" {
		out.Respondent = &namedRef{BIN: cl.RespondentBIN}
		if out.Respondent.Name, err = s.bodyName(ctx, cl.RespondentBIN, l); err != nil {
			return out, err
		}
	}
	if cl.Routing != nil {
		out.Routing = &routingAnswer{CourtID: cl.Routing.CourtID, Rule: cl.Routing.Rule, Explanation: cl.Routing.Explanation.In(l)}
		out.Court = &namedRef{ID: cl.CourtID}
		if ct, err := s.DB.Court(ctx, cl.CourtID); err == nil {
			out.Court.Name = ct.Name.In(l)
		} else if !errors.Is(err, storage.ErrNotFound) {
			return out, err
		}
	}
	if cl.RoutedAt != nil {
		if err := s.routedParts(ctx, cl, &out); err != nil {
			return out, err
		}
	}
	events, err := s.DB.ClaimEvents(ctx, cl.ID)
	if err != nil {
		return out, err
	}
	for _, e := range events {
		out.Timeline = append(out.Timeline, timelineEntry{At: e.At, Event: e.Event, Actor: actorLabel(e, cl)})
	}
	if cl.Status.Editable() {
		missing := Missing(cl)
		m := make(map[string]string, len(missing))
		for k, v := range missing {
			m[k] = s.tr.T(l, "field."+v)
		}
		out.Missing = &m
	}
	return out, nil
}

// routedParts adds what a claim has once it is with a court: the responses and the decisions.
func (s *Server) routedParts(ctx context.Context, cl claim.Claim, out *claimAnswer) error {
	responses, err := s.DB.Responses(ctx, cl.ID)
	if err != nil {
		return err
	}
	decisions, err := s.DB.Decisions(ctx, cl.ID)
	if err != nil {
		return err
	}
	list := make([]decisionAnswer, len(decisions))
	for i, d := range decisions {
		list[i] = decisionAnswer{Action: d.Action, Reasons: d.Reasons, Reason: d.Text, CorrectionDue: dateString(d.CorrectionDue),
			FromCourt: d.FromCourt, ToCourt: d.ToCourt, DecidedAt: d.DecidedAt}
	}
	out.Responses, out.Decisions = &responses, &list
	return nil
}

// bodyName is a public body's name in l, or "" when the registry does not hold it.
func (s *Server) bodyName(ctx context.Context, bin, l string) (string, error) {
	b, err := s.DB.Body(ctx, bin)
	if errors.Is(err, storage.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return b.Name.In(l), nil
}

// verifyURLOf is the public page of a filed claim's newest receipt (nil before filing).
func (s *Server) verifyURLOf(ctx context.Context, cl claim.Claim) (*string, error) {
	path, err := s.verifyPath(ctx, cl)
	if err != nil || path == "" {
		return nil, err
	}
	u := strings.TrimRight(s.Config.BaseURL, "/") + path
	return &u, nil
}

// sendClaim answers with the claim as the API shows it.
func (s *Server) sendClaim(c *fiber.Ctx, status int, cl claim.Claim) error {
	out, err := s.claimJSON(c, cl)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(out)
}
