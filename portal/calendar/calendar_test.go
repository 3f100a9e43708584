package calendar

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"talap/portal/lang"
)

func load(t *testing.T) *Calendar {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func d(s string) time.Time {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestLoadCoversYears(t *testing.T) {
	c := load(t)
	if got, want := c.Years(), []int{2025, 2026, 2027, 2028}; !slices.Equal(got, want) {
		t.Fatalf("Years() = %v, want %v", got, want)
	}
	for _, y := range c.Years() {
		data, err := c.YearData(y)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(data.Source, "unverified") {
			t.Errorf("%d: source should say unverified: %q", y, data.Source)
		}
		// 14 fixed holiday dates (1-2 Jan, 7 Jan, 8 Mar, 21-23 Mar, 1, 7, 9 May, 6 Jul, 30 Aug,
		// 25 Oct, 16 Dec) plus the first day of Kurban Ait.
		if len(data.Holidays) != 15 {
			t.Errorf("%d: %d holidays, want 15", y, len(data.Holidays))
		}
		for _, md := range []string{"01-01", "01-02", "01-07", "03-08", "03-21", "03-22", "03-23", "05-01", "05-07", "05-09", "07-06", "08-30", "10-25", "12-16"} {
			if _, ok := c.HolidayOn(d(fmt.Sprintf("%d-%s", y, md))); !ok {
				t.Errorf("%d-%s is not a holiday", y, md)
			}
		}
	}
}

// TestDataFollowsWeekendRule checks each year's days_off against the weekend rule: every
// weekend-rule move must be in days_off. Anything else in days_off must be a known transfer.
func TestDataFollowsWeekendRule(t *testing.T) {
	transfers := map[string]bool{"2025-01-03": true} // 2025 order: 5 Jan (Sun) -> 3 Jan (Fri)
	c := load(t)
	for _, y := range c.Years() {
		data, _ := c.YearData(y)
		moves, err := WeekendRuleDaysOff(data)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for _, m := range moves {
			want[m.Format(dateLayout)] = true
		}
		for _, s := range data.DaysOff {
			if !want[s] && !transfers[s] {
				t.Errorf("%d: day off %s is neither a weekend-rule move nor a known transfer", y, s)
			}
			delete(want, s)
		}
		for s := range want {
			t.Errorf("%d: weekend rule gives day off %s, missing from days_off", y, s)
		}
	}
}

func TestWeekendRule(t *testing.T) {
	h := func(date string, fixed bool) Holiday {
		return Holiday{Date: date, Name: lang.Text{KK: "x", RU: "x", EN: "x"}, NoWeekendRule: fixed}
	}
	tests := []struct {
		name     string
		holidays []Holiday
		want     []string
	}{
		{"8 Mar 2026 is a Sunday: day off on Monday 9 Mar", []Holiday{h("2026-03-08", false)}, []string{"2026-03-09"}},
		{"Nauryz 2026 Sat-Sun-Mon: 24 and 25 Mar", []Holiday{h("2026-03-21", false), h("2026-03-22", false), h("2026-03-23", false)}, []string{"2026-03-24", "2026-03-25"}},
		{"New Year 2028 Sat-Sun: 3 and 4 Jan", []Holiday{h("2028-01-01", false), h("2028-01-02", false), h("2028-01-07", true)}, []string{"2028-01-03", "2028-01-04"}},
		{"7 Jan 2029 is a Sunday and is not moved", []Holiday{h("2029-01-01", false), h("2029-01-02", false), h("2029-01-07", true)}, nil},
		{"Kurban Ait on a Sunday is not moved", []Holiday{h("2027-05-16", true)}, nil},
		{"weekday holiday: nothing moves", []Holiday{h("2026-12-16", false)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := WeekendRuleDaysOff(Year{Year: tt.holidays[0].date().Year(), Holidays: tt.holidays})
			if err != nil {
				t.Fatal(err)
			}
			var gs []string
			for _, g := range got {
				gs = append(gs, g.Format(dateLayout))
			}
			if !slices.Equal(gs, tt.want) {
				t.Errorf("got %v, want %v", gs, tt.want)
			}
		})
	}
}

func (h Holiday) date() time.Time { return d(h.Date) }

func TestIsWorkingDay(t *testing.T) {
	c := load(t)
	tests := []struct {
		date string
		want bool
		why  string
	}{
		{"2025-01-03", false, "2025 transfer: Friday 3 Jan is a day off"},
		{"2025-01-05", true, "2025 transfer: Sunday 5 Jan is a working day"},
		{"2025-01-04", false, "Saturday"},
		{"2025-03-10", false, "8 Mar 2025 (Sat) moved to Monday 10 Mar"},
		{"2025-06-06", false, "Kurban Ait 2025"},
		{"2026-01-01", false, "New Year"},
		{"2026-01-02", false, "New Year"},
		{"2026-01-05", true, "ordinary Monday"},
		{"2026-01-07", false, "Orthodox Christmas"},
		{"2026-03-08", false, "8 Mar 2026, a Sunday"},
		{"2026-03-09", false, "8 Mar 2026 moved to Monday 9 Mar"},
		{"2026-03-10", true, "Tuesday after"},
		{"2026-03-23", false, "Nauryz"},
		{"2026-03-24", false, "21 Mar moved"},
		{"2026-03-25", false, "22 Mar moved"},
		{"2026-03-26", true, "after Nauryz"},
		{"2026-05-01", false, "Unity Day"},
		{"2026-05-11", false, "9 May (Sat) moved"},
		{"2026-05-27", false, "Kurban Ait 2026"},
		{"2026-08-31", false, "30 Aug (Sun) moved"},
		{"2026-10-26", false, "25 Oct (Sun) moved"},
		{"2026-12-16", false, "Independence Day"},
		{"2026-12-17", true, "ordinary Thursday"},
		{"2027-05-16", false, "Kurban Ait 2027 (Sunday anyway)"},
		{"2027-05-17", true, "Kurban Ait on a Sunday is not moved"},
		{"2028-01-04", false, "2 Jan 2028 (Sun) moved"},
		{"2028-01-05", true, "first working day of 2028"},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			got, err := c.IsWorkingDay(d(tt.date))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v (%s)", tt.date, got, tt.want, tt.why)
			}
		})
	}
}

func TestDateReadInOwnLocation(t *testing.T) {
	c := load(t)
	// 23:30 on 8 Mar 2026 in Almaty is 18:30 UTC the same day; both are read as 8 Mar.
	for _, tm := range []time.Time{
		time.Date(2026, 3, 8, 23, 30, 0, 0, Almaty()),
		time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC),
	} {
		ok, err := c.IsWorkingDay(tm)
		if err != nil || ok {
			t.Errorf("IsWorkingDay(%v) = %v, %v; want false", tm, ok, err)
		}
	}
}

func TestAlmatyDate(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 4, 1, 18, 59, 59, 0, time.UTC), "2026-04-01"}, // 23:59:59 +05
		{time.Date(2026, 4, 1, 19, 0, 0, 0, time.UTC), "2026-04-02"},   // 00:00 +05
		{time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), "2026-04-01"},    // a date at 00:00 UTC keeps its date
		{time.Date(2026, 4, 1, 23, 59, 0, 0, Almaty()), "2026-04-01"},
	}
	for _, tt := range tests {
		if got := AlmatyDate(tt.in).Format(dateLayout); got != tt.want {
			t.Errorf("AlmatyDate(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := AlmatyDate(time.Now()); got.Location() != time.UTC || got.Hour() != 0 {
		t.Errorf("AlmatyDate returns %v, want 00:00 UTC", got)
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := load(t)
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-03-02", 1, "2026-03-03"},
		{"2026-03-06", 1, "2026-03-10"},  // Fri; 7-8 weekend, 9 Mar moved holiday
		{"2025-12-31", 1, "2026-01-05"},  // across New Year: 1-2 Jan holidays, 3-4 weekend
		{"2025-12-31", 3, "2026-01-08"},  // 5, 6, (7 Jan holiday), 8
		{"2025-12-26", 10, "2026-01-14"}, // 29, 30, 31 Dec, 5, 6, 8, 9, 12, 13, 14 Jan
		{"2027-12-31", 1, "2028-01-05"},  // 1-2 Jan 2028 weekend, moved to 3-4 Jan
		{"2024-12-31", 0, ""},            // 2024 not covered
		{"2026-03-07", 0, "2026-03-07"},  // zero: the date itself, even if non-working
		{"2026-03-07", 1, "2026-03-10"},  // from itself is never counted
		{"2026-03-20", 1, "2026-03-26"},  // across Nauryz 2026
		{"2026-03-02", 20, "2026-04-03"}, // 20 working days: 3-6, 10-13, 16-20, 26-27, 30-31 Mar, 1-3 Apr
		{"2025-01-02", 1, "2025-01-05"},  // 3 Jan 2025 transferred off, Sunday 5 Jan working
	}
	for _, tt := range tests {
		t.Run(tt.from, func(t *testing.T) {
			got, err := c.AddWorkingDays(d(tt.from), tt.n)
			if tt.want == "" {
				if !errors.Is(err, ErrYearNotCovered) {
					t.Fatalf("err = %v, want ErrYearNotCovered", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Format(dateLayout) != tt.want {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, got.Format(dateLayout), tt.want)
			}
		})
	}
	if _, err := c.AddWorkingDays(d("2026-01-01"), -1); err == nil {
		t.Error("negative n: want error")
	}
}

func TestNextWorkingDay(t *testing.T) {
	c := load(t)
	tests := []struct{ in, want string }{
		{"2026-03-03", "2026-03-03"}, // working
		{"2026-03-07", "2026-03-10"}, // Sat -> Sun -> Mon 9 Mar (moved 8 Mar) -> Tue
		{"2026-03-21", "2026-03-26"}, // Nauryz 2026
		{"2026-05-01", "2026-05-04"}, // Unity Day (Fri)
		{"2026-12-16", "2026-12-17"}, // Independence Day
		{"2026-01-07", "2026-01-08"}, // Christmas
		{"2027-05-16", "2027-05-17"}, // Kurban Ait on a Sunday, not moved
		{"2025-01-04", "2025-01-05"}, // working Sunday by transfer
	}
	for _, tt := range tests {
		got, err := c.NextWorkingDay(d(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if got.Format(dateLayout) != tt.want {
			t.Errorf("NextWorkingDay(%s) = %s, want %s", tt.in, got.Format(dateLayout), tt.want)
		}
	}
}

func TestYearNotCovered(t *testing.T) {
	c := load(t)
	calls := map[string]func() error{
		"IsWorkingDay 2024": func() error { _, err := c.IsWorkingDay(d("2024-06-03")); return err },
		"IsWorkingDay 2029": func() error { _, err := c.IsWorkingDay(d("2029-01-02")); return err },
		"NextWorkingDay":    func() error { _, err := c.NextWorkingDay(d("2030-01-01")); return err },
		// 30 Dec 2028 is a Saturday; the walk leaves 2028 before finding a working day.
		"NextWorkingDay walks out":  func() error { _, err := c.NextWorkingDay(d("2028-12-30")); return err },
		"AddWorkingDays walks out":  func() error { _, err := c.AddWorkingDays(d("2028-12-27"), 5); return err },
		"AddWorkingDays zero n":     func() error { _, err := c.AddWorkingDays(d("2024-12-31"), 0); return err },
		"nil calendar":              func() error { _, err := (*Calendar)(nil).IsWorkingDay(d("2026-01-05")); return err },
		"empty calendar from New()": func() error { _, err := New().IsWorkingDay(d("2026-01-05")); return err },
	}
	for name, call := range calls {
		err := call()
		var ye *YearNotCoveredError
		if !errors.Is(err, ErrYearNotCovered) || !errors.As(err, &ye) {
			t.Errorf("%s: err = %v, want a *YearNotCoveredError", name, err)
		}
	}
	if c.Covers(2024) || !c.Covers(2026) {
		t.Error("Covers is wrong")
	}
	if _, ok := c.HolidayOn(d("2029-01-01")); ok {
		t.Error("HolidayOn in an uncovered year should report false")
	}
}

func TestLoadFSRejectsBadData(t *testing.T) {
	good := `{"year":2026,"source":"s","holidays":[{"date":"2026-01-01","name":{"kk":"a","ru":"b","en":"c"}}],"days_off":["2026-03-09"],"working_days":["2026-03-07"]}`
	tests := []struct {
		name, file, body, wantErr string
	}{
		{"ok", "2026.json", good, ""},
		{"bad json", "2026.json", `{"year":`, "2026.json"},
		{"file name", "x.json", good, "name it 2026.json"},
		{"holiday in other year", "2026.json", `{"year":2026,"holidays":[{"date":"2025-01-01","name":{"kk":"a","ru":"b","en":"c"}}]}`, "another year"},
		{"holiday without names", "2026.json", `{"year":2026,"holidays":[{"date":"2026-01-01","name":{"ru":"b"}}]}`, "kk, ru and en"},
		{"duplicate holiday", "2026.json", `{"year":2026,"holidays":[{"date":"2026-01-01","name":{"kk":"a","ru":"b","en":"c"}},{"date":"2026-01-01","name":{"kk":"a","ru":"b","en":"c"}}]}`, "twice"},
		{"bad date", "2026.json", `{"year":2026,"days_off":["2026-02-30"]}`, "day off"},
		{"day off on weekend", "2026.json", `{"year":2026,"days_off":["2026-03-08"]}`, "Sunday"},
		{"day off is a holiday", "2026.json", `{"year":2026,"holidays":[{"date":"2026-01-01","name":{"kk":"a","ru":"b","en":"c"}}],"days_off":["2026-01-01"]}`, "already a holiday"},
		{"working day on weekday", "2026.json", `{"year":2026,"working_days":["2026-03-09"]}`, "already working"},
		{"implausible year", "0.json", `{"year":0}`, "implausible"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(fstest.MapFS{tt.file: {Data: []byte(tt.body)}})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
	if _, err := LoadFS(fstest.MapFS{}); err == nil {
		t.Error("empty FS: want error")
	}
}

func TestNewPanicsOnBadData(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New with a duplicate year did not panic")
		}
	}()
	New(Year{Year: 2026}, Year{Year: 2026})
}

func TestNewForTests(t *testing.T) {
	c := New(Year{Year: 2030, WorkingDays: []string{"2030-01-05"}})
	for date, want := range map[string]bool{"2030-01-05": true, "2030-01-06": false, "2030-01-07": true} {
		got, err := c.IsWorkingDay(d(date))
		if err != nil || got != want {
			t.Errorf("IsWorkingDay(%s) = %v, %v; want %v", date, got, err, want)
		}
	}
}
