package storage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"talap/portal/claim"
	"talap/portal/lang"
)

// StatsDays is how many days of filings CourtStats gives, today (Almaty) included.
const StatsDays = 90

// Outcomes of a filed claim as the public statistics count them: everything not yet registered,
// returned or withdrawn is pending.
const (
	OutcomeRegistered = "registered"
	OutcomeReturned   = "returned"
	OutcomeWithdrawn  = "withdrawn"
	OutcomePending    = "pending"
)

// DayCount is a number of claims on one day; Day is the Almaty date at midnight UTC.
type DayCount struct {
	Day   time.Time
	Count int
}

// CourtStats is what a court's dashboard shows: counts over the claims now with the court.
type CourtStats struct {
	ByStatus   map[string]int
	ByCategory map[string]int // "" for a claim without a category
	// Waiting counts the claims routed to the court and waiting for its decision by Almaty
	// calendar days since routing: 0–2, 3–5, 6–10 and more than 10.
	Waiting [4]int
	// Registered is how many registered claims Median and P90 (submission to registration) are
	// over; both are zero when it is.
	Registered  int
	Median, P90 time.Duration
	// Daily is the claims filed with the court per day over the last StatsDays days, oldest first,
	// days without filings included.
	Daily []DayCount
}

// Total is the number of claims with the court.
func (s CourtStats) Total() int {
	n := 0
	for _, v := range s.ByStatus {
		n += v
	}
	return n
}

// CourtStats counts a court's claims for its dashboard in three aggregate queries sent in one
// round trip.
func (db *DB) CourtStats(ctx context.Context, courtID string) (CourtStats, error) {
	st := CourtStats{ByStatus: map[string]int{}, ByCategory: map[string]int{}}
	b := &pgx.Batch{}
	// One pass over the court's claims for both breakdowns.
	b.Queue(`SELECT GROUPING(status), coalesce(status, ''), coalesce(category, ''), count(*)
		FROM claims WHERE court_id = $1 GROUP BY GROUPING SETS ((status), (category))`, courtID).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var byCategory int
				var status, category string
				var n int
				if err := rows.Scan(&byCategory, &status, &category, &n); err != nil {
					return err
				}
				if byCategory == 1 {
					st.ByCategory[category] = n
				} else {
					st.ByStatus[status] = n
				}
			}
			return rows.Err()
		})
	// Ages of the waiting claims, and submission to registration of the registered ones. The
	// percentiles skip the NULLs of the claims that are not registered.
	b.Queue(`SELECT
			count(*) FILTER (WHERE age <= 2),
			count(*) FILTER (WHERE age BETWEEN 3 AND 5),
			count(*) FILTER (WHERE age BETWEEN 6 AND 10),
			count(*) FILTER (WHERE age > 10),
			count(took),
			coalesce(extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY took)), 0)::float8,
			coalesce(extract(epoch FROM percentile_cont(0.9) WITHIN GROUP (ORDER BY took)), 0)::float8
		FROM (SELECT
				CASE WHEN status = `+sqlStatus(claim.StatusRouted)+` THEN (now() AT TIME ZONE 'Asia/Almaty')::date - (routed_at AT TIME ZONE 'Asia/Almaty')::date END AS age,
				CASE WHEN status = `+sqlStatus(claim.StatusRegistered)+` THEN registered_at - submitted_at END AS took
			FROM claims
			WHERE court_id = $1 AND (status = `+sqlStatus(claim.StatusRouted)+` OR (status = `+sqlStatus(claim.StatusRegistered)+` AND registered_at IS NOT NULL AND submitted_at IS NOT NULL))) c`,
		courtID).QueryRow(func(row pgx.Row) error {
		var median, p90 float64
		err := row.Scan(&st.Waiting[0], &st.Waiting[1], &st.Waiting[2], &st.Waiting[3], &st.Registered, &median, &p90)
		st.Median = time.Duration(median * float64(time.Second))
		st.P90 = time.Duration(p90 * float64(time.Second))
		return err
	})
	// Filings per Almaty day: aggregate the window first, then lay it on the calendar so that days
	// without filings show as 0.
	b.Queue(`WITH today AS (SELECT (now() AT TIME ZONE 'Asia/Almaty')::date AS d),
		filed AS (
			SELECT (c.submitted_at AT TIME ZONE 'Asia/Almaty')::date AS day, count(*) AS n
			FROM claims c, today
			WHERE c.court_id = $1 AND c.submitted_at >= ((today.d - ($2::int - 1))::timestamp AT TIME ZONE 'Asia/Almaty')
			GROUP BY 1)
		SELECT g.day::date, coalesce(filed.n, 0)::int
		FROM today, generate_series(today.d - ($2::int - 1), today.d, interval '1 day') AS g(day)
		LEFT JOIN filed ON filed.day = g.day::date
		ORDER BY 1`, courtID, StatsDays).Query(func(rows pgx.Rows) error {
		days, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DayCount, error) {
			var d DayCount
			err := r.Scan(&d.Day, &d.Count)
			return d, err
		})
		st.Daily = days
		return err
	})
	if err := db.Pool.SendBatch(ctx, b).Close(); err != nil {
		return CourtStats{}, fmt.Errorf("court stats: %w", err)
	}
	return st, nil
}

// CourtCount is the number of claims filed with one court.
type CourtCount struct {
	ID         string
	Name, City lang.Text
	Count      int
}

// PublicStats is what anyone may see: counts of filed claims, never a claim or a person.
type PublicStats struct {
	Filed      int
	ByCategory map[string]int // "" for a claim without a category
	// ByCourt lists every active court (and any other that has claims), most claims first.
	ByCourt []CourtCount
	// Unassigned counts filed claims no court has yet: being checked, or with no court covering them.
	Unassigned int
	ByOutcome  map[string]int // keyed by the Outcome constants, each present
}

// PublicStats counts the filed (no longer draft) claims by category, court and outcome in one pass.
func (db *DB) PublicStats(ctx context.Context) (PublicStats, error) {
	st := PublicStats{ByCategory: map[string]int{}, ByOutcome: map[string]int{
		OutcomeRegistered: 0, OutcomeReturned: 0, OutcomeWithdrawn: 0, OutcomePending: 0}}
	counts := map[string]int{}
	b := &pgx.Batch{}
	// GROUPING(category, court_id, outcome) is a bit mask with a 1 for each column aggregated over:
	// 3 (0b011) is a category row, 5 (0b101) a court row, 6 (0b110) an outcome row, 7 the total.
	b.Queue(`SELECT GROUPING(category, court_id, outcome), coalesce(category, ''), coalesce(court_id, ''), coalesce(outcome, ''), count(*)
		FROM (SELECT category, court_id,
				CASE WHEN status IN (` + sqlStatus(claim.StatusRegistered) + `, ` + sqlStatus(claim.StatusReturned) + `, ` + sqlStatus(claim.StatusWithdrawn) + `) THEN status ELSE 'pending' END AS outcome
			FROM claims WHERE status <> ` + sqlStatus(claim.StatusDraft) + `) c
		GROUP BY GROUPING SETS ((category), (court_id), (outcome), ())`).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var set, n int
			var category, courtID, outcome string
			if err := rows.Scan(&set, &category, &courtID, &outcome, &n); err != nil {
				return err
			}
			switch set {
			case 3:
				st.ByCategory[category] = n
			case 5:
				if courtID == "" {
					st.Unassigned = n
				} else {
					counts[courtID] = n
				}
			case 6:
				st.ByOutcome[outcome] = n
			case 7:
				st.Filed = n
			}
		}
		return rows.Err()
	})
	b.Queue(`SELECT id, name_kk, name_ru, name_en, city_kk, city_ru, city_en, active FROM courts ORDER BY id`).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var cc CourtCount
			var active bool
			if err := rows.Scan(&cc.ID, &cc.Name.KK, &cc.Name.RU, &cc.Name.EN, &cc.City.KK, &cc.City.RU, &cc.City.EN, &active); err != nil {
				return err
			}
			cc.Count = counts[cc.ID]
			if active || cc.Count > 0 {
				st.ByCourt = append(st.ByCourt, cc)
			}
		}
		return rows.Err()
	})
	if err := db.Pool.SendBatch(ctx, b).Close(); err != nil {
		return PublicStats{}, fmt.Errorf("public stats: %w", err)
	}
	slices.SortStableFunc(st.ByCourt, func(a, b CourtCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.ID, b.ID))
	})
	return st, nil
}
