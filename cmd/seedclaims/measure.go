package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"talap/cmd/internal/latency"
	"talap/infra/seed"
	"talap/portal/storage"
)

// Page sizes of the web layer, which asks for one more row to know whether a next page exists.
const (
	queuePage  = 50
	claimsPage = 20
)

// captureKey marks a context whose query's SQL and arguments the tracer should record.
type captureKey struct{}

type captured struct {
	sql  string
	args []any
}

// captureTracer records the statement the storage package sends, so that it is explained exactly
// as it is run.
type captureTracer struct{}

func (captureTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if c, ok := ctx.Value(captureKey{}).(*captured); ok {
		c.sql, c.args = d.SQL, slices.Clone(d.Args)
	}
	return ctx
}

func (captureTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// queueStart is a routed claim's place in its court's queue (exported fields for RowToStructByPos).
type queueStart struct {
	Court string
	At    time.Time
	ID    string
}

// target is a database under measurement and the positions sampled from it.
type target struct {
	name      string
	db        *storage.DB
	rng       *rand.Rand
	courts    []string
	starts    []queueStart // routed claims' places in their queues
	claimants []string
	heavy     string // the claimant with the most claims
	heavyN    int
	busiest   string // the court with the longest queue
	busiestN  int
	q, c      []time.Duration // timed calls of the queue and of "my claims"
	qFull     []time.Duration // of which calls that returned a full page, the same work at any size
	cFull     []time.Duration
	qDeep     int // calls after a cursor
	cDeep     int
}

func prepare(ctx context.Context, name string, db *storage.DB, o options, w io.Writer) (*target, error) {
	t := &target{name: name, db: db, rng: rand.New(rand.NewPCG(o.seed, 0x5eed))}
	var total, routed int64
	if err := db.Pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE status = 'routed') FROM claims`).Scan(&total, &routed); err != nil {
		return nil, err
	}
	if total == 0 {
		return nil, fmt.Errorf("%s: no claims to measure", name)
	}
	sc, err := seed.Courts()
	if err != nil {
		return nil, err
	}
	for _, c := range sc {
		t.courts = append(t.courts, c.ID)
	}
	rows, err := db.Pool.Query(ctx, `SELECT court_id, routed_at, id::text FROM claims WHERE status = 'routed'
		ORDER BY random() LIMIT $1`, o.queries)
	if err != nil {
		return nil, err
	}
	if t.starts, err = pgx.CollectRows(rows, pgx.RowToStructByPos[queueStart]); err != nil {
		return nil, fmt.Errorf("sample queue positions: %w", err)
	}
	rows, err = db.Pool.Query(ctx, `SELECT claimant_iin FROM claims ORDER BY random() LIMIT $1`, o.queries)
	if err != nil {
		return nil, err
	}
	if t.claimants, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return nil, fmt.Errorf("sample claimants: %w", err)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT claimant_iin, count(*) FROM claims GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`).Scan(&t.heavy, &t.heavyN); err != nil {
		return nil, err
	}
	if err := db.Pool.QueryRow(ctx, `SELECT court_id, count(*) FROM claims WHERE status = 'routed' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`).Scan(&t.busiest, &t.busiestN); err != nil {
		return nil, fmt.Errorf("busiest court: %w", err)
	}
	fmt.Fprintf(w, "%s: claims=%d routed=%d; busiest queue %s with %d; heavy claimant %s with %d claims\n",
		name, total, routed, t.busiest, t.busiestN, t.heavy, t.heavyN)
	return t, nil
}

// round times n calls of each query.
func (t *target) round(ctx context.Context, n int, keep bool) error {
	q, err := queueSamples(ctx, t.db, t.rng, t.courts, t.starts, n)
	if err != nil {
		return err
	}
	c, err := claimsSamples(ctx, t.db, t.rng, t.heavy, t.claimants, n)
	if err != nil {
		return err
	}
	if !keep {
		return nil
	}
	for _, x := range q {
		t.q = append(t.q, x.d)
		if x.full {
			t.qFull = append(t.qFull, x.d)
		}
		if x.deep {
			t.qDeep++
		}
	}
	for _, x := range c {
		t.c = append(t.c, x.d)
		if x.full {
			t.cFull = append(t.cFull, x.d)
		}
		if x.deep {
			t.cDeep++
		}
	}
	return nil
}

// roundSize is how many calls of each query a target gets before the next target's turn, so that
// when two databases are compared, a burst of load on the machine falls on both alike.
const roundSize = 100

// measure times the court queue and "my claims" through the storage package, each o.queries
// times, walking pages by their cursors as a user would, and prints the percentiles and plans.
// With a second database (compare), both are measured in alternating rounds and the ratios of
// the first's percentiles to the second's are printed.
func measure(ctx context.Context, db, compare *storage.DB, o options, w io.Writer) error {
	var targets []*target
	for _, x := range []struct {
		name string
		db   *storage.DB
	}{{"measured", db}, {"baseline", compare}} {
		if x.db == nil {
			continue
		}
		t, err := prepare(ctx, x.name, x.db, o, w)
		if err != nil {
			return err
		}
		targets = append(targets, t)
	}
	warm := min(200, max(20, o.queries/10))
	for _, t := range targets {
		if err := t.round(ctx, warm, false); err != nil {
			return err
		}
	}
	start := time.Now()
	for done, r := 0, 0; done < o.queries; r++ {
		n := min(roundSize, o.queries-done)
		for i := range targets {
			t := targets[(i+r)%len(targets)] // alternate who goes first
			if err := t.round(ctx, n, true); err != nil {
				return err
			}
		}
		done += n
	}
	fmt.Fprintf(w, "timed %d calls of each query per database after %d warm-up calls, in rounds of %d, in %s\n",
		o.queries, warm, roundSize, time.Since(start).Round(time.Millisecond))
	for _, t := range targets {
		fmt.Fprintf(w, "%s %s (%d after a cursor)\n", t.name, summary("queue", t.q), t.qDeep)
		fmt.Fprintf(w, "%s %s\n", t.name, summary("queue-full", t.qFull))
		fmt.Fprintf(w, "%s %s (%d after a cursor)\n", t.name, summary("my-claims", t.c), t.cDeep)
		fmt.Fprintf(w, "%s %s\n", t.name, summary("claims-full", t.cFull))
	}
	if len(targets) == 2 {
		a, b := targets[0], targets[1]
		for _, x := range []struct {
			name string
			a, b []time.Duration
		}{{"queue", a.q, b.q}, {"queue-full", a.qFull, b.qFull}, {"my-claims", a.c, b.c}, {"claims-full", a.cFull, b.cFull}} {
			if len(x.a) == 0 || len(x.b) == 0 {
				continue
			}
			fmt.Fprintf(w, "ratio %-12s", x.name)
			for _, p := range []float64{50, 95, 99} {
				fmt.Fprintf(w, " p%v=%.2fx", p, float64(latency.Percentile(x.a, p))/float64(latency.Percentile(x.b, p)))
			}
			fmt.Fprintln(w)
		}
	}
	for _, t := range targets {
		if err := t.explainAll(ctx, w); err != nil {
			return err
		}
	}
	return nil
}

// explainAll prints the plans of the statements exactly as storage sends them: the first page and
// a page from the middle of the busiest queue and of the heavy claimant's claims.
func (t *target) explainAll(ctx context.Context, w io.Writer) error {
	db := t.db
	var at time.Time
	var id string
	if err := db.Pool.QueryRow(ctx, `SELECT routed_at, id::text FROM claims WHERE court_id = $1 AND status = 'routed'
		ORDER BY routed_at, id OFFSET $2 LIMIT 1`, t.busiest, t.busiestN/2).Scan(&at, &id); err != nil {
		return fmt.Errorf("middle of the queue: %w", err)
	}
	mid := &storage.Cursor{At: at, ID: id}
	if err := db.Pool.QueryRow(ctx, `SELECT created_at, id::text FROM claims WHERE claimant_iin = $1
		ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`, t.heavy, t.heavyN/2).Scan(&at, &id); err != nil {
		return fmt.Errorf("middle of the heavy claimant's claims: %w", err)
	}
	midClaims := &storage.Cursor{At: at, ID: id}
	for _, p := range []struct {
		title   string
		generic bool
		call    func(context.Context) error
	}{
		{"court queue, first page (" + t.busiest + ")", false, func(ctx context.Context) error {
			_, err := db.CourtQueue(ctx, t.busiest, storage.QueueFilter{}, nil, queuePage+1)
			return err
		}},
		{"court queue, page after a cursor in the middle (" + t.busiest + ")", true, func(ctx context.Context) error {
			_, err := db.CourtQueue(ctx, t.busiest, storage.QueueFilter{}, mid, queuePage+1)
			return err
		}},
		{"my claims, first page (heavy claimant)", false, func(ctx context.Context) error {
			_, err := db.ClaimsOf(ctx, t.heavy, nil, claimsPage+1)
			return err
		}},
		{"my claims, page after a cursor in the middle (heavy claimant)", true, func(ctx context.Context) error {
			_, err := db.ClaimsOf(ctx, t.heavy, midClaims, claimsPage+1)
			return err
		}},
	} {
		var got captured
		if err := p.call(context.WithValue(ctx, captureKey{}, &got)); err != nil {
			return err
		}
		if err := explain(ctx, db, w, t.name+": "+p.title, got, p.generic); err != nil {
			return fmt.Errorf("explain %s: %w", p.title, err)
		}
	}
	return nil
}

// sample is one timed call: whether it followed a cursor and whether it returned a full page.
type sample struct {
	d          time.Duration
	deep, full bool
}

// queueSamples times n court-queue calls: walks of one to four pages from the first page of a
// random court or from a random routed claim's position (a deep page).
func queueSamples(ctx context.Context, db *storage.DB, rng *rand.Rand, courts []string, starts []queueStart, n int) ([]sample, error) {
	out := make([]sample, 0, n)
	for len(out) < n {
		court := courts[rng.IntN(len(courts))]
		var cur *storage.Cursor
		if len(starts) > 0 && rng.IntN(100) < 60 {
			s := starts[rng.IntN(len(starts))]
			court, cur = s.Court, &storage.Cursor{At: s.At, ID: s.ID}
		}
		for pages := 1 + rng.IntN(4); pages > 0 && len(out) < n; pages-- {
			t0 := time.Now()
			items, err := db.CourtQueue(ctx, court, storage.QueueFilter{}, cur, queuePage+1)
			out = append(out, sample{time.Since(t0), cur != nil, len(items) > queuePage})
			if err != nil {
				return nil, err
			}
			if len(items) <= queuePage {
				break
			}
			last := items[queuePage-1]
			cur = &storage.Cursor{At: *last.RoutedAt, ID: last.ID}
		}
	}
	return out, nil
}

// claimsSamples times n "my claims" calls: one in ten walks is the heavy claimant's, through up to
// ten pages; the others are a random claimant's first one or two pages.
func claimsSamples(ctx context.Context, db *storage.DB, rng *rand.Rand, heavy string, claimants []string, n int) ([]sample, error) {
	out := make([]sample, 0, n)
	for len(out) < n {
		iin, pages := heavy, 1+rng.IntN(10)
		if len(claimants) > 0 && rng.IntN(100) >= 10 {
			iin, pages = claimants[rng.IntN(len(claimants))], 1+rng.IntN(2)
		}
		var cur *storage.Cursor
		for ; pages > 0 && len(out) < n; pages-- {
			t0 := time.Now()
			items, err := db.ClaimsOf(ctx, iin, cur, claimsPage+1)
			out = append(out, sample{time.Since(t0), cur != nil, len(items) > claimsPage})
			if err != nil {
				return nil, err
			}
			if len(items) <= claimsPage {
				break
			}
			last := items[claimsPage-1]
			cur = &storage.Cursor{At: last.CreatedAt, ID: last.ID}
		}
	}
	return out, nil
}

var (
	spaces   = regexp.MustCompile(`\s+`)
	sortNode = regexp.MustCompile(`\bSort\s+\(`)
)

// explain prints EXPLAIN (ANALYZE, BUFFERS) of a captured statement with its arguments as literals,
// and with generic also the plan of the prepared statement when the planner may not look at the
// values (as it may once pgx has run a cached statement a few times).
func explain(ctx context.Context, db *storage.DB, w io.Writer, title string, c captured, generic bool) error {
	if c.sql == "" {
		return errors.New("no statement captured")
	}
	sql, err := inline(c.sql, c.args)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== EXPLAIN %s\n-- %s\n", title, spaces.ReplaceAllString(sql, " "))
	plan, err := planLines(ctx, db.Pool, `EXPLAIN (ANALYZE, BUFFERS) `+sql)
	if err != nil {
		return err
	}
	printPlan(w, plan)
	if !generic {
		return nil
	}
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	lits := make([]string, len(c.args))
	for i, a := range c.args {
		if lits[i], err = literal(a); err != nil {
			return err
		}
	}
	if _, err := conn.Exec(ctx, `PREPARE seedclaims_q AS `+c.sql); err != nil {
		return err
	}
	defer conn.Exec(context.Background(), `DEALLOCATE seedclaims_q`) //nolint:errcheck
	defer conn.Exec(context.Background(), `RESET plan_cache_mode`)   //nolint:errcheck
	if _, err := conn.Exec(ctx, `SET plan_cache_mode = force_generic_plan`); err != nil {
		return err
	}
	plan, err = planLines(ctx, conn, `EXPLAIN (ANALYZE, BUFFERS) EXECUTE seedclaims_q(`+strings.Join(lits, ", ")+`)`)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "-- generic plan (plan_cache_mode = force_generic_plan):\n")
	printPlan(w, plan)
	return nil
}

type queryer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func planLines(ctx context.Context, q queryer, sql string) ([]string, error) {
	// The simple protocol: EXPLAIN's text goes as it is, with no parameters to describe.
	rows, err := q.Query(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func printPlan(w io.Writer, plan []string) {
	for _, l := range plan {
		fmt.Fprintln(w, l)
	}
	for _, l := range plan {
		if sortNode.MatchString(l) || strings.Contains(l, "Seq Scan on claims") {
			fmt.Fprintf(w, "!! the plan sorts or scans the whole claims table: %s\n", strings.TrimSpace(l))
		}
	}
}
