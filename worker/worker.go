// Package worker holds the asynq task handlers that move a filed claim along, and the outbox relay
// that hands tasks from PostgreSQL to the queue.
package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/hibiken/asynq"

	"talap/portal/claim"
	"talap/portal/court"
	"talap/portal/lang"
	"talap/portal/storage"
)

// ClaimPayload is the payload of every claim task.
type ClaimPayload struct {
	ClaimID string `json:"claim_id"`
}

// Handlers processes tasks against the system of record.
type Handlers struct {
	DB  *storage.DB
	Log *slog.Logger
}

// Register adds every handler to mux.
func (h *Handlers) Register(mux *asynq.ServeMux) {
	mux.HandleFunc(storage.TaskRouteClaim, h.RouteClaim)
}

// RouteClaim sends a submitted claim to the court covering the respondent's location. It is
// idempotent: a claim already routed is left as it is.
func (h *Handlers) RouteClaim(ctx context.Context, t *asynq.Task) error {
	var p ClaimPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.ClaimID == "" {
		return fmt.Errorf("bad payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	courts, err := h.DB.Courts(ctx)
	if err != nil {
		return err
	}
	out, err := h.DB.RouteClaim(ctx, p.ClaimID, func(in storage.RoutingInput) (storage.RouteOutcome, error) {
		return routeByRespondent(courts, in), nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("claim %s: %w", p.ClaimID, asynq.SkipRetry)
	}
	if err != nil {
		return err
	}
	log := h.Log.With("claim_id", p.ClaimID, "task_id", taskID(ctx))
	switch {
	case out.AlreadyFinished:
		log.Info("claim already routed; nothing to do")
	case out.Routing == nil:
		log.Warn("claim unroutable", "reason", out.UnroutableWhy)
	default:
		log.Info("claim routed", "court_id", out.Routing.CourtID, "rule", out.Routing.Rule)
	}
	return nil
}

func taskID(ctx context.Context) string {
	id, _ := asynq.GetTaskID(ctx)
	return id
}

// routeByRespondent applies APPK Art. 106(1): the court where the respondent is located.
func routeByRespondent(courts []court.Court, in storage.RoutingInput) storage.RouteOutcome {
	c, prefix, ok := court.Covering(courts, in.RespondentKATO)
	if !ok {
		return storage.RouteOutcome{UnroutableWhy: fmt.Sprintf("no court in the registry covers the respondent's territory (KATO %q)", in.RespondentKATO)}
	}
	return storage.RouteOutcome{Routing: &claim.Routing{
		CourtID: c.ID,
		Rule:    "respondent_location",
		Explanation: lang.Text{
			KK: fmt.Sprintf("Талап жауапкер орналасқан жердегі сотқа жіберілді (ӘРПК 106-бабының 1-бөлігі): жауапкердің аумағы (ӘАОЖ %s) %s соты қамтитын аумаққа кіреді.", prefix, c.Name.KK),
			RU: fmt.Sprintf("Иск направлен в суд по месту нахождения ответчика (ч. 1 ст. 106 АППК): территория ответчика (КАТО %s) относится к ведению суда «%s».", prefix, c.Name.RU),
			EN: fmt.Sprintf("The claim goes to the court where the respondent is located (APPK Art. 106(1)): the respondent's territory (KATO %s) is covered by the %s.", prefix, c.Name.EN),
		},
	}}
}
