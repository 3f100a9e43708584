package deadline

// Plain-words explanations in Kazakh, Russian and English. The sentences are in the catalogs
// (frontend/locales, keys deadline.*), rendered in all three languages at once because the
// explanation is stored with the claim as lang.Text. The Kazakh and Russian wording is Talap's and
// should be reviewed by a native-speaking lawyer. Dates are written 2006-01-02 in English and
// 02.01.2006 in Kazakh and Russian (see date); Kazakh sentences keep dates free of case endings.

import (
	"time"

	"talap/portal/lang"
	"talap/portal/locale"
)

type docKind int

const (
	claimDoc     docKind = iota // the administrative claim (иск)
	complaintDoc                // the pre-trial complaint (жалоба)
)

// facts is everything an explanation says.
type facts struct {
	rule            Rule
	event           time.Time  // clock-starting event
	raw             time.Time  // last day before moving off a non-working day
	last            time.Time  // last day
	provisionalYear int        // year missing from the calendar, if LastDay is provisional
	holiday         *lang.Text // holiday on raw, if raw was moved and is a holiday
	filed           time.Time  // filing date, zero if not filed
	daysLate        int
	doc             docKind
	deemed          *deemed
}

// date is t as each language writes it inside a sentence.
func date(t time.Time) lang.Text {
	dot := t.Format("02.01.2006")
	return lang.Text{KK: dot, RU: dot, EN: t.Format("2006-01-02")}
}

// ruPlural picks the Russian form for n: one (1, 21), few (2-4, 22-24), many (5-20, 25-30).
func ruPlural(n int, one, few, many string) string {
	n10, n100 := n%10, n%100
	switch {
	case n10 == 1 && n100 != 11:
		return one
	case n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14):
		return few
	}
	return many
}

// pluralCategory is the CLDR plural category of the whole number n in language l.
func pluralCategory(l string, n int) string {
	switch {
	case l == "ru":
		return ruPlural(n, "one", "few", "many")
	case n == 1:
		return "one"
	}
	return "other"
}

// worded is the unit whose words the catalogs use for u: Days stands for any unit without words
// of its own.
func worded(u Unit) Unit {
	if u != Months && u != Years && u != WorkingDays {
		return Days
	}
	return u
}

// count is n with the noun of unit u (deadline.count.<unit>.<category>), e.g. "5 дней", "1 day".
func count(u Unit, n int) lang.Text {
	in := func(l string) string {
		return locale.Shared().T(l, "deadline.count."+string(worded(u))+"."+pluralCategory(l, n), "N", n)
	}
	return lang.Text{KK: in("kk"), RU: in("ru"), EN: in("en")}
}

// join puts sentences one after the other, in each language.
func join(ts ...lang.Text) lang.Text {
	var out lang.Text
	for i, t := range ts {
		sep := " "
		if i == 0 {
			sep = ""
		}
		out.KK += sep + t.KK
		out.RU += sep + t.RU
		out.EN += sep + t.EN
	}
	return out
}

func periodWords(p Period) lang.Text {
	return locale.Text("deadline.period."+string(worded(p.Unit)), "N", p.N, "Count", count(p.Unit, p.N))
}

// startWords describes the day the period runs from: the day after the event on date
// (deadline.start.<clock start>; any other clock start is worded as ActLearned).
func startWords(c ClockStart, event time.Time) lang.Text {
	switch c {
	case ComplaintDecisionDelivered, ComplaintBodyDeadlineEnded, ActDelivered, ActionLearned, RelationshipArose:
	default:
		c = ActLearned
	}
	return locale.Text("deadline.start."+string(c), "Date", date(event))
}

func explain(f facts) lang.Text {
	var parts []lang.Text
	if d := f.deemed; d != nil {
		parts = append(parts, deemedWords(d, f.event))
	}
	parts = append(parts, locale.Text("deadline.period_runs", "Cite", f.rule.Cite, "Period", periodWords(f.rule.Period),
		"From", date(f.event.AddDate(0, 0, 1)), "Start", startWords(f.rule.ClockStart, f.event), "Last", date(f.last)))

	if !f.last.Equal(f.raw) {
		var day lang.Text // the holiday or weekday the period would have ended on, if it is either
		switch {
		case f.holiday != nil:
			day = *f.holiday
		case f.raw.Weekday() == time.Saturday:
			day = locale.Text("deadline.weekday.saturday")
		case f.raw.Weekday() == time.Sunday:
			day = locale.Text("deadline.weekday.sunday")
		}
		parts = append(parts, locale.Text("deadline.moved", "Date", date(f.raw), "Day", day))
	}

	if y := f.provisionalYear; y != 0 {
		parts = append(parts, locale.Text("deadline.provisional_year", "Year", y))
	}

	return join(append(parts, filingWords(f))...)
}

// deemedWords says when the complaint counts as refused, and that the complaint body's period
// (TALAP_COMPLAINT_BODY_DAYS, or its default) is a reading Talap has not verified, whichever it is.
func deemedWords(d *deemed, end time.Time) lang.Text {
	n := d.days
	return join(locale.Text("deadline.deemed", "Filed", date(d.complaintFiled), "N", n, "Count", count(WorkingDays, n), "End", date(end)),
		locale.Text("deadline.deemed_default", "N", n, "Count", count(WorkingDays, n)))
}

// filingWords says whether the claim or the complaint is on time: deadline.filing.<document>.open
// (not filed yet), .on_time or .late.
func filingWords(f facts) lang.Text {
	doc := "claim"
	if f.doc == complaintDoc {
		doc = "complaint"
	}
	state := "late"
	switch {
	case f.filed.IsZero():
		state = "open"
	case f.daysLate == 0:
		state = "on_time"
	}
	return locale.Text("deadline.filing."+doc+"."+state, "Last", date(f.last), "Filed", date(f.filed),
		"N", f.daysLate, "Count", count(Days, f.daysLate))
}

func explainPretrialMissing(complaintDue *Result) lang.Text {
	t := locale.Text("deadline.pretrial_missing")
	if r := complaintDue; r != nil {
		t = join(t, locale.Text("deadline.pretrial_missing.complaint_due", "Date", date(r.LastDay)))
		if r.Provisional {
			t = join(t, locale.Text("deadline.pretrial_missing.provisional"))
		}
	}
	return t
}
