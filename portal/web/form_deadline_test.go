package web

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"talap/portal/calendar"
	"talap/portal/claim"
	"talap/portal/config"
	"talap/portal/intake"
	"talap/portal/lang"
	"talap/portal/locale"
)

// The claim form's deadline hint and the court's "late" flag count the same period: for a
// pre-trial complaint with no decision, the claim is late only after the configured complaint
// body's deadline (TALAP_COMPLAINT_BODY_DAYS) and a month more, on the form as in the flags.
func TestDeadlineHintAgreesWithTheCourtsFlag(t *testing.T) {
	tr, err := locale.New()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{ComplaintBodyDays: 30} // not the default 20: the period matters
	s := &Server{Deps: Deps{Config: cfg, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, tr: tr}
	received, _ := claim.ParseDate("2026-02-20")
	complained, _ := claim.ParseDate("2026-03-02")
	d := claim.Draft{Kind: "challenge", ContestedAct: claim.Act{Number: "7", ReceivedOn: &received},
		Pretrial: claim.Pretrial{ComplaintFiledOn: &complained}}

	var lateSeen, onTimeSeen int
	// Every day from 50 to 110 days after the complaint: with 20 working days the period ends
	// about 60 days after it, with 30 about 75.
	for n := 50; n <= 110; n++ {
		now := time.Date(2026, 3, 2+n, 12, 0, 0, 0, calendar.Almaty())
		flags := intake.Flags(cal, claim.Claim{Draft: d}, now, cfg.ComplaintBodyDays, "")
		var late *claim.Notice
		for i := range flags {
			if flags[i].Code == "late" {
				late = &flags[i]
			}
		}
		for _, l := range lang.Supported {
			v := s.formDeadline(l, d, now)
			if v == nil {
				t.Fatalf("%s, %s: no hint", now.Format(time.DateOnly), l)
			}
			switch {
			case (v.Level == "late") != (late != nil):
				t.Fatalf("filed on %s: the form says %q (%s), the court's flags are %v", now.Format(time.DateOnly), v.Level, v.Heading, flags)
			case late != nil && !strings.HasPrefix(late.Message.In(l), allButLastSentence(v.Text)):
				// The same period from the same dates; only the last sentence differs (the form
				// speaks of filing today, the flag of the filing that came).
				t.Fatalf("filed on %s, %s: the form explains\n%s\nthe court's flag\n%s", now.Format(time.DateOnly), l, v.Text, late.Message.In(l))
			}
		}
		if late != nil {
			lateSeen++
		} else {
			onTimeSeen++
		}
	}
	// Agreeing on every day across the end of the period means that both end it on the same day.
	if lateSeen == 0 || onTimeSeen == 0 {
		t.Fatalf("late on %d days, on time on %d: the cases do not cross the end of the period", lateSeen, onTimeSeen)
	}
}

// allButLastSentence cuts a text after its last full stop but one.
func allButLastSentence(text string) string {
	i := strings.LastIndex(strings.TrimSuffix(text, "."), ". ")
	if i < 0 {
		return ""
	}
	return text[:i+1]
}
