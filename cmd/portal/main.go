// Command portal serves Talap's web pages and JSON API, and holds the operator subcommands.
//
//	portal                 serve (migrates first)
//	portal migrate         create the database if needed and apply migrations
//	portal seed            load the court and public-body registries from infra/seed (and, outside
//	                       production, the demo personas' memberships)
//	portal audit-verify    check the audit log's hash chain
//	portal healthcheck     exit 0 when the running portal answers /healthz (for containers)
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	_ "net/http/pprof" // served only on TALAP_PPROF_ADDR
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"talap/portal/config"
	"talap/portal/objectstore"
	"talap/portal/storage"
	"talap/portal/web"
	"talap/worker"
)

func main() {
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := "serve"
	if len(os.Args) > 1 {
		cmd = os.Args[1]
	}
	if err := run(ctx, cfg, cmd); err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config.Config, cmd string) error {
	if cmd == "healthcheck" {
		return healthcheck(cfg)
	}
	openCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if cmd == "migrate" || cmd == "seed" {
		if err := storage.EnsureDatabase(openCtx, cfg.DatabaseURL); err != nil {
			return fmt.Errorf("TALAP_DATABASE_URL: %w", err)
		}
	}
	db, err := storage.Open(openCtx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("TALAP_DATABASE_URL: %w", err)
	}
	defer db.Close()
	switch cmd {
	case "migrate":
		return db.Migrate(openCtx)
	case "seed":
		if err := db.Migrate(openCtx); err != nil {
			return err
		}
		if err := db.Seed(openCtx); err != nil {
			return err
		}
		if cfg.Production() {
			return nil
		}
		return db.SeedDemo(openCtx)
	case "audit-verify":
		n, err := db.VerifyAudit(ctx)
		if err != nil {
			return fmt.Errorf("audit log broken after %d good events: %w", n, err)
		}
		fmt.Printf("audit log intact: %d events verified\n", n)
		return nil
	case "serve":
		return serve(ctx, cfg, db)
	default:
		return fmt.Errorf("unknown command %q (serve, migrate, seed, audit-verify, healthcheck)", cmd)
	}
}

func serve(ctx context.Context, cfg config.Config, db *storage.DB) error {
	log := cfg.Logger()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	store, err := objectstore.New(objectstore.Config{Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey, Bucket: cfg.S3Bucket, UseTLS: cfg.S3UseTLS})
	if err != nil {
		return fmt.Errorf("TALAP_S3_ENDPOINT: %w", err)
	}
	if err := store.EnsureBucket(ctx); err != nil {
		// Not fatal: /readyz reports object storage until it answers.
		log.Warn("object storage not ready at start", "error", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: cfg.RedisAddr, Password: cfg.RedisPassword, DB: cfg.RedisSessionDB})
	defer rdb.Close()
	inspector := asynq.NewInspector(worker.RedisOpt(cfg))
	defer inspector.Close()

	app, err := web.New(web.Deps{Config: cfg, DB: db, Redis: rdb, Store: store, Inspector: inspector, Log: log})
	if err != nil {
		return err
	}
	if cfg.PprofAddr != "" {
		// Profiling is for operators only: its own listener, enabled by configuration.
		go func() {
			log.Warn("pprof enabled", "addr", cfg.PprofAddr)
			if err := http.ListenAndServe(cfg.PprofAddr, nil); err != nil {
				log.Error("pprof listener", "error", err)
			}
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- app.Listen(cfg.HTTPAddr) }()
	log.Info("portal listening", "addr", cfg.HTTPAddr, "url", cfg.BaseURL)
	select {
	case err := <-errc:
		return fmt.Errorf("TALAP_HTTP_ADDR: %w", err)
	case <-ctx.Done():
	}
	log.Info("portal shutting down")
	return web.Shutdown(app, 15*time.Second)
}

func healthcheck(cfg config.Config) error {
	client := http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://" + cfg.HTTPAddr + "/healthz")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errors.New(resp.Status)
	}
	return nil
}
