// Package testenv gives a test package its own fresh database, queue and bucket on the real local
// services (started by `make test`), and removes them afterwards.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"talap/portal/config"
	"talap/portal/objectstore"
	"talap/portal/storage"
)

// Env is one test package's share of the services.
type Env struct {
	Config config.Config
	DB     *storage.DB
	Store  *objectstore.Store
}

var current *Env

// Run is a TestMain body: it prepares the Env, runs the tests and cleans up. Use as
// `func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }`.
func Run(m *testing.M) int {
	env, cleanup, err := setUp()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testenv:", err)
		fmt.Fprintln(os.Stderr, "testenv: are the services up? `make test` starts them (infra/dev/services.sh up)")
		return 1
	}
	current = env
	code := m.Run()
	cleanup()
	return code
}

// Get returns the package's Env.
func Get(t testing.TB) *Env {
	t.Helper()
	if current == nil {
		t.Fatal("testenv: call testenv.Run from TestMain")
	}
	return current
}

func random() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func setUp() (*Env, func(), error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, err := config.Load()
	if err != nil {
		return nil, nil, err
	}
	id := random()
	u, err := url.Parse(cfg.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	u.Path = "/talap_test_" + id
	cfg.DatabaseURL = u.String()
	cfg.Queue = "test-" + id
	cfg.S3Bucket = "talap-test-" + id
	if err := storage.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
		return nil, nil, err
	}
	dropDB := func() { _ = storage.DropDatabase(context.Background(), cfg.DatabaseURL) }
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		dropDB()
		return nil, nil, err
	}
	err = db.Migrate(ctx)
	if err == nil {
		err = db.Seed(ctx)
	}
	if err == nil {
		err = db.SeedDemo(ctx)
	}
	if err != nil {
		db.Close()
		dropDB()
		return nil, nil, err
	}
	store, err := objectstore.New(objectstore.Config{Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey, Bucket: cfg.S3Bucket, UseTLS: cfg.S3UseTLS,
		Retention: cfg.BucketRetention()})
	if err == nil {
		err = store.EnsureBucket(ctx)
	}
	if err != nil {
		db.Close()
		dropDB()
		return nil, nil, err
	}
	cleanup := func() {
		db.Close()
		dropDB()
		removeBucket(store)
	}
	return &Env{Config: cfg, DB: db, Store: store}, cleanup, nil
}

// removeBucket deletes every version in the bucket, bypassing governance retention, then the bucket:
// MinIO refuses a forced delete of a bucket with object lock.
func removeBucket(store *objectstore.Store) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for obj := range store.Client.ListObjects(ctx, store.Bucket, minio.ListObjectsOptions{Recursive: true, WithVersions: true}) {
		if obj.Err != nil {
			break
		}
		_ = store.Client.RemoveObject(ctx, store.Bucket, obj.Key, minio.RemoveObjectOptions{VersionID: obj.VersionID, GovernanceBypass: true})
	}
	_ = store.Client.RemoveBucket(ctx, store.Bucket)
}
