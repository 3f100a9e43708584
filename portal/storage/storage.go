// Package storage is Talap's PostgreSQL system of record: every SQL statement lives here, in one
// file per aggregate.
package storage

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"talap/infra/migrations"
	"talap/portal/claim"
)

// ErrNotFound is returned when a row asked for does not exist.
var ErrNotFound = errors.New("not found")

// isUUID tells whether s is a record id. Ids are compared as uuid so that lookups use the primary
// key; anything else cannot name a record and is not found, rather than a database error.
func isUUID(s string) bool {
	_, err := uuid.Parse(s)
	return len(s) == 36 && err == nil
}

// DB is the connection pool and every query Talap makes.
type DB struct {
	Pool *pgxpool.Pool
	reg  registryCache
}

// Open connects to PostgreSQL and checks the connection.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return &DB{Pool: pool}, nil
}

// Close releases the pool.
func (db *DB) Close() { db.Pool.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.Pool.Ping(ctx) }

// Migrate applies every pending migration.
func (db *DB) Migrate(ctx context.Context) error {
	goose.SetBaseFS(migrations.FS)
	goose.SetLogger(goose.NopLogger())
	if err := goose.SetDialect("postgres"); err != nil {
		return err
	}
	sqlDB := stdlib.OpenDBFromPool(db.Pool)
	defer sqlDB.Close()
	// Two processes starting together must not migrate at once.
	if _, err := db.Pool.Exec(ctx, "SELECT pg_advisory_lock(727001)"); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer db.Pool.Exec(context.Background(), "SELECT pg_advisory_unlock(727001)") //nolint:errcheck
	if err := goose.UpContext(ctx, sqlDB, "."); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// EnsureDatabase creates the database named in dsn if it does not exist, connecting to the
// server's maintenance database to do so.
func EnsureDatabase(ctx context.Context, dsn string) error {
	return onServer(ctx, dsn, func(conn *pgx.Conn, name string) error {
		_, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
		var pgErr *pgconn.PgError
		if err != nil && !(errors.As(err, &pgErr) && pgErr.Code == "42P04") {
			return fmt.Errorf("create database %s: %w", name, err)
		}
		return nil
	})
}

// DropDatabase drops the database named in dsn, ending its connections.
func DropDatabase(ctx context.Context, dsn string) error {
	return onServer(ctx, dsn, func(conn *pgx.Conn, name string) error {
		_, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		return err
	})
}

// onServer runs do on a connection to the server's maintenance database, with the name of the
// database dsn names.
func onServer(ctx context.Context, dsn string, do func(conn *pgx.Conn, name string) error) error {
	name, admin, err := adminDSN(dsn)
	if err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("connect to postgres: %w", err)
	}
	defer conn.Close(ctx)
	return do(conn, name)
}

func adminDSN(dsn string) (name, admin string, err error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", "", fmt.Errorf("parse database url: %w", err)
	}
	name = strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return "", "", errors.New("database url names no database")
	}
	u.Path = "/postgres"
	// Pool settings in the URL are for pgxpool; a plain connection refuses them.
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "pool_") {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return name, u.String(), nil
}

// inTx runs fn in a transaction, committing when it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.Pool, fn)
}

// sqlStatus is a claim status as an SQL literal, so that statements name statuses through claim's
// constants (the values are fixed identifiers, never input).
func sqlStatus(s claim.Status) string { return "'" + string(s) + "'" }
