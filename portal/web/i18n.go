package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"talap/frontend"
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
		funcs := template.FuncMap{"t": func(id string, pairs ...any) string { return tr.T(l, id, pairs...) }}
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
