// Package calendar is Kazakhstan's working-day calendar, held as data per year (see
// talap/infra/calendar, package calendardata).
//
// # Dates
//
// A date here is a civil (calendar) date in Kazakhstan, with no time of day. It is represented as
// a time.Time at 00:00 UTC of that date; every date this package returns has that form (see Day).
// A date passed in is read as the year, month and day of the time.Time in its own Location
// (t.Date()), so 00:00 UTC values, pgx "date" values and times in Asia/Almaty all work. To turn an
// instant (a moment something happened, e.g. a filing timestamp) into the civil date in
// Kazakhstan, use AlmatyDate first.
//
// # Years
//
// The calendar knows only the years in its data. Asking about any other year returns an error
// that matches ErrYearNotCovered (errors.Is) and is a *YearNotCoveredError (errors.As); the
// calendar never guesses.
package calendar

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	calendardata "talap/infra/calendar"
	"talap/portal/lang"

	_ "time/tzdata" // Asia/Almaty without system tzdata
)

// Holiday is a public holiday (Law No. 267 "On holidays", Art. 5).
type Holiday struct {
	Date string    `json:"date"` // YYYY-MM-DD
	Name lang.Text `json:"name"`
	// NoWeekendRule marks a holiday whose day off does not move to the next working day when it
	// falls on a Saturday or Sunday (7 January and the first day of Kurban Ait).
	NoWeekendRule bool `json:"no_weekend_rule,omitempty"`
	// Unverified marks an estimated date (Kurban Ait of future years).
	Unverified bool `json:"unverified,omitempty"`
}

// Year is one year of calendar data, as stored in talap/infra/calendar/YYYY.json.
type Year struct {
	Year     int       `json:"year"`
	Source   string    `json:"source"`
	Notes    []string  `json:"notes,omitempty"`
	Holidays []Holiday `json:"holidays"`
	// DaysOff are non-working weekdays other than holidays: weekend-rule moves and transfers.
	DaysOff []string `json:"days_off"`
	// WorkingDays are Saturdays and Sundays made working by a transfer order.
	WorkingDays []string `json:"working_days"`
}

// ErrYearNotCovered is matched (errors.Is) by every error about a year missing from the data.
var ErrYearNotCovered = errors.New("calendar: year not covered by the working-day calendar data")

// YearNotCoveredError says which year is missing from the data.
type YearNotCoveredError struct{ Year int }

func (e *YearNotCoveredError) Error() string {
	return fmt.Sprintf("calendar: year %d is not covered by the working-day calendar data", e.Year)
}

// Is makes errors.Is(err, ErrYearNotCovered) true.
func (e *YearNotCoveredError) Is(target error) bool { return target == ErrYearNotCovered }

// Calendar answers working-day questions for the years in its data. It is safe for concurrent
// use; it is never modified after it is built.
type Calendar struct {
	years map[int]*yearIndex
}

type yearIndex struct {
	data     Year
	holidays map[dayKey]Holiday
	daysOff  map[dayKey]bool
	working  map[dayKey]bool
}

// dayKey is a date as days since 1970-01-01, so maps do not depend on time.Time's internals.
type dayKey int64

func key(d time.Time) dayKey { return dayKey(DateOf(d).Unix() / 86400) }

const dateLayout = "2006-01-02"

var almaty = mustLoadAlmaty()

func mustLoadAlmaty() *time.Location {
	loc, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		panic("calendar: loading Asia/Almaty: " + err.Error()) // time/tzdata is embedded
	}
	return loc
}

// Almaty returns the Asia/Almaty time zone, the one used for deadlines.
func Almaty() *time.Location { return almaty }

// Day returns the date y-m-d (00:00 UTC).
func Day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// DateOf returns the date of t as read in t's own Location (00:00 UTC).
func DateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return Day(y, m, d)
}

// AlmatyDate returns the civil date in Asia/Almaty at the instant t (00:00 UTC). A date given as
// 00:00 UTC (or 00:00 in any zone at or west of UTC+5) keeps its date.
func AlmatyDate(t time.Time) time.Time { return DateOf(t.In(almaty)) }

// ParseDate parses YYYY-MM-DD into a date (00:00 UTC).
func ParseDate(s string) (time.Time, error) {
	return time.ParseInLocation(dateLayout, s, time.UTC)
}

// Load builds the calendar from the embedded data in talap/infra/calendar.
func Load() (*Calendar, error) { return LoadFS(calendardata.FS) }

// LoadFS builds the calendar from every *.json file at the root of fsys, one year per file.
func LoadFS(fsys fs.FS) (*Calendar, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	if len(names) == 0 {
		return nil, errors.New("calendar: no year files")
	}
	years := make([]Year, 0, len(names))
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
		var y Year
		if err := json.Unmarshal(b, &y); err != nil {
			return nil, fmt.Errorf("calendar: %s: %w", name, err)
		}
		if want := fmt.Sprintf("%d.json", y.Year); name != want {
			return nil, fmt.Errorf("calendar: %s holds year %d; name it %s", name, y.Year, want)
		}
		years = append(years, y)
	}
	return build(years)
}

// New builds a calendar from years given in code, e.g. in tests. It panics if the data is
// invalid (the same checks as Load).
func New(years ...Year) *Calendar {
	c, err := build(years)
	if err != nil {
		panic(err)
	}
	return c
}

func build(years []Year) (*Calendar, error) {
	c := &Calendar{years: make(map[int]*yearIndex, len(years))}
	for _, y := range years {
		if _, dup := c.years[y.Year]; dup {
			return nil, fmt.Errorf("calendar: year %d given twice", y.Year)
		}
		idx, err := index(y)
		if err != nil {
			return nil, err
		}
		c.years[y.Year] = idx
	}
	return c, nil
}

func index(y Year) (*yearIndex, error) {
	if y.Year < 1900 || y.Year > 9999 {
		return nil, fmt.Errorf("calendar: implausible year %d", y.Year)
	}
	idx := &yearIndex{
		data:     y,
		holidays: make(map[dayKey]Holiday, len(y.Holidays)),
		daysOff:  make(map[dayKey]bool, len(y.DaysOff)),
		working:  make(map[dayKey]bool, len(y.WorkingDays)),
	}
	parse := func(what, s string) (time.Time, error) {
		d, err := ParseDate(s)
		if err != nil {
			return d, fmt.Errorf("calendar: %d: %s %q: %w", y.Year, what, s, err)
		}
		if d.Year() != y.Year {
			return d, fmt.Errorf("calendar: %d: %s %s is in another year", y.Year, what, s)
		}
		return d, nil
	}
	for _, h := range y.Holidays {
		d, err := parse("holiday", h.Date)
		if err != nil {
			return nil, err
		}
		if _, dup := idx.holidays[key(d)]; dup {
			return nil, fmt.Errorf("calendar: %d: holiday %s listed twice", y.Year, h.Date)
		}
		if h.Name.KK == "" || h.Name.RU == "" || h.Name.EN == "" {
			return nil, fmt.Errorf("calendar: %d: holiday %s needs a name in kk, ru and en", y.Year, h.Date)
		}
		idx.holidays[key(d)] = h
	}
	for _, s := range y.DaysOff {
		d, err := parse("day off", s)
		if err != nil {
			return nil, err
		}
		switch {
		case idx.daysOff[key(d)]:
			return nil, fmt.Errorf("calendar: %d: day off %s listed twice", y.Year, s)
		case isWeekend(d):
			return nil, fmt.Errorf("calendar: %d: day off %s is a %s, already non-working", y.Year, s, d.Weekday())
		}
		if _, h := idx.holidays[key(d)]; h {
			return nil, fmt.Errorf("calendar: %d: day off %s is already a holiday", y.Year, s)
		}
		idx.daysOff[key(d)] = true
	}
	for _, s := range y.WorkingDays {
		d, err := parse("working day", s)
		if err != nil {
			return nil, err
		}
		switch {
		case idx.working[key(d)]:
			return nil, fmt.Errorf("calendar: %d: working day %s listed twice", y.Year, s)
		case !isWeekend(d):
			return nil, fmt.Errorf("calendar: %d: working day %s is a %s, already working", y.Year, s, d.Weekday())
		}
		if _, h := idx.holidays[key(d)]; h {
			return nil, fmt.Errorf("calendar: %d: working day %s is a holiday", y.Year, s)
		}
		idx.working[key(d)] = true
	}
	return idx, nil
}

func isWeekend(d time.Time) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

func (c *Calendar) year(y int) (*yearIndex, error) {
	if c != nil {
		if idx, ok := c.years[y]; ok {
			return idx, nil
		}
	}
	return nil, &YearNotCoveredError{Year: y}
}

// Years returns the years in the data, in order.
func (c *Calendar) Years() []int {
	ys := make([]int, 0, len(c.years))
	for y := range c.years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// Covers reports whether year is in the data.
func (c *Calendar) Covers(year int) bool {
	_, err := c.year(year)
	return err == nil
}

// YearData returns the data of a year as given.
func (c *Calendar) YearData(year int) (Year, error) {
	idx, err := c.year(year)
	if err != nil {
		return Year{}, err
	}
	return idx.data, nil
}

// IsWorkingDay reports whether the date d is a working day. It fails if d's year is not in the
// data.
func (c *Calendar) IsWorkingDay(d time.Time) (bool, error) {
	d = DateOf(d)
	idx, err := c.year(d.Year())
	if err != nil {
		return false, err
	}
	return idx.isWorking(d), nil
}

func (idx *yearIndex) isWorking(d time.Time) bool {
	k := key(d)
	if idx.working[k] {
		return true
	}
	if _, h := idx.holidays[k]; h || idx.daysOff[k] {
		return false
	}
	return !isWeekend(d)
}

// HolidayOn returns the holiday on date d, if d is one. It reports false also when d's year is
// not in the data.
func (c *Calendar) HolidayOn(d time.Time) (Holiday, bool) {
	d = DateOf(d)
	idx, err := c.year(d.Year())
	if err != nil {
		return Holiday{}, false
	}
	h, ok := idx.holidays[key(d)]
	return h, ok
}

// AddWorkingDays returns the n-th working day after the date from; from itself is not counted,
// whether or not it is a working day. n = 0 returns from's date. It fails if n < 0 or if the walk
// needs a year that is not in the data.
func (c *Calendar) AddWorkingDays(from time.Time, n int) (time.Time, error) {
	if n < 0 {
		return time.Time{}, fmt.Errorf("calendar: negative number of working days %d", n)
	}
	d := DateOf(from)
	if n == 0 {
		if _, err := c.year(d.Year()); err != nil {
			return time.Time{}, err
		}
		return d, nil
	}
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		ok, err := c.IsWorkingDay(d)
		if err != nil {
			return time.Time{}, err
		}
		if ok {
			n--
		}
	}
	return d, nil
}

// NextWorkingDay returns the date d if it is a working day, otherwise the first working day after
// it.
func (c *Calendar) NextWorkingDay(d time.Time) (time.Time, error) {
	d = DateOf(d)
	for {
		ok, err := c.IsWorkingDay(d)
		if err != nil {
			return time.Time{}, err
		}
		if ok {
			return d, nil
		}
		d = d.AddDate(0, 0, 1)
	}
}

// WeekendRuleDaysOff applies the weekend rule (Labour Code Art. 85 as Talap reads it) to a year's
// holidays: each holiday on a Saturday or Sunday, except those marked NoWeekendRule, moves its day
// off to the next weekday after it that is not a holiday and not already taken by an earlier move.
// It is a tool to prepare and check a year's days_off; the calendar itself uses only the data.
func WeekendRuleDaysOff(y Year) ([]time.Time, error) {
	idx, err := index(Year{Year: y.Year, Holidays: y.Holidays})
	if err != nil {
		return nil, err
	}
	hs := slices.Clone(y.Holidays)
	slices.SortFunc(hs, func(a, b Holiday) int { return cmp.Compare(a.Date, b.Date) })
	taken := map[dayKey]bool{}
	var out []time.Time
	for _, h := range hs {
		d, _ := ParseDate(h.Date) // checked by index
		if !isWeekend(d) || h.NoWeekendRule {
			continue
		}
		n := d.AddDate(0, 0, 1)
		for {
			_, hol := idx.holidays[key(n)]
			if !isWeekend(n) && !hol && !taken[key(n)] {
				break
			}
			n = n.AddDate(0, 0, 1)
		}
		taken[key(n)] = true
		out = append(out, n)
	}
	return out, nil
}
