package web

// Numbers pages: a court's dashboard for its clerks, and the public statistics anyone may read.
// Both are plain HTML with server-drawn SVG charts, so they work without JavaScript.

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/sync/singleflight"

	"talap/portal/calendar"
	"talap/portal/chart"
	"talap/portal/claim"
	"talap/portal/storage"
)

// countRow is a line of a counts table: Key marks the row for machines (tests, styles).
type countRow struct {
	Key, Label string
	Count      int
	Share      string // "42 %" (as the language writes it), or "" where a share means nothing
}

// duration is a time span for people (Text) and machines (ISO, an HTML duration string).
type duration struct{ Text, ISO string }

// dayRow is a day of the filings chart's table.
type dayRow struct {
	Date, ISO string
	Count     int
}

// dashboardStatuses are the rows of the dashboard's status table: the statuses of a claim with
// the court, always shown, then those a claim has again once resubmitted after correction, shown
// when some claim is in them.
var (
	dashboardStatuses = []claim.Status{claim.StatusRouted, claim.StatusLeftWithoutMotion, claim.StatusRegistered,
		claim.StatusReturned, claim.StatusWithdrawn}
	dashboardOtherStatuses = []claim.Status{claim.StatusSubmitted, claim.StatusValidating, claim.StatusNeedsCorrection,
		claim.StatusUnroutable, claim.StatusDraft}
)

var statsCategories = []string{"housing", "tax", "land"}

var ageKeys = [4]string{"dash.age.0_2", "dash.age.3_5", "dash.age.6_10", "dash.age.over_10"}

// dashboardPage shows a court's numbers to its clerks and to administrators; anyone else is told
// the page does not exist, as with a claim they may not see.
func (s *Server) dashboardPage(c *fiber.Ctx) error {
	p := principalOf(c)
	courtID := c.Params("court")
	if p == nil || p.TokenBody != "" || !(p.ClerkOf(courtID) || p.Admin) {
		return storage.ErrNotFound
	}
	ctx := c.UserContext()
	l := langOf(c)
	courts, err := s.DB.Courts(ctx)
	if err != nil {
		return err
	}
	name := ""
	for _, ct := range courts {
		if ct.ID == courtID {
			name = ct.Name.In(l)
		}
	}
	if name == "" {
		return storage.ErrNotFound
	}
	st, err := s.DB.CourtStats(ctx, courtID)
	if err != nil {
		return err
	}

	var byStatus []countRow
	for _, code := range append(slices.Clone(dashboardStatuses), dashboardOtherStatuses...) {
		if n := st.ByStatus[string(code)]; n > 0 || slices.Contains(dashboardStatuses, code) {
			byStatus = append(byStatus, countRow{Key: "status-" + string(code), Label: s.tr.T(l, "track.status."+string(code)), Count: n})
		}
	}
	byCategory := s.categoryRows(l, st.ByCategory, 0)
	waiting := 0
	byAge := make([]countRow, len(ageKeys))
	for i, key := range ageKeys {
		byAge[i] = countRow{Key: "age-" + strings.TrimPrefix(key, "dash.age."), Label: s.tr.T(l, key), Count: st.Waiting[i]}
		waiting += st.Waiting[i]
	}

	labels := make([]string, len(st.Daily))
	values := make([]int, len(st.Daily))
	days := make([]dayRow, len(st.Daily))
	total, busiest := 0, 0
	for i, d := range st.Daily {
		labels[i] = d.Day.Format("02.01")
		values[i] = d.Count
		days[i] = dayRow{Date: s.fmtDate(l, d.Day), ISO: d.Day.Format(time.DateOnly), Count: d.Count}
		total += d.Count
		if d.Count > st.Daily[busiest].Count {
			busiest = i
		}
	}
	desc := ""
	if len(st.Daily) > 0 {
		from, to := s.fmtDate(l, st.Daily[0].Day), s.fmtDate(l, st.Daily[len(st.Daily)-1].Day)
		desc = s.tr.T(l, "dash.daily.desc_none", "From", from, "To", to)
		if total > 0 {
			desc = s.tr.T(l, "dash.daily.desc", "From", from, "To", to, "Total", total,
				"Max", st.Daily[busiest].Count, "MaxDay", s.fmtDate(l, st.Daily[busiest].Day))
		}
	}
	svg := chart.Bars(s.tr.T(l, "dash.daily.heading", "Days", storage.StatsDays), labels, values, chart.ID("daily-"+courtID),
		chart.Desc(desc), chart.Axes(s.tr.T(l, "dash.daily.axis_day"), s.tr.T(l, "dash.daily.axis_claims")))

	data := fiber.Map{
		"CourtID": courtID, "CourtName": name, "AsOf": s.fmtDateTime(l, time.Now()),
		"Total": st.Total(), "Waiting": waiting, "Registered": st.Registered,
		"ByStatus": byStatus, "ByCategory": byCategory, "ByAge": byAge,
		"Chart": svg, "ChartDesc": desc, "Days": storage.StatsDays, "Daily": days, "DailyTotal": total,
	}
	if st.Registered > 0 {
		data["Median"] = s.humanDuration(l, st.Median)
		data["P90"] = s.humanDuration(l, st.P90)
	}
	return s.render(c, "dashboard", data)
}

// categoryRows lists the categories in a fixed order, with claims without one last when there are
// any. A positive total adds each row's share.
func (s *Server) categoryRows(l string, counts map[string]int, total int) []countRow {
	rows := make([]countRow, 0, len(statsCategories)+1)
	for _, cat := range statsCategories {
		rows = append(rows, countRow{Key: "category-" + cat, Label: s.tr.T(l, "category."+cat), Count: counts[cat]})
	}
	if n := counts[""]; n > 0 {
		rows = append(rows, countRow{Key: "category-none", Label: s.tr.T(l, "stats.category.none"), Count: n})
	}
	return s.withShares(l, rows, total)
}

// withShares writes each row's share of total, in whole percent.
func (s *Server) withShares(l string, rows []countRow, total int) []countRow {
	if total <= 0 {
		return rows
	}
	for i := range rows {
		rows[i].Share = s.tr.T(l, "stats.percent", "P", int(math.Round(float64(rows[i].Count)*100/float64(total))))
	}
	return rows
}

// humanDuration writes a span the way a person says it: minutes under an hour, hours and minutes
// under a day, days and hours beyond.
func (s *Server) humanDuration(l string, d time.Duration) duration {
	d = max(d, 0)
	iso := fmt.Sprintf("PT%dS", int64(d.Round(time.Second)/time.Second))
	switch {
	case d < time.Minute:
		return duration{Text: s.tr.T(l, "dash.duration.under_minute"), ISO: iso}
	case d < time.Hour:
		return duration{Text: s.tr.T(l, "dash.duration.minutes", "M", int(d.Round(time.Minute)/time.Minute)), ISO: iso}
	case d < 24*time.Hour:
		m := int(d.Round(time.Minute) / time.Minute)
		if m%60 == 0 {
			return duration{Text: s.tr.T(l, "dash.duration.hours", "H", m/60), ISO: iso}
		}
		return duration{Text: s.tr.T(l, "dash.duration.hours_minutes", "H", m/60, "M", m%60), ISO: iso}
	}
	h := int(d.Round(time.Hour) / time.Hour)
	if h%24 == 0 {
		return duration{Text: s.tr.T(l, "dash.duration.days", "D", h/24), ISO: iso}
	}
	return duration{Text: s.tr.T(l, "dash.duration.days_hours", "D", h/24, "H", h%24), ISO: iso}
}

// publicStatsFlight lets the requests for the public page that arrive while its counts are being
// queried share that query: the page is open to anyone and the counts go over every filed claim,
// so however many visitors come at once, the database runs one such query at a time. Nothing is
// kept afterwards, so every page shows counts taken after its request arrived or while it waited.
var publicStatsFlight singleflight.Group

type publicSnapshot struct {
	stats storage.PublicStats
	at    time.Time
}

func (s *Server) publicStats(ctx context.Context) (storage.PublicStats, time.Time, error) {
	ch := publicStatsFlight.DoChan(fmt.Sprintf("%p", s.DB), func() (any, error) {
		// The query serves every waiter, so the first one leaving must not cancel it.
		qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		st, err := s.DB.PublicStats(qctx)
		return publicSnapshot{stats: st, at: time.Now()}, err
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return storage.PublicStats{}, time.Time{}, r.Err
		}
		snap := r.Val.(publicSnapshot)
		return snap.stats, snap.at, nil
	case <-ctx.Done():
		return storage.PublicStats{}, time.Time{}, ctx.Err()
	}
}

// statsPage is the public statistics: filed claims by outcome, category and court. It shows
// counts only, never a claim, a person or a subject, and needs no sign-in.
func (s *Server) statsPage(c *fiber.Ctx) error {
	l := langOf(c)
	st, at, err := s.publicStats(c.UserContext())
	if err != nil {
		return err
	}
	outcomes := []string{storage.OutcomeRegistered, storage.OutcomeReturned, storage.OutcomeWithdrawn, storage.OutcomePending}
	byOutcome := make([]countRow, len(outcomes))
	for i, o := range outcomes {
		byOutcome[i] = countRow{Key: "outcome-" + o, Label: s.tr.T(l, "stats.outcome."+o), Count: st.ByOutcome[o]}
	}
	byOutcome = s.withShares(l, byOutcome, st.Filed)
	byCategory := s.categoryRows(l, st.ByCategory, st.Filed)
	byCourt := make([]countRow, 0, len(st.ByCourt)+1)
	courtLabels := make([]string, 0, len(st.ByCourt))
	courtValues := make([]int, 0, len(st.ByCourt))
	for _, ct := range st.ByCourt {
		byCourt = append(byCourt, countRow{Key: "court-" + ct.ID, Label: ct.Name.In(l), Count: ct.Count})
		label := ct.City.In(l)
		if label == "" {
			label = ct.Name.In(l)
		}
		courtLabels = append(courtLabels, label)
		courtValues = append(courtValues, ct.Count)
	}
	if st.Unassigned > 0 {
		byCourt = append(byCourt, countRow{Key: "court-none", Label: s.tr.T(l, "stats.court.none"), Count: st.Unassigned})
	}

	axis := s.tr.T(l, "stats.axis_claims")
	bars := func(id, titleKey string, rows []countRow) template.HTML {
		labels := make([]string, len(rows))
		values := make([]int, len(rows))
		for i, r := range rows {
			labels[i], values[i] = r.Label, r.Count
		}
		return chart.Bars(s.tr.T(l, titleKey), labels, values, chart.ID(id), chart.Horizontal(), chart.Axes(axis, ""))
	}
	return s.render(c, "stats", fiber.Map{
		"AsOf": s.fmtDateTime(l, at.In(calendar.Almaty())), "Filed": st.Filed,
		"ByOutcome": byOutcome, "ByCategory": byCategory, "ByCourt": byCourt,
		"OutcomeChart":  bars("stats-outcome", "stats.by_outcome", byOutcome),
		"CategoryChart": bars("stats-category", "stats.by_category", byCategory),
		"CourtChart": chart.Bars(s.tr.T(l, "stats.by_court"), courtLabels, courtValues, chart.ID("stats-court"),
			chart.Horizontal(), chart.Axes(axis, "")),
	})
}
