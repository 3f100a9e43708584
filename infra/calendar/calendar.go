// Package calendardata holds Kazakhstan's working-day calendar as data, one JSON file per year
// (2025.json, 2026.json, ...). Package talap/portal/calendar parses, checks and applies it.
//
// Each file has this shape:
//
//	{
//	  "year": 2026,
//	  "source": "where the reading comes from; unverified",
//	  "notes": ["free text for staff"],
//	  "holidays": [{"date": "2026-01-01", "name": {"kk": "...", "ru": "...", "en": "..."},
//	                "no_weekend_rule": true, "unverified": true}],
//	  "days_off": ["2026-03-09"],
//	  "working_days": []
//	}
//
// holidays are the public holidays of Law No. 267 "On holidays", Art. 5. no_weekend_rule marks
// the holidays that do not move to the next working day when they fall on a weekend (7 January and
// the first day of Kurban Ait); unverified marks a date that is an estimate (Kurban Ait of future
// years). days_off are the other non-working weekdays: weekend-rule moves (Labour Code Art. 85)
// and transfers by government order. working_days are Saturdays and Sundays made working by a
// transfer order. Weekends not listed in working_days are non-working.
//
// The data is Talap's reading of public sources and is unverified; each file says so in its
// "source" field. To add a year, write its file here; a year missing from the data makes the
// calendar return an error rather than guess.
package calendardata

import "embed"

// FS holds the per-year JSON files.
//
//go:embed *.json
var FS embed.FS
