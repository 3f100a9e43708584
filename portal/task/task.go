// Package task names the jobs the claim pipeline hands from the system of record (through the
// outbox) to the worker (through the asynq queue on Redis), and their payloads. Storage writes
// them, the outbox relay enqueues them, the worker handles them; nothing else needs to know them.
package task

import (
	"github.com/hibiken/asynq"

	"talap/portal/config"
)

// Task types.
const (
	ValidateClaim = "claim:validate"
	RouteClaim    = "claim:route"
	Notify        = "notify:claim"
	Remind        = "notify:response_reminder"
	AutoReturn    = "claim:correction_due" // returns a claim left without motion whose correction period ran out
)

// ClaimPayload is the payload of every claim task.
type ClaimPayload struct {
	ClaimID string `json:"claim_id"`
	// DecisionID, in a correction check, is the decision that left the claim without motion.
	DecisionID int64 `json:"decision_id,omitempty"`
}

// NotifyPayload asks for the people concerned to be told of an event on a claim.
type NotifyPayload struct {
	ClaimID string `json:"claim_id"`
	Event   string `json:"event"`
}

// RedisOpt is the queue's Redis connection (its own DB index, apart from sessions).
func RedisOpt(cfg config.Config) asynq.RedisClientOpt {
	return asynq.RedisClientOpt{Addr: cfg.RedisAddr, Password: cfg.RedisPassword, DB: cfg.RedisQueueDB}
}
