package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/minio/minio-go/v7"

	"talap/portal/config"
	"talap/portal/objectstore"
	"talap/portal/storage"
)

// The baseline does the unavoidable I/O of filing a claim with the same libraries the portal uses,
// and nothing else: one minio-go PUT of the document with SHA-256 on the way, one PostgreSQL
// transaction writing the claim and its outbox row, one asynq enqueue with the outbox id as
// TaskID (and the relay's update marking the row sent), and a worker (an asynq server in this process, on its own queue) whose handler marks the
// claim routed and appends an audit row in one transaction, as the portal's writers do (the
// portal links its rows into the hash chain afterwards, in batches, in the worker's sealer). The
// audit rows go to a scratch table in the throwaway load-test database, so the portal's own audit
// log stays as the portal wrote it.
const (
	baselineTask = "loadtest:route"
	scratchAudit = `CREATE TABLE IF NOT EXISTS loadtest_audit_rows (
		id        bigserial PRIMARY KEY,
		at        timestamptz NOT NULL,
		actor     text NOT NULL,
		event     text NOT NULL,
		claim_id  uuid,
		data      text NOT NULL)`
)

type baseline struct {
	submitDB, workerDB *pgxpool.Pool // two pools, as the portal and the worker are two processes
	store              *objectstore.Store
	client             *asynq.Client
	server             *asynq.Server
	queue              string
	prefix             string // object keys of this run
	retention          time.Duration
	docSize            int64
	routeTimeout       time.Duration
	iin, bin, court    string
	kato               string
	waiters            sync.Map // claim id → chan struct{}, closed when routed
}

type baselineConfig struct {
	cfg          config.Config // services; DatabaseURL and S3Bucket already the load test's
	prepareDB    bool          // create, migrate and seed the database first (not needed after -start)
	queue        string
	taskCheck    time.Duration
	docSize      int64
	routeTimeout time.Duration
}

func startBaseline(ctx context.Context, bc baselineConfig) (*baseline, error) {
	cfg := bc.cfg
	if bc.prepareDB {
		if err := storage.EnsureDatabase(ctx, withoutPoolParams(cfg.DatabaseURL)); err != nil {
			return nil, err
		}
		db, err := storage.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, err
		}
		err = db.Migrate(ctx)
		if err == nil {
			err = db.Seed(ctx)
		}
		db.Close()
		if err != nil {
			return nil, err
		}
	}
	b := &baseline{queue: bc.queue, retention: cfg.TaskRetention, docSize: bc.docSize, routeTimeout: bc.routeTimeout,
		prefix: "loadtest-baseline/" + uuid.NewString() + "/"}
	ok := false
	defer func() {
		if !ok {
			b.close()
		}
	}()
	var err error
	if b.submitDB, err = pgxpool.New(ctx, cfg.DatabaseURL); err != nil {
		return nil, err
	}
	if b.workerDB, err = pgxpool.New(ctx, cfg.DatabaseURL); err != nil {
		return nil, err
	}
	if _, err := b.submitDB.Exec(ctx, scratchAudit); err != nil {
		return nil, fmt.Errorf("scratch audit table: %w", err)
	}
	err = b.submitDB.QueryRow(ctx, `SELECT b.bin, c.id FROM public_bodies b JOIN courts c
		ON EXISTS (SELECT 1 FROM unnest(c.kato_prefixes) p WHERE p <> '' AND b.kato LIKE p || '%')
		ORDER BY b.bin LIMIT 1`).Scan(&b.bin, &b.court)
	if err != nil {
		return nil, fmt.Errorf("a respondent and its court in %s (is it seeded?): %w", cfg.DatabaseURL, err)
	}
	b.iin, b.kato = "850412300016", "711110000"
	if b.store, err = objectstore.New(objectstore.Config{Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey,
		SecretKey: cfg.S3SecretKey, Bucket: cfg.S3Bucket, UseTLS: cfg.S3UseTLS}); err != nil {
		return nil, err
	}
	if err := b.store.EnsureBucket(ctx); err != nil {
		return nil, err
	}
	redis := asynq.RedisClientOpt{Addr: cfg.RedisAddr, Password: cfg.RedisPassword, DB: cfg.RedisQueueDB}
	b.client = asynq.NewClient(redis)
	b.server = asynq.NewServer(redis, asynq.Config{
		Concurrency:       10, // as the worker
		Queues:            map[string]int{b.queue: 1},
		TaskCheckInterval: bc.taskCheck,
		ShutdownTimeout:   10 * time.Second,
		LogLevel:          asynq.WarnLevel,
	})
	mux := asynq.NewServeMux()
	mux.HandleFunc(baselineTask, b.route)
	if err := b.server.Start(mux); err != nil {
		return nil, err
	}
	ok = true
	return b, nil
}

// cycle files one claim the bare way.
func (b *baseline) cycle(ctx context.Context, _, seq int) (time.Duration, time.Duration, error) {
	// The document, as the upload does before the claim is submitted.
	h := sha256.New()
	opts := minio.PutObjectOptions{ContentType: "application/pdf", PartSize: 16 << 20, NumThreads: 1}
	putCtx, cancel := context.WithTimeout(ctx, callTimeout)
	_, err := b.store.Client.PutObject(putCtx, b.store.Bucket, b.prefix+uuid.NewString(), io.TeeReader(newPDF(b.docSize, int64(seq)*7919), h), b.docSize, opts)
	cancel()
	if err != nil {
		return 0, 0, fmt.Errorf("put: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))

	// Submit: the claim and its outbox row in one transaction.
	t0 := time.Now()
	var claimID, outboxID string
	var payload []byte
	err = pgx.BeginFunc(ctx, b.submitDB, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO claims (claimant_iin, status, category, kind, respondent_bin, subject, grounds,
				demands, act_number, act_issued_on, act_received_on, pretrial_exempt_reason, residence_kato, phone,
				duty_exemption, submitted_at, number)
			VALUES ($1, 'submitted', 'tax', 'challenge', $2, $3, 'Grounds.', 'Demands.', $4, current_date - 20,
				current_date - 15, 'law_exempts', $5, '+7 701 234 56 78', 'disability', now(),
				'TLP-' || to_char(now() AT TIME ZONE 'Asia/Almaty', 'YYYY') || '-' || lpad(nextval('claim_number_seq')::text, 6, '0'))
			RETURNING id::text`, b.iin, b.bin, fmt.Sprintf("Baseline claim %d", seq), fmt.Sprintf("LT-%06d", seq), b.kato).Scan(&claimID)
		if err != nil {
			return fmt.Errorf("insert claim: %w", err)
		}
		payload, _ = json.Marshal(map[string]string{"claim_id": claimID, "document_sha256": sum})
		if err := tx.QueryRow(ctx, `INSERT INTO outbox (task_type, payload) VALUES ($1, $2) RETURNING id::text`, baselineTask, payload).Scan(&outboxID); err != nil {
			return fmt.Errorf("insert outbox: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("submit: %w", err)
	}
	submit := time.Since(t0)

	// Relay and route.
	done := make(chan struct{})
	b.waiters.Store(claimID, done)
	defer b.waiters.Delete(claimID)
	encCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
	_, err = b.client.EnqueueContext(encCtx, asynq.NewTask(baselineTask, payload), asynq.TaskID(outboxID), asynq.Queue(b.queue),
		asynq.MaxRetry(25), asynq.Retention(b.retention))
	cancel()
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return 0, 0, fmt.Errorf("enqueue: %w", err)
	}
	// The relay marks the row sent once the queue has it.
	updCtx, cancel := context.WithTimeout(ctx, callTimeout)
	_, err = b.workerDB.Exec(updCtx, `UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = $1`, outboxID)
	cancel()
	if err != nil {
		return 0, 0, fmt.Errorf("mark outbox sent: %w", err)
	}
	t := time.NewTimer(b.routeTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		return 0, 0, fmt.Errorf("not routed within %s", b.routeTimeout)
	case <-ctx.Done():
		return 0, 0, ctx.Err()
	}
	return submit, time.Since(t0), nil
}

// route is the baseline worker's handler: the claim becomes routed and an audit row is written, in
// one transaction.
func (b *baseline) route(ctx context.Context, t *asynq.Task) error {
	var p struct {
		ClaimID string `json:"claim_id"`
	}
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.ClaimID == "" {
		return fmt.Errorf("bad payload: %w", asynq.SkipRetry)
	}
	err := pgx.BeginFunc(ctx, b.workerDB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE claims SET status = 'routed', court_id = $2, routing_rule = 'respondent_location',
				routed_at = now(), updated_at = now() WHERE id = $1`, p.ClaimID, b.court); err != nil {
			return err
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		data := `{"court_id":"` + b.court + `","rule":"respondent_location"}`
		_, err := tx.Exec(ctx, `INSERT INTO loadtest_audit_rows (at, actor, event, claim_id, data)
			VALUES ($1, 'worker', 'claim.routed', $2, $3)`, at, p.ClaimID, data)
		return err
	})
	if err != nil {
		return err
	}
	if ch, ok := b.waiters.LoadAndDelete(p.ClaimID); ok {
		close(ch.(chan struct{}))
	}
	return nil
}

// close stops the worker and removes what the run put in the bucket and the queue.
func (b *baseline) close() {
	if b.server != nil {
		b.server.Shutdown()
	}
	if b.client != nil {
		b.client.Close()
	}
	if b.store != nil && b.prefix != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		if err := emptyBucket(ctx, b.store, b.prefix); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest: baseline objects not removed:", err)
		}
		cancel()
	}
	for _, p := range []*pgxpool.Pool{b.submitDB, b.workerDB} {
		if p != nil {
			p.Close()
		}
	}
}

// emptyBucket removes every version of every object under prefix, bypassing governance retention.
func emptyBucket(ctx context.Context, store *objectstore.Store, prefix string) error {
	objects := make(chan minio.ObjectInfo)
	var listErr error
	go func() {
		defer close(objects)
		for o := range store.Client.ListObjects(ctx, store.Bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true, WithVersions: true}) {
			if o.Err != nil {
				listErr = o.Err
				return
			}
			objects <- o
		}
	}()
	var errs []error
	for e := range store.Client.RemoveObjects(ctx, store.Bucket, objects, minio.RemoveObjectsOptions{GovernanceBypass: true}) {
		if len(errs) < 3 {
			errs = append(errs, fmt.Errorf("%s: %w", e.ObjectName, e.Err))
		}
	}
	return errors.Join(append(errs, listErr)...)
}
