// Command worker runs Talap's asynq workers and the outbox relay.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"talap/cmd/internal/ops"
	"talap/portal/config"
	"talap/portal/objectstore"
	"talap/portal/storage"
	"talap/worker"
)

func main() {
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config.Config, args []string) error {
	log := cfg.Logger()
	openCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	db, err := storage.Open(openCtx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if len(args) > 0 && args[0] == "healthcheck" {
		return db.Ping(openCtx)
	}
	if err := db.Migrate(openCtx); err != nil {
		return err
	}
	store, err := objectstore.New(objectstore.Config{Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey, Bucket: cfg.S3Bucket, UseTLS: cfg.S3UseTLS})
	if err != nil {
		return fmt.Errorf("TALAP_S3_ENDPOINT: %w", err)
	}
	ops.Serve("pprof", cfg.PprofAddr, ops.Pprof(), log)
	return worker.Run(ctx, cfg, db, store, log)
}
