package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"

	"talap/infra/seed"
	"talap/portal/ident"
	"talap/portal/storage"
)

// span is how far back the generated claims go.
const span = 2 * 365 * 24 * time.Hour

var almaty = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		return time.FixedZone("Asia/Almaty", 5*60*60)
	}
	return loc
}()

// courtWeight makes the cities' courts busier than the regions'; a court not named weighs 3.
var courtWeight = map[string]int{
	"smas-almaty":           20,
	"smas-astana":           15,
	"smas-shymkent":         7,
	"smas-almaty-region":    6,
	"smas-karaganda-region": 5,
	"smas-turkistan-region": 5,
	"smas-ulytau-region":    1,
	"smas-abai-region":      2,
	"smas-jetisu-region":    2,
}

var (
	categories = []string{"housing", "housing", "housing", "tax", "tax", "tax", "land", "land"}
	kinds      = []string{"challenge", "challenge", "challenge", "coercion", "action", "recognition"}
	subjects   = []string{
		"Оспаривание решения об отказе в предоставлении жилища",
		"Оспаривание уведомления о начислении налога",
		"Признание незаконным отказа в выдаче разрешения",
		"Оспаривание постановления об изъятии земельного участка",
		"Понуждение к совершению действия по регистрации",
		"Оспаривание решения о постановке на учёт",
		"Оспаривание акта налоговой проверки",
		"Признание незаконным бездействия акимата",
	}
	rules     = []string{"respondent_location", "respondent_location", "respondent_location", "residence", "property_location"}
	flagCodes = []string{"late", "pretrial_missing", "duty_unpaid", "duplicate", "deadline_unknown"}
)

// columns and responseColumns are the columns the generator fills; the rest keep their defaults.
var (
	responseColumns = []string{"id", "claim_id", "body_bin", "text", "submitted_by", "submitted_at", "late"}
	columns         = []string{"id", "number", "claimant_iin", "status", "category", "kind", "respondent_bin", "subject",
		"court_id", "routing_rule", "flags", "created_at", "updated_at", "submitted_at", "routed_at", "response_due",
		"case_number", "registered_at", "decided_at", "correction_due"}
)

// generator makes claims in order of creation, so that the table's physical order follows time the
// way a real one does.
type generator struct {
	rng      *rand.Rand
	n        int
	now      time.Time
	start    time.Time
	iins     []string // iins[0] is the heavy claimant
	officers []string // who answers for the respondents
	heavyGap int      // every heavyGap-th claim is the heavy claimant's, 0 for none
	backlog  int      // percent of claims older than 45 days still waiting in a court's queue
	courts   []string
	weights  []int // cumulative court weights
	bodies   []string
	flags    []string // JSON flag arrays other than "[]"

	numbered int             // claims given a number so far
	cases    map[caseKey]int // last case number per court and year
}

type caseKey struct {
	court string
	year  int
}

func newGenerator(o options, now time.Time) (*generator, error) {
	courts, err := seed.Courts()
	if err != nil {
		return nil, err
	}
	bodies, err := seed.Bodies()
	if err != nil {
		return nil, err
	}
	g := &generator{
		rng:     rand.New(rand.NewPCG(o.seed, 0x7a1a9)),
		n:       o.claims,
		now:     now,
		start:   now.Add(-span),
		cases:   map[caseKey]int{},
		backlog: o.backlog,
	}
	people := citizenIINs(o.citizens + 50)
	g.iins, g.officers = people[:o.citizens], people[o.citizens:]
	if o.heavy > 0 && o.claims > 0 && o.citizens > 1 {
		g.heavyGap = max(1, o.claims/o.heavy)
	}
	total := 0
	for _, c := range courts {
		w, ok := courtWeight[c.ID]
		if !ok {
			w = 3
		}
		total += w
		g.courts = append(g.courts, c.ID)
		g.weights = append(g.weights, total)
	}
	for _, b := range bodies {
		g.bodies = append(g.bodies, b.BIN)
	}
	if len(g.courts) == 0 || len(g.bodies) == 0 {
		return nil, fmt.Errorf("the seed has no courts or no public bodies")
	}
	for i, code := range flagCodes {
		one := []map[string]any{{"code": code, "message": map[string]string{"kk": code, "ru": code, "en": code}}}
		two := append(one, map[string]any{"code": flagCodes[(i+1)%len(flagCodes)], "message": map[string]string{"kk": "", "ru": "", "en": ""}})
		for _, f := range [][]map[string]any{one, two} {
			b, err := json.Marshal(f)
			if err != nil {
				return nil, err
			}
			g.flags = append(g.flags, string(b))
		}
	}
	return g, nil
}

// citizenIINs makes n distinct valid IINs of people born 1950-1974: the i-th has its own birth date,
// sex digit and serial, and numbers that admit no check digit are skipped.
func citizenIINs(n int) []string {
	const days = 9000
	out := make([]string, 0, n)
	for i := 0; len(out) < n; i++ {
		birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%days)
		sex := 3 + (i/days)%2 // 3 a man, 4 a woman, born in the 1900s
		serial := i / (2 * days)
		if serial >= 10_000 {
			panic("citizenIINs: too many citizens")
		}
		if iin, ok := ident.Complete(fmt.Sprintf("%s%d%04d", birth.Format("060102"), sex, serial)); ok {
			out = append(out, iin)
		}
	}
	return out
}

func (g *generator) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

func (g *generator) court() string {
	r := g.rng.IntN(g.weights[len(g.weights)-1])
	for i, w := range g.weights {
		if r < w {
			return g.courts[i]
		}
	}
	return g.courts[len(g.courts)-1]
}

// body prefers the first bodies in the list, the central and regional ones, as real claims do.
func (g *generator) body() string {
	u := g.rng.Float64()
	return g.bodies[int(u*u*float64(len(g.bodies)))]
}

func (g *generator) uuid() [16]byte {
	var u [16]byte
	a, b := g.rng.Uint64(), g.rng.Uint64()
	for i := 0; i < 8; i++ {
		u[i], u[8+i] = byte(a>>(8*i)), byte(b>>(8*i))
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

// status draws a claim's status from its age: recent claims are drafts or wait in a queue, old ones
// have mostly been decided, with a backlog (g.backlog percent of them) still routed.
func (g *generator) status(age time.Duration) string {
	type share struct {
		status string
		pct    int
	}
	var table []share
	switch {
	case age < 3*24*time.Hour:
		table = []share{{"draft", 35}, {"submitted", 5}, {"routed", 60}}
	case age < 45*24*time.Hour:
		table = []share{{"draft", 10}, {"routed", 55}, {"left_without_motion", 8}, {"registered", 15},
			{"returned", 7}, {"needs_correction", 2}, {"withdrawn", 2}, {"unroutable", 1}}
	default:
		table = []share{{"draft", 6}, {"routed", g.backlog}, {"left_without_motion", 1}, {"registered", 65 - g.backlog},
			{"returned", 20}, {"withdrawn", 5}, {"unroutable", 1}, {"needs_correction", 2}}
	}
	r := g.rng.IntN(100)
	for _, s := range table {
		if r < s.pct {
			return s.status
		}
		r -= s.pct
	}
	return table[0].status
}

func (g *generator) after(t time.Time, lo, hi time.Duration) time.Time {
	d := lo + time.Duration(g.rng.Int64N(int64(hi-lo)+1))
	t = t.Add(d)
	if t.After(g.now) {
		t = g.now
	}
	return t.Truncate(time.Microsecond)
}

// row makes the i-th claim in order of creation, and the respondent's response to it if it has one.
func (g *generator) row(i int) (claimRow, responseRow []any) {
	created := g.start.Add(time.Duration(float64(span) * float64(i) / float64(g.n)))
	created = g.after(created, 0, 2*time.Hour)
	iin := g.iins[0]
	if len(g.iins) > 1 && (g.heavyGap == 0 || i%g.heavyGap != g.heavyGap/2) {
		iin = g.iins[1+g.rng.IntN(len(g.iins)-1)]
	}
	st := g.status(g.now.Sub(created))
	var (
		number, court, caseNumber              any
		submitted, routed, registered, decided any
		responseDue, correctionDue             any
		rule                                   string
		flags                                  = "[]"
		id                                     = g.uuid()
		respondent                             = g.body()
		updated                                = created
	)
	if st != "draft" {
		sub := g.after(created, 10*time.Minute, 3*24*time.Hour)
		submitted, updated = sub, sub
		g.numbered++
		number = fmt.Sprintf("TLP-%d-%06d", sub.In(almaty).Year(), g.numbered)
		if g.rng.IntN(100) < 12 {
			flags = g.pick(g.flags)
		}
		routedStatus := st == "routed" || st == "left_without_motion" || st == "registered" || st == "returned" ||
			(st == "withdrawn" && g.rng.IntN(2) == 0)
		if routedStatus {
			c := g.court()
			r := g.after(sub, 5*time.Second, 10*time.Minute)
			court, routed, updated, rule = c, r, r, g.pick(rules)
			due := r.AddDate(0, 0, 14).Truncate(24 * time.Hour)
			responseDue = due
			// Half the queue and most decided claims have the respondent's answer.
			pct := 70
			switch st {
			case "routed":
				pct = 50
			case "withdrawn":
				pct = 20
			}
			if g.rng.IntN(100) < pct {
				if at := g.after(r, 24*time.Hour, 20*24*time.Hour); at.Before(g.now) {
					responseRow = []any{g.uuid(), id, respondent, "Отзыв ответчика: требования не признаём.",
						g.pick(g.officers), at, at.After(due.Add(24 * time.Hour))}
				}
			}
			switch st {
			case "registered", "returned", "left_without_motion":
				d := g.after(r, time.Hour, 20*24*time.Hour)
				decided, updated = d, d
				switch st {
				case "registered":
					registered = d
					k := caseKey{c, d.In(almaty).Year()}
					g.cases[k]++
					caseNumber = fmt.Sprintf("%s/%d/%05d", c, k.year, g.cases[k])
				case "left_without_motion":
					correctionDue = d.AddDate(0, 0, 10).Truncate(24 * time.Hour)
				}
			}
		}
	}
	return []any{id, number, iin, st, g.pick(categories), g.pick(kinds), respondent, g.pick(subjects),
		court, rule, flags, created, updated, submitted, routed, responseDue,
		caseNumber, registered, decided, correctionDue}, responseRow
}

// batch is a run of claims and the responses to them, copied together.
type batch struct{ claims, responses [][]any }

// load generates the claims and copies them in batches over several connections, then sets the
// claim-number sequence and the case counters past the generated numbers and analyses the table.
func load(ctx context.Context, db *storage.DB, o options) error {
	g, err := newGenerator(o, time.Now().Truncate(time.Microsecond))
	if err != nil {
		return err
	}
	log.Printf("loading %d claims of %d claimants (%d of them the heavy claimant's %s) with %d COPY connections",
		o.claims, o.citizens, heavyCount(g), g.iins[0], o.workers)
	batches := make(chan batch, o.workers)
	eg, ectx := errgroup.WithContext(ctx)
	start := time.Now()
	for w := 0; w < o.workers; w++ {
		eg.Go(func() error {
			for b := range batches {
				if _, err := db.Pool.CopyFrom(ectx, pgx.Identifier{"claims"}, columns, pgx.CopyFromRows(b.claims)); err != nil {
					return fmt.Errorf("copy claims: %w", err)
				}
				if _, err := db.Pool.CopyFrom(ectx, pgx.Identifier{"responses"}, responseColumns, pgx.CopyFromRows(b.responses)); err != nil {
					return fmt.Errorf("copy responses: %w", err)
				}
			}
			return nil
		})
	}
	responses := 0
	eg.Go(func() error {
		defer close(batches)
		for i := 0; i < o.claims; {
			n := min(o.batch, o.claims-i)
			b := batch{claims: make([][]any, n)}
			for j := range b.claims {
				var resp []any
				b.claims[j], resp = g.row(i + j)
				if resp != nil {
					b.responses = append(b.responses, resp)
					responses++
				}
			}
			i += n
			select {
			case batches <- b:
			case <-ectx.Done():
				return ectx.Err()
			}
			if i%200_000 < o.batch {
				log.Printf("  generated %d claims (%s)", i, time.Since(start).Round(time.Second))
			}
		}
		return nil
	})
	if err := eg.Wait(); err != nil {
		return err
	}
	log.Printf("copied %d claims and %d responses in %s; setting sequences and analysing", o.claims, responses, time.Since(start).Round(time.Millisecond))
	if g.numbered > 0 {
		if _, err := db.Pool.Exec(ctx, `SELECT setval('claim_number_seq', $1)`, g.numbered); err != nil {
			return fmt.Errorf("claim number sequence: %w", err)
		}
	}
	for k, last := range g.cases {
		_, err := db.Pool.Exec(ctx, `INSERT INTO case_counters (court_id, year, last) VALUES ($1, $2, $3)
			ON CONFLICT (court_id, year) DO UPDATE SET last = greatest(case_counters.last, excluded.last)`, k.court, k.year, last)
		if err != nil {
			return fmt.Errorf("case counters: %w", err)
		}
	}
	// VACUUM as well as ANALYZE: it sets hint bits and the visibility map once, as autovacuum
	// would have on a table that grew over two years, so the first measured reads do not pay for it.
	vstart := time.Now()
	if _, err := db.Pool.Exec(ctx, `VACUUM (ANALYZE) claims, responses`); err != nil {
		return fmt.Errorf("vacuum analyze: %w", err)
	}
	log.Printf("VACUUM (ANALYZE) claims, responses took %s", time.Since(vstart).Round(time.Millisecond))
	return nil
}

func heavyCount(g *generator) int {
	if g.heavyGap == 0 {
		return 0
	}
	n := 0
	for i := 0; i < g.n; i++ {
		if i%g.heavyGap == g.heavyGap/2 {
			n++
		}
	}
	return n
}
