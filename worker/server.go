package worker

import (
	"context"
	"log/slog"
	"math"
	"time"

	"github.com/hibiken/asynq"

	"talap/portal/config"
	"talap/portal/objectstore"
	"talap/portal/storage"
	"talap/portal/task"
)

// Backoff doubles the wait after each failure, from 1 s up to 10 min.
func Backoff(n int, _ error, _ *asynq.Task) time.Duration {
	return time.Duration(math.Min(float64(time.Second)*math.Pow(2, float64(n)), float64(10*time.Minute)))
}

// TaskCheckInterval is how long the worker sleeps when its queue is empty. asynq's 1 s default
// would add seconds to every claim's way through validate → route; at 20 ms an idle worker asks
// Redis 50 times a second, which Redis does not notice.
const TaskCheckInterval = 20 * time.Millisecond

// Run serves the queue and relays the outbox until ctx ends, then shuts down gracefully: tasks in
// hand are given time to finish and otherwise go back to the queue.
func Run(ctx context.Context, cfg config.Config, db *storage.DB, store *objectstore.Store, log *slog.Logger) error {
	handlers, err := NewHandlers(cfg, db, store, log)
	if err != nil {
		return err
	}
	client := asynq.NewClient(task.RedisOpt(cfg))
	defer client.Close()
	relay := &Relay{DB: db, Client: client, Queue: cfg.Queue, Retention: cfg.TaskRetention, Interval: cfg.OutboxInterval,
		StuckAfter: cfg.StuckAfter, Log: log}
	relayDone, sealDone := make(chan struct{}), make(chan struct{})
	go func() { defer close(relayDone); relay.Run(ctx) }()
	go func() { defer close(sealDone); SealAudit(ctx, db, cfg.AuditSeal, log) }()

	srv := asynq.NewServer(task.RedisOpt(cfg), asynq.Config{
		Concurrency:       10,
		Queues:            map[string]int{cfg.Queue: 1},
		RetryDelayFunc:    Backoff,
		ShutdownTimeout:   10 * time.Second,
		TaskCheckInterval: TaskCheckInterval,
		LogLevel:          asynq.WarnLevel,
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			id, _ := asynq.GetTaskID(ctx)
			log.Error("task failed", "task_type", t.Type(), "task_id", id, "error", err)
		}),
	})
	mux := asynq.NewServeMux()
	handlers.Register(mux)
	if err := srv.Start(mux); err != nil {
		return err
	}
	log.Info("worker started", "queue", cfg.Queue)
	<-ctx.Done()
	srv.Shutdown()
	<-relayDone
	<-sealDone
	log.Info("worker stopped")
	return nil
}
