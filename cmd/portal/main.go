// Command portal serves Talap's web pages and JSON API, and holds the operator subcommands.
//
//	portal                 serve (migrates first)
//	portal migrate         create the database if needed and apply migrations
//	portal seed            load the court and public-body registries from infra/seed (and, outside
//	                       production, the demo personas' memberships)
//	portal audit-verify    check the audit log's hash chain
//	portal healthcheck     exit 0 when the running portal answers /healthz (for containers)
//	portal memberships     list who works for which body or court, and the administrators
//	portal grant IIN officer BIN | clerk COURT | admin     add a membership (audited)
//	portal revoke ID       remove a membership by its id (audited)
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"

	"talap/cmd/internal/ops"
	"talap/portal/config"
	"talap/portal/filing"
	"talap/portal/ident"
	"talap/portal/objectstore"
	"talap/portal/party"
	"talap/portal/storage"
	"talap/portal/task"
	"talap/portal/web"
)

func main() {
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd, args := "serve", []string(nil)
	if len(os.Args) > 1 {
		cmd, args = os.Args[1], os.Args[2:]
	}
	if err := run(ctx, cfg, cmd, args); err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config.Config, cmd string, args []string) error {
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
		// Sealing is what the worker does every second; doing it here first means every event
		// written so far is checked, whether or not a worker is running.
		if _, err := db.SealAllAudit(ctx); err != nil {
			return err
		}
		check, err := db.VerifyAudit(ctx)
		if err != nil {
			return fmt.Errorf("audit log broken after %d good events: %w", check.Verified, err)
		}
		fmt.Printf("audit log intact: %d events verified, %d written since and not yet sealed\n", check.Verified, check.Unsealed)
		return nil
	case "serve":
		return serve(ctx, cfg, db)
	case "memberships", "grant", "revoke":
		return memberships(ctx, db, cmd, args)
	default:
		return fmt.Errorf("unknown command %q (serve, migrate, seed, audit-verify, healthcheck, memberships, grant, revoke)", cmd)
	}
}

func serve(ctx context.Context, cfg config.Config, db *storage.DB) error {
	log := cfg.Logger()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	store, err := objectstore.New(objectstore.Config{Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey, Bucket: cfg.S3Bucket, UseTLS: cfg.S3UseTLS,
		Retention: cfg.BucketRetention()})
	if err != nil {
		return fmt.Errorf("TALAP_S3_ENDPOINT: %w", err)
	}
	if err := store.EnsureBucket(ctx); err != nil {
		// Not fatal: /readyz reports object storage until it answers.
		log.Warn("object storage not ready at start", "error", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: cfg.RedisAddr, Password: cfg.RedisPassword, DB: cfg.RedisSessionDB})
	defer rdb.Close()
	inspector := asynq.NewInspector(task.RedisOpt(cfg))
	defer inspector.Close()

	metrics := prometheus.NewRegistry()
	app, err := web.New(web.Deps{Config: cfg, DB: db, Redis: rdb, Store: store, Inspector: inspector, Log: log, Metrics: metrics})
	if err != nil {
		return err
	}
	ops.Serve("pprof", cfg.PprofAddr, ops.Pprof(), log)
	ops.Serve("metrics", cfg.MetricsAddr, promhttp.HandlerFor(metrics, promhttp.HandlerOpts{}), log)
	fs, err := filing.New(db, cfg)
	if err != nil {
		return err
	}
	go func() { _, _ = fs.ReissueLegacyReceipts(ctx, log) }() // version 1 receipts: logs its own outcome
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

// memberships lists, grants and revokes memberships from the command line; changes are audited
// with the operator recorded as "cli".
func memberships(ctx context.Context, db *storage.DB, cmd string, args []string) error {
	switch cmd {
	case "memberships":
		ms, err := db.Memberships(ctx, "")
		if err != nil {
			return err
		}
		for _, m := range ms {
			fmt.Printf("%d\t%s\t%s\t%s%s\t%s\n", m.ID, m.IIN, m.Role, m.BodyBIN, m.CourtID, m.Name)
		}
		return nil
	case "revoke":
		if len(args) != 1 {
			return errors.New("usage: portal revoke MEMBERSHIP_ID (see portal memberships)")
		}
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return fmt.Errorf("membership id %q is not a number", args[0])
		}
		return db.Revoke(ctx, "cli", id)
	}
	usage := errors.New("usage: portal grant IIN officer BIN | portal grant IIN clerk COURT_ID | portal grant IIN admin")
	if len(args) < 2 {
		return usage
	}
	m := party.Membership{IIN: args[0], Role: args[1]}
	if err := ident.ValidateIIN(m.IIN); err != nil {
		return fmt.Errorf("IIN %s: %w", m.IIN, err)
	}
	switch {
	case m.Role == party.RoleOfficer && len(args) == 3:
		m.BodyBIN = args[2]
	case m.Role == party.RoleClerk && len(args) == 3:
		m.CourtID = args[2]
	case m.Role == party.RoleAdmin && len(args) == 2:
	default:
		return usage
	}
	return db.Grant(ctx, "cli", m)
}
