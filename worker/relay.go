package worker

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"

	"talap/portal/storage"
)

// Relay hands outbox rows to the queue. Each task's id is the outbox row's id, so handing the same
// row over twice is a conflict in the queue, which counts as success.
type Relay struct {
	DB        *storage.DB
	Client    *asynq.Client
	Queue     string
	Retention time.Duration // how long the queue keeps a finished task's id
	Interval  time.Duration // the sweeper: how often unsent rows are tried again without a wake-up
	// StuckAfter: claims left in submitted or validating longer than this are sent through again.
	StuckAfter time.Duration
	Log        *slog.Logger
}

// RelayOnce sends every unsent row, batch by batch, until none is left or sending fails.
func (r *Relay) RelayOnce(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := r.DB.RelayOutbox(ctx, 100, r.send)
		total += n
		if err != nil || n < 100 {
			return total, err
		}
	}
}

func (r *Relay) send(row storage.OutboxRow) error {
	// A dead Redis must not hold the outbox rows' locks for long: give up and let the sweeper retry.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	task := asynq.NewTask(row.TaskType, row.Payload)
	opts := []asynq.Option{asynq.TaskID(row.ID), asynq.Queue(r.Queue), asynq.MaxRetry(25), asynq.Retention(r.Retention)}
	if row.ProcessAt != nil {
		opts = append(opts, asynq.ProcessAt(*row.ProcessAt))
	}
	_, err := r.Client.EnqueueContext(ctx, task, opts...)
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	return err
}

// Run relays whenever PostgreSQL announces a new row, and every Interval in any case, until ctx ends.
func (r *Relay) Run(ctx context.Context) {
	wake := make(chan struct{}, 1)
	go r.listen(ctx, wake)
	ticker := time.NewTicker(r.Interval)
	defer ticker.Stop()
	sweep := true
	for {
		// The sweeper scans claims, so it runs on the ticker only, not at every wake-up.
		if sweep && r.StuckAfter > 0 {
			if n, err := r.DB.RequeueStuck(ctx, r.StuckAfter); err != nil && ctx.Err() == nil {
				r.Log.Warn("sweeper: could not look for stuck claims", "error", err)
			} else if n > 0 {
				r.Log.Warn("sweeper: sent stuck claims through again", "claims", n)
			}
		}
		n, err := r.RelayOnce(ctx)
		if err != nil && ctx.Err() == nil {
			r.Log.Warn("outbox relay: queue not reachable; rows stay in the outbox", "error", err)
		} else if n > 0 {
			r.Log.Debug("outbox relayed", "tasks", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			sweep = true
		case <-wake:
			sweep = false
		}
	}
}

// listen forwards NOTIFY wake-ups; if the connection drops it reconnects, and the ticker covers the gap.
func (r *Relay) listen(ctx context.Context, wake chan<- struct{}) {
	for ctx.Err() == nil {
		conn, err := pgx.ConnectConfig(ctx, r.DB.Pool.Config().ConnConfig.Copy())
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN "+storage.OutboxChannel)
			for err == nil {
				_, err = conn.WaitForNotification(ctx)
				if err == nil {
					select {
					case wake <- struct{}{}:
					default:
					}
				}
			}
			conn.Close(context.Background())
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}
