// Package worker holds the asynq task handlers that move a filed claim along (validate, route,
// notify), and the outbox relay that hands tasks from PostgreSQL to the queue.
package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"talap/portal/calendar"
	"talap/portal/claim"
	"talap/portal/config"
	"talap/portal/court"
	"talap/portal/deadline"
	"talap/portal/document"
	"talap/portal/intake"
	"talap/portal/locale"
	"talap/portal/mail"
	"talap/portal/objectstore"
	"talap/portal/routing"
	"talap/portal/storage"
	"talap/portal/task"
)

// Handlers processes tasks against the system of record. Every handler is idempotent: a task
// delivered twice changes nothing the second time.
type Handlers struct {
	DB       *storage.DB
	Store    *objectstore.Store
	Log      *slog.Logger
	Config   config.Config
	Rules    routing.Rules
	Calendar *calendar.Calendar
	Tr       *locale.Translator
	Mail     mail.Sender
}

// NewHandlers loads the routing rules and the calendar, which are data.
func NewHandlers(cfg config.Config, db *storage.DB, store *objectstore.Store, log *slog.Logger) (*Handlers, error) {
	rules, err := routing.Load()
	if err != nil {
		return nil, fmt.Errorf("routing rules: %w", err)
	}
	cal, err := calendar.Load()
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	tr, err := locale.New()
	if err != nil {
		return nil, err
	}
	return &Handlers{DB: db, Store: store, Log: log, Config: cfg, Rules: rules, Calendar: cal, Tr: tr,
		Mail: mail.Sender{Addr: cfg.SMTPAddr, From: cfg.MailFrom}}, nil
}

// Register adds every handler to mux.
func (h *Handlers) Register(mux *asynq.ServeMux) {
	mux.HandleFunc(task.ValidateClaim, h.ValidateClaim)
	mux.HandleFunc(task.RouteClaim, h.RouteClaim)
	mux.HandleFunc(task.Notify, h.Notify)
	mux.HandleFunc(task.Remind, h.Notify)
	mux.HandleFunc(task.AutoReturn, h.AutoReturn)
}

// AutoReturn returns a claim left without motion that was not corrected in time (APPK Art.
// 138(2)(2)); a claim corrected meanwhile is left alone.
func (h *Handlers) AutoReturn(ctx context.Context, t *asynq.Task) error {
	id, err := claimID(t)
	if err != nil {
		return err
	}
	var p task.ClaimPayload
	_ = json.Unmarshal(t.Payload(), &p) // claimID has checked it
	returned, err := h.DB.AutoReturnFor(ctx, id, p.DecisionID, time.Now())
	if err != nil {
		return notFound(err, id)
	}
	h.Log.Info("correction period over", "claim_id", id, "task_id", taskID(ctx), "returned", returned)
	return nil
}

func claimID(t *asynq.Task) (string, error) {
	var p task.ClaimPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.ClaimID == "" {
		return "", fmt.Errorf("bad payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	return p.ClaimID, nil
}

func taskID(ctx context.Context) string {
	id, _ := asynq.GetTaskID(ctx)
	return id
}

// notFound makes a task for a claim that no longer exists finish without retries.
func notFound(err error, id string) error {
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("claim %s: %w", id, asynq.SkipRetry)
	}
	return err
}

// ValidateClaim re-reads every document from storage, then sends the claim back to the claimant
// for technical problems or, with legal flags for the court, on to routing.
func (h *Handlers) ValidateClaim(ctx context.Context, t *asynq.Task) error {
	id, err := claimID(t)
	if err != nil {
		return err
	}
	c, ok, err := h.DB.StartValidation(ctx, id)
	if err != nil {
		return notFound(err, id)
	}
	log := h.Log.With("claim_id", id, "task_id", taskID(ctx))
	if !ok {
		log.Info("claim not waiting for validation; nothing to do", "status", c.Status)
		return nil
	}
	filed := time.Now()
	if c.SubmittedAt != nil {
		filed = *c.SubmittedAt
	}
	// Re-read the latest version at each key: anything written over a filed document is a change.
	// The filed versions stay locked for the retention period from filing.
	checks := map[string]intake.DocCheck{}
	for _, d := range c.Documents {
		sum, err := document.Recheck(ctx, h.Store, d.Key, d.VersionID, filed.Add(h.Config.RetentionPeriod))
		switch {
		case errors.Is(err, document.ErrNotFound):
			checks[d.ID] = intake.DocCheck{Missing: true}
		case err != nil:
			return fmt.Errorf("re-hash %s: %w", d.ID, err) // storage down: retry later
		default:
			checks[d.ID] = intake.DocCheck{SHA256: sum}
		}
	}
	dup, err := h.DB.DuplicateOf(ctx, c)
	if err != nil {
		return err
	}
	problems := intake.Problems(c, checks)
	flags := intake.Flags(h.Calendar, c, filed, h.Config.ComplaintBodyDays, dup)
	outcome, err := h.DB.FinishValidation(ctx, id, problems, flags)
	if err != nil {
		return notFound(err, id)
	}
	log.Info("claim validated", "outcome", outcome, "problems", len(problems), "flags", len(flags))
	return nil
}

// RouteClaim sends a validated claim to the competent court by the routing rules, which are data,
// and records which rule chose the court and why. When no court covers the claim it waits for an
// administrator instead; it never goes to a court that does not exist.
func (h *Handlers) RouteClaim(ctx context.Context, t *asynq.Task) error {
	id, err := claimID(t)
	if err != nil {
		return err
	}
	courts, err := h.DB.Courts(ctx)
	if err != nil {
		return err
	}
	in, err := h.DB.ToRoute(ctx, id)
	if err != nil {
		return notFound(err, id)
	}
	out := routing.Outcome{AlreadyFinished: true}
	if in.Claim.Status.Routable() {
		if out, err = h.route(courts, in); err != nil {
			return err
		}
		if out, err = h.DB.RouteClaim(ctx, id, out); err != nil {
			return notFound(err, id)
		}
	}
	log := h.Log.With("claim_id", id, "task_id", taskID(ctx))
	switch {
	case out.AlreadyFinished:
		log.Info("claim already routed; nothing to do")
	case out.Routing == nil:
		log.Warn("claim unroutable", "reason", out.UnroutableWhy.EN)
	default:
		log.Info("claim routed", "court_id", out.Routing.CourtID, "rule", out.Routing.Rule)
	}
	return nil
}

func (h *Handlers) route(courts []court.Court, in routing.ClaimInput) (routing.Outcome, error) {
	c := in.Claim
	if c.CourtID != "" {
		// Corrected after the court left it without motion: it goes back to the same court.
		rule, why := routing.AfterCorrection()
		return h.withDeadlines(routing.Outcome{Routing: &claim.Routing{CourtID: c.CourtID, Rule: rule, Explanation: why}}), nil
	}
	d, err := routing.Route(h.Rules, courts, routing.Input{
		Category: c.Category, InvestmentDispute: c.InvestmentDispute, ActAbroad: c.ActAbroad, ActElectronic: c.ActElectronic,
		HearAtResidence: c.HearAtResidence, ResidenceKATO: c.Claimant.ResidenceKATO, PropertyKATO: c.PropertyKATO,
		RespondentKATO: in.RespondentKATO,
	})
	var noCourt *routing.NoCourtError
	if errors.As(err, &noCourt) {
		return routing.Outcome{UnroutableWhy: noCourt.Reason}, nil
	}
	if err != nil {
		return routing.Outcome{}, err
	}
	return h.withDeadlines(routing.Outcome{Routing: &claim.Routing{CourtID: d.CourtID, Rule: d.Rule, Explanation: d.Explanation}}), nil
}

// withDeadlines sets when the respondent's response is due and when to remind it.
func (h *Handlers) withDeadlines(out routing.Outcome) routing.Outcome {
	rs, err := deadline.Respond(h.Calendar, time.Now(), h.Config.ResponseDays, h.Config.RemindBeforeDays, h.Config.ReminderAt)
	if err != nil {
		h.Log.Warn("response deadline not computed", "error", err)
		return out
	}
	out.ResponseDue, out.RemindAt = &rs.Due, rs.RemindAt
	return out
}
