// Command seedclaims fills a database with a realistic volume of claims and measures the two
// listing queries that must stay fast as the table grows: a court's intake queue and a citizen's
// "my claims".
//
// It creates the database if missing, migrates it, loads the court and public-body registries,
// bulk-loads claims with COPY, and with -measure times the storage package's own queries and prints
// their percentiles and EXPLAIN (ANALYZE, BUFFERS) plans:
//
//	go run ./cmd/seedclaims -claims 10000 -citizens 500 -database postgres://postgres@127.0.0.1:5432/talap_perf_10k?sslmode=disable -measure
//	go run ./cmd/seedclaims -claims 1000000 -database postgres://postgres@127.0.0.1:5432/talap_perf_1m?sslmode=disable -measure
//
// A database that already holds claims is measured as it is, unless -reset empties it first. With
// -compare naming a second filled database (the baseline), both are measured in alternating rounds,
// so that other load on the machine falls on both alike, and the ratios of the percentiles are
// printed:
//
//	go run ./cmd/seedclaims -claims 0 -measure -database .../talap_perf_1m?sslmode=disable -compare .../talap_perf_10k?sslmode=disable
//
// -drop drops the database at the end.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"talap/portal/storage"
)

const defaultDSN = "postgres://postgres@127.0.0.1:5432/talap_perf?sslmode=disable"

type options struct {
	dsn      string
	claims   int
	citizens int
	heavy    int
	backlog  int
	measure  bool
	queries  int
	seed     uint64
	reset    bool
	workers  int
	batch    int
	drop     bool
	compare  string
}

func main() {
	var o options
	flag.StringVar(&o.dsn, "database", defaultDSN, "PostgreSQL URL of the database to fill (created if missing)")
	flag.IntVar(&o.claims, "claims", 1_000_000, "claims to generate")
	flag.IntVar(&o.citizens, "citizens", 50_000, "claimants the claims are spread over")
	flag.IntVar(&o.heavy, "heavy", 200, "claims of the one heavy claimant")
	flag.IntVar(&o.backlog, "backlog", 8, "percent of claims older than 45 days still routed, waiting in a court's queue (0-65)")
	flag.BoolVar(&o.measure, "measure", false, "time the court queue and \"my claims\" and print their plans")
	flag.IntVar(&o.queries, "queries", 2000, "timed calls of each query with -measure")
	flag.Uint64Var(&o.seed, "seed", 1, "random seed; the same seed gives the same claims")
	flag.BoolVar(&o.reset, "reset", false, "empty the claims table before loading")
	flag.IntVar(&o.workers, "workers", 2, "parallel COPY connections")
	flag.IntVar(&o.batch, "batch", 20_000, "rows per COPY")
	flag.BoolVar(&o.drop, "drop", false, "drop the database when done")
	flag.StringVar(&o.compare, "compare", "", "with -measure, a second, already filled database (the baseline) to measure in alternating rounds and compare with")
	flag.Parse()
	log.SetFlags(log.Ltime)
	if err := run(context.Background(), o); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	if o.claims < 0 || o.citizens < 1 || o.heavy < 0 || o.queries < 1 || o.workers < 1 || o.batch < 1 || o.backlog < 0 || o.backlog > 65 {
		return fmt.Errorf("bad flags: -claims, -heavy >= 0; -citizens, -queries, -workers, -batch >= 1; -backlog 0-65")
	}
	if err := storage.EnsureDatabase(ctx, o.dsn); err != nil {
		return err
	}
	db, err := open(ctx, o.dsn, o.workers)
	if err != nil {
		return err
	}
	var compare *storage.DB
	if o.compare != "" && o.measure {
		if compare, err = open(ctx, o.compare, 1); err != nil {
			db.Close()
			return fmt.Errorf("baseline: %w", err)
		}
	}
	err = fillAndMeasure(ctx, db, compare, o)
	db.Close()
	if compare != nil {
		compare.Close()
	}
	if err != nil {
		return err
	}
	if o.drop {
		if err := storage.DropDatabase(ctx, o.dsn); err != nil {
			return fmt.Errorf("drop database: %w", err)
		}
		log.Printf("dropped the database")
	}
	return nil
}

// open connects with the tracer that captures statements to explain, and migrates and seeds the
// registries.
func open(ctx context.Context, dsn string, workers int) (*storage.DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	cfg.ConnConfig.Tracer = captureTracer{}
	cfg.MaxConns = int32(max(4, workers+1))
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db := &storage.DB{Pool: pool}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.Seed(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("seed registries: %w", err)
	}
	return db, nil
}

func fillAndMeasure(ctx context.Context, db, compare *storage.DB, o options) error {
	var have int64
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM claims`).Scan(&have); err != nil {
		return err
	}
	if have > 0 && o.reset {
		log.Printf("emptying %d claims", have)
		if _, err := db.Pool.Exec(ctx, `TRUNCATE claims, case_counters CASCADE`); err != nil {
			return fmt.Errorf("empty claims: %w", err)
		}
		have = 0
	}
	switch {
	case have > 0:
		log.Printf("the database already holds %d claims: not loading (-reset to reload)", have)
	case o.claims > 0:
		start := time.Now()
		if err := load(ctx, db, o); err != nil {
			return err
		}
		log.Printf("loaded %d claims in %s", o.claims, time.Since(start).Round(time.Millisecond))
	}
	if o.measure {
		mctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		defer cancel()
		return measure(mctx, db, compare, o, os.Stdout)
	}
	return nil
}
