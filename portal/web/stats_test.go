package web_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"talap/infra/seed"
	"talap/portal/storage"
	"talap/portal/testenv"
)

const (
	statsClaimantIIN = "850412300016"
	statsRespondent  = "090240116035"
	statsOtherCourt  = "smas-astana"
)

// statsClaim is a claim put straight into the database: days ago for each step, -1 for never.
type statsClaim struct {
	status, category string
	court            string // "" for none yet; "test" for the test's own court
	submitted        int
	routed           int
	registerAfter    time.Duration // registered this long after submission; 0 for not registered
}

// statsFixture is a court of the test's own, so that its numbers are known exactly whatever other
// tests file, with the Ulytau clerk made its clerk too; everything is removed afterwards.
type statsFixture struct {
	court    string
	clerk    seed.Persona
	ids      []string
	numbers  []string
	subjects []string
}

func statsPersona(t *testing.T, kind, court string, skip int) seed.Persona {
	t.Helper()
	ps, err := seed.Personas()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Kind == kind && (court == "" || p.CourtID == court) {
			if skip == 0 {
				return p
			}
			skip--
		}
	}
	t.Fatalf("no %s persona for %q", kind, court)
	return seed.Persona{}
}

func newStatsFixture(t *testing.T) *statsFixture {
	t.Helper()
	env := testenv.Get(t)
	ctx := context.Background()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	f := &statsFixture{court: "test-stats-" + hex.EncodeToString(b), clerk: statsPersona(t, "clerk", "smas-ulytau-region", 0)}
	_, err := env.DB.Pool.Exec(ctx, `INSERT INTO courts (id, name_kk, name_ru, name_en, city_kk, city_ru, city_en)
		VALUES ($1, 'Сынақ соты '||$1, 'Тестовый суд '||$1, 'Test court '||$1, 'Сынақ', 'Тест', 'Testville')`, f.court)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.Pool.Exec(ctx, `INSERT INTO memberships (iin, role, court_id, granted_by) VALUES ($1, 'clerk', $2, 'test')`,
		f.clerk.IIN, f.court); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		for _, q := range []struct {
			sql string
			arg any
		}{
			{`DELETE FROM claims WHERE id::text = ANY($1::text[])`, f.ids},
			{`DELETE FROM memberships WHERE court_id = $1`, f.court},
			{`DELETE FROM courts WHERE id = $1`, f.court},
		} {
			if _, err := env.DB.Pool.Exec(ctx, q.sql, q.arg); err != nil {
				t.Errorf("clean up: %v", err)
			}
		}
	})
	return f
}

func (f *statsFixture) add(t *testing.T, claims ...statsClaim) {
	t.Helper()
	env := testenv.Get(t)
	for _, c := range claims {
		court := c.court
		if court == "test" {
			court = f.court
		}
		n := len(f.ids)
		subject := fmt.Sprintf("Stats subject %s number %d", f.court, n)
		number := fmt.Sprintf("TLP-STATS-%s-%d", f.court[len(f.court)-8:], n)
		var id string
		err := env.DB.Pool.QueryRow(context.Background(), `INSERT INTO claims (claimant_iin, status, category, kind,
				respondent_bin, subject, court_id, number, submitted_at, routed_at, registered_at, decided_at)
			SELECT $1, $2, $3, 'challenge', $4, $5, nullif($6, ''), CASE WHEN $2 <> 'draft' THEN $7 END,
				sub, CASE WHEN $9::int >= 0 THEN now() - make_interval(days => $9::int) END,
				CASE WHEN $10::float8 > 0 THEN sub + make_interval(secs => $10::float8) END,
				CASE WHEN $2 IN ('registered', 'returned', 'left_without_motion') THEN now() END
			FROM (SELECT CASE WHEN $8::int >= 0 THEN now() - make_interval(days => $8::int) END AS sub) s
			RETURNING id::text`,
			statsClaimantIIN, c.status, c.category, statsRespondent, subject, court, number,
			c.submitted, c.routed, c.registerAfter.Seconds()).Scan(&id)
		if err != nil {
			t.Fatalf("seed %+v: %v", c, err)
		}
		f.ids = append(f.ids, id)
		f.numbers = append(f.numbers, number)
		f.subjects = append(f.subjects, subject)
	}
}

// statsSeed is the test court's claims: four waiting (one in each age band), three registered
// after 2, 26 and 50 hours, one returned, one left without motion and one withdrawn long ago;
// ten in all, nine of them filed in the last 90 days, two of those yesterday.
var statsSeed = []statsClaim{
	{status: "routed", category: "tax", court: "test", submitted: 1, routed: 1},
	{status: "routed", category: "tax", court: "test", submitted: 4, routed: 4},
	{status: "routed", category: "housing", court: "test", submitted: 8, routed: 8},
	{status: "routed", category: "land", court: "test", submitted: 20, routed: 20},
	{status: "registered", category: "tax", court: "test", submitted: 10, routed: 10, registerAfter: 2 * time.Hour},
	{status: "registered", category: "housing", court: "test", submitted: 5, routed: 5, registerAfter: 26 * time.Hour},
	{status: "registered", category: "land", court: "test", submitted: 3, routed: 3, registerAfter: 50 * time.Hour},
	{status: "returned", category: "housing", court: "test", submitted: 1, routed: 1},
	{status: "left_without_motion", category: "tax", court: "test", submitted: 6, routed: 6},
	{status: "withdrawn", category: "land", court: "test", submitted: 100, routed: 99},
}

// statsElsewhere are claims that are not the test court's: another court's, one without a court
// yet, and a draft.
var statsElsewhere = []statsClaim{
	{status: "routed", category: "housing", court: statsOtherCourt, submitted: 1, routed: 1},
	{status: "validating", category: "land", submitted: 0, routed: -1},
	{status: "draft", category: "tax", submitted: -1, routed: -1},
}

func statsGet(t *testing.T, c *http.Client, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// rowCount reads the number in the counts-table row or figure marked data-key="key".
func rowCount(t *testing.T, body, key string) int {
	t.Helper()
	re := regexp.MustCompile(`data-key="` + regexp.QuoteMeta(key) + `">(?:<th scope="row">[^<]*</th><td class="num">)?(\d+)<`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no row %s", key)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestCourtStatsCountsTheCourtsClaims(t *testing.T) {
	env := testenv.Get(t)
	f := newStatsFixture(t)
	f.add(t, statsSeed...)
	f.add(t, statsElsewhere...)
	st, err := env.DB.CourtStats(context.Background(), f.court)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus := map[string]int{"routed": 4, "registered": 3, "returned": 1, "left_without_motion": 1, "withdrawn": 1}
	if fmt.Sprint(st.ByStatus) != fmt.Sprint(wantStatus) || st.Total() != 10 {
		t.Errorf("by status = %v (total %d), want %v", st.ByStatus, st.Total(), wantStatus)
	}
	wantCategory := map[string]int{"tax": 4, "housing": 3, "land": 3}
	if fmt.Sprint(st.ByCategory) != fmt.Sprint(wantCategory) {
		t.Errorf("by category = %v, want %v", st.ByCategory, wantCategory)
	}
	if st.Waiting != [4]int{1, 1, 1, 1} {
		t.Errorf("waiting by age = %v, want one in each band", st.Waiting)
	}
	// percentile_cont over 2 h, 26 h, 50 h: the median is 26 h, p90 is 26 + 0.8 × 24 = 45.2 h.
	if st.Registered != 3 || st.Median != 26*time.Hour || st.P90 != 45*time.Hour+12*time.Minute {
		t.Errorf("registered %d, median %v, p90 %v; want 3, 26h, 45h12m", st.Registered, st.Median, st.P90)
	}
	if len(st.Daily) != storage.StatsDays {
		t.Fatalf("daily has %d days, want %d", len(st.Daily), storage.StatsDays)
	}
	almaty, _ := time.LoadLocation("Asia/Almaty")
	today := time.Now().In(almaty).Format(time.DateOnly)
	if got := st.Daily[len(st.Daily)-1].Day.Format(time.DateOnly); got != today {
		t.Errorf("last day %s, want today in Almaty %s", got, today)
	}
	sum := 0
	for i, d := range st.Daily {
		sum += d.Count
		if i > 0 && d.Day.Sub(st.Daily[i-1].Day) != 24*time.Hour {
			t.Errorf("days %s and %s are not consecutive", st.Daily[i-1].Day, d.Day)
		}
	}
	if sum != 9 || st.Daily[len(st.Daily)-2].Count != 2 || st.Daily[len(st.Daily)-1].Count != 0 {
		t.Errorf("daily: %d filings in the window (want 9), %d yesterday (want 2), %d today (want 0)",
			sum, st.Daily[len(st.Daily)-2].Count, st.Daily[len(st.Daily)-1].Count)
	}

	empty, err := env.DB.CourtStats(context.Background(), "no-such-court")
	if err != nil || empty.Total() != 0 || empty.Registered != 0 || len(empty.Daily) != storage.StatsDays {
		t.Errorf("a court without claims: %+v, %v", empty, err)
	}
}

func TestCourtDashboardShowsTheCountsToItsClerksAndAdmins(t *testing.T) {
	p := withSimulator(t)
	f := newStatsFixture(t)
	f.add(t, statsSeed...)
	f.add(t, statsElsewhere...)
	path := p.URL + "/courts/" + f.court + "/dashboard"

	clerk := signIn(t, p, f.clerk.IIN)
	code, body, _ := statsGet(t, clerk, path+"?lang=en")
	if code != http.StatusOK {
		t.Fatalf("clerk of the court: %d", code)
	}
	want := map[string]int{
		"total": 10, "waiting": 4,
		"status-routed": 4, "status-registered": 3, "status-returned": 1, "status-left_without_motion": 1, "status-withdrawn": 1,
		"category-tax": 4, "category-housing": 3, "category-land": 3,
		"age-0_2": 1, "age-3_5": 1, "age-6_10": 1, "age-over_10": 1,
	}
	for key, n := range want {
		if got := rowCount(t, body, key); got != n {
			t.Errorf("%s = %d, want %d", key, got, n)
		}
	}
	for _, w := range []string{
		`<time datetime="PT93600S">1 d 2 h</time>`, `<time datetime="PT162720S">1 d 21 h</time>`, // median 26 h, p90 45.2 h
		"Test court " + f.court, `href="/courts/` + f.court + `/queue"`,
		`<svg`, `role="img"`, `Claims filed per day, last 90 days</title>`,
		`Claims filed from`, `: 9; the busiest day was`, `<table class="visually-hidden">`,
	} {
		if !strings.Contains(body, w) {
			t.Errorf("dashboard lacks %s", w)
		}
	}
	if strings.Contains(body, `data-key="status-submitted"`) {
		t.Error("a status no claim of the court is in has a row")
	}
	if n := strings.Count(body, "<rect"); n != storage.StatsDays {
		t.Errorf("chart has %d bars, want %d", n, storage.StatsDays)
	}
	if strings.Contains(body, "<script") {
		t.Error("the dashboard needs a script")
	}

	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	code, _, h := statsGet(t, noRedirect, path)
	if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/auth/login") {
		t.Errorf("anonymous: %d to %q, want 303 to sign-in", code, h.Get("Location"))
	}
	tests := []struct {
		name string
		iin  string
		path string
		want int
	}{
		{"admin", statsPersona(t, "admin", "", 0).IIN, path, http.StatusOK},
		{"clerk of another court", statsPersona(t, "clerk", statsOtherCourt, 0).IIN, path, http.StatusNotFound},
		{"citizen", statsPersona(t, "citizen", "", 1).IIN, path, http.StatusNotFound},
		{"claimant of the court's claims", statsClaimantIIN, path, http.StatusNotFound},
		{"clerk of the court, at another court's dashboard", f.clerk.IIN, p.URL + "/courts/" + statsOtherCourt + "/dashboard", http.StatusNotFound},
		{"admin, at a court that does not exist", statsPersona(t, "admin", "", 0).IIN, p.URL + "/courts/no-such-court/dashboard", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := statsGet(t, signIn(t, p, tt.iin), tt.path+"?lang=en")
			if code != tt.want {
				t.Fatalf("%d, want %d", code, tt.want)
			}
			if tt.want == http.StatusOK && rowCount(t, body, "total") != 10 {
				t.Errorf("admin sees total %d", rowCount(t, body, "total"))
			}
			if tt.want == http.StatusNotFound && (strings.Contains(body, "<svg") || strings.Contains(body, `data-key="total"`)) {
				t.Error("the 404 page shows the dashboard")
			}
		})
	}

	for _, l := range []struct{ lang, title, median string }{
		{"kk", "Жиынтық", "1 күн 2 сағ"}, {"ru", "Сводка", "1 дн. 2 ч"}, {"en", "Dashboard", "1 d 2 h"},
	} {
		t.Run("in "+l.lang, func(t *testing.T) {
			code, body, _ := statsGet(t, clerk, path+"?lang="+l.lang)
			if code != http.StatusOK || !strings.Contains(body, `<html lang="`+l.lang+`">`) {
				t.Fatalf("%d, not in %s", code, l.lang)
			}
			for _, w := range []string{l.title, l.median} {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			statsNoKeys(t, body)
		})
	}
}

func TestDashboardDurationsReadAsPeopleSayThem(t *testing.T) {
	p := withSimulator(t)
	clerk := signIn(t, p, statsPersona(t, "clerk", "smas-ulytau-region", 0).IIN)
	tests := []struct {
		took time.Duration
		want string
	}{
		{20 * time.Second, `<time datetime="PT20S">under a minute</time>`},
		{30 * time.Minute, `<time datetime="PT1800S">30 min</time>`},
		{3 * time.Hour, `<time datetime="PT10800S">3 h</time>`},
		{3*time.Hour + 20*time.Minute, `<time datetime="PT12000S">3 h 20 min</time>`},
		{48 * time.Hour, `<time datetime="PT172800S">2 d</time>`},
		{50*time.Hour + 10*time.Minute, `<time datetime="PT180600S">2 d 2 h</time>`},
	}
	for _, tt := range tests {
		t.Run(tt.took.String(), func(t *testing.T) {
			f := newStatsFixture(t)
			f.add(t, statsClaim{status: "registered", category: "tax", court: "test", submitted: 3, routed: 3, registerAfter: tt.took})
			code, body, _ := statsGet(t, clerk, p.URL+"/courts/"+f.court+"/dashboard?lang=en")
			if code != http.StatusOK {
				t.Fatalf("%d", code)
			}
			// One registered claim: the median and the 90th percentile are its time.
			if n := strings.Count(body, tt.want); n != 2 {
				t.Errorf("%s shown %d times, want twice", tt.want, n)
			}
		})
	}
	f := newStatsFixture(t)
	code, body, _ := statsGet(t, clerk, p.URL+"/courts/"+f.court+"/dashboard?lang=en")
	if code != http.StatusOK || rowCount(t, body, "total") != 0 || !strings.Contains(body, "No claim has been registered yet") ||
		!strings.Contains(body, "No claims were filed from") || strings.Count(body, "<rect") != storage.StatsDays {
		t.Errorf("a court without claims: %d\n%s", code, body)
	}
}

// statsNoKeys fails when a page shows a catalog key instead of its text.
func statsNoKeys(t *testing.T, body string) {
	t.Helper()
	if m := regexp.MustCompile(`\b(dash|stats|track\.status|category)\.[a-z0-9_.]+`).FindString(body); m != "" {
		t.Errorf("page shows the key %s", m)
	}
}

func TestPublicStatsCountWithoutPersonalData(t *testing.T) {
	env := testenv.Get(t)
	ctx := context.Background()
	before, err := env.DB.PublicStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f := newStatsFixture(t)
	f.add(t, statsSeed...)
	f.add(t, statsElsewhere...)
	after, err := env.DB.PublicStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Filed: the ten of the test court, the other court's and the one being checked; not the draft.
	if d := after.Filed - before.Filed; d != 12 {
		t.Errorf("filed grew by %d, want 12", d)
	}
	for o, want := range map[string]int{storage.OutcomeRegistered: 3, storage.OutcomeReturned: 1, storage.OutcomeWithdrawn: 1, storage.OutcomePending: 7} {
		if d := after.ByOutcome[o] - before.ByOutcome[o]; d != want {
			t.Errorf("%s grew by %d, want %d", o, d, want)
		}
	}
	for cat, want := range map[string]int{"tax": 4, "housing": 4, "land": 4} {
		if d := after.ByCategory[cat] - before.ByCategory[cat]; d != want {
			t.Errorf("category %s grew by %d, want %d", cat, d, want)
		}
	}
	if d := after.Unassigned - before.Unassigned; d != 1 {
		t.Errorf("claims without a court grew by %d, want 1", d)
	}
	courts := map[string]int{}
	for i, c := range after.ByCourt {
		courts[c.ID] = c.Count
		if i > 0 && c.Count > after.ByCourt[i-1].Count {
			t.Errorf("courts not in order of claims: %s (%d) after %s (%d)", c.ID, c.Count, after.ByCourt[i-1].ID, after.ByCourt[i-1].Count)
		}
	}
	if _, listed := courts["smas-ulytau-region"]; courts[f.court] != 10 || !listed {
		t.Errorf("test court has %d claims (want 10); a court without claims listed: %v", courts[f.court], listed)
	}
	sum := 0
	for _, n := range after.ByOutcome {
		sum += n
	}
	if sum != after.Filed {
		t.Errorf("outcomes add up to %d, filed %d", sum, after.Filed)
	}

	// The page needs no sign-in, shows the same numbers, and nothing about a claim or a person.
	p := withSimulator(t)
	claimant := statsPersona(t, "citizen", "", 0)
	if claimant.IIN != statsClaimantIIN {
		t.Fatalf("claimant persona %s", claimant.IIN)
	}
	anonymous := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, l := range []struct{ lang, title, court string }{
		{"kk", "Статистика", "Сынақ соты "}, {"ru", "Статистика", "Тестовый суд "}, {"en", "Statistics", "Test court "},
	} {
		t.Run("in "+l.lang, func(t *testing.T) {
			code, body, _ := statsGet(t, anonymous, p.URL+"/stats?lang="+l.lang)
			if code != http.StatusOK || !strings.Contains(body, `<html lang="`+l.lang+`">`) {
				t.Fatalf("anonymous: %d, not in %s", code, l.lang)
			}
			for _, w := range []string{l.title, l.court + f.court, `role="img"`} {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			if n := strings.Count(body, "<svg"); n != 3 {
				t.Errorf("%d charts, want 3 (outcome, category, court)", n)
			}
			checks := map[string]int{"filed": after.Filed, "court-" + f.court: 10, "court-none": after.Unassigned,
				"category-tax": after.ByCategory["tax"], "category-housing": after.ByCategory["housing"], "category-land": after.ByCategory["land"]}
			for o, n := range after.ByOutcome {
				checks["outcome-"+o] = n
			}
			for key, n := range checks {
				if got := rowCount(t, body, key); got != n {
					t.Errorf("%s = %d, want %d", key, got, n)
				}
			}
			personal := append([]string{statsClaimantIIN, claimant.Name, statsRespondent}, f.subjects...)
			personal = append(personal, f.numbers...)
			for _, s := range personal {
				if strings.Contains(body, s) {
					t.Errorf("the public page shows %q", s)
				}
			}
			if strings.Contains(body, "<script") {
				t.Error("the statistics page needs a script")
			}
			statsNoKeys(t, body)
		})
	}
}
