package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"talap/frontend"
	"talap/portal/calendar"
	"talap/portal/claim"
	"talap/portal/lang"
	"talap/portal/locale"
)

// pages holds every page template, parsed once per language so that {{t "key"}} needs no request state.
type pages map[string]map[string]*template.Template // lang → page → template

func parsePages(tr *locale.Translator) (pages, error) {
	names, err := fs.Glob(frontend.Templates, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := pages{}
	for _, l := range lang.Supported {
		l := l
		out[l] = map[string]*template.Template{}
		funcs := template.FuncMap{
			"t": func(id string, pairs ...any) string { return tr.T(l, id, pairs...) },
			// date writes a day as the page's language does: "11 December 2026", "11 декабря 2026 г.".
			"date": func(v any) string { return templateDate(tr, l, v) },
		}
		for _, name := range names {
			page := strings.TrimSuffix(path.Base(name), ".html")
			if page == "layout" {
				continue
			}
			t, err := template.New(page).Funcs(funcs).ParseFS(frontend.Templates, "templates/layout.html", name)
			if err != nil {
				return nil, fmt.Errorf("parse %s: %w", name, err)
			}
			out[l][page] = t
		}
	}
	return out, nil
}

// templateDate is the template func date: the day of a time (in Almaty) or of a claim.Date, in
// language l, as fmtDate writes it; nothing for a nil or another type.
func templateDate(tr *locale.Translator, l string, v any) string {
	var t time.Time
	switch d := v.(type) {
	case time.Time:
		t = d
	case *time.Time:
		if d == nil {
			return ""
		}
		t = *d
	case claim.Date:
		t = d.Time
	case *claim.Date:
		if d == nil {
			return ""
		}
		t = d.Time
	default:
		return ""
	}
	t = t.In(calendar.Almaty())
	return tr.T(l, "track.date", "Day", t.Day(), "Month", tr.T(l, "track.month."+strconv.Itoa(int(t.Month()))), "Year", t.Year())
}
