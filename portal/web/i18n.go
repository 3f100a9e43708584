package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"talap/frontend"
	"talap/portal/lang"
)

// translator holds one localizer per supported language.
type translator struct {
	localizers map[string]*i18n.Localizer
}

func newTranslator() (*translator, error) {
	bundle := i18n.NewBundle(language.Russian)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	tr := &translator{localizers: map[string]*i18n.Localizer{}}
	for _, l := range lang.Supported {
		if _, err := bundle.LoadMessageFileFS(frontend.Locales, "locales/"+l+".json"); err != nil {
			return nil, fmt.Errorf("load %s catalog: %w", l, err)
		}
		tr.localizers[l] = i18n.NewLocalizer(bundle, l)
	}
	return tr, nil
}

// T translates id into l; pairs are template data given as key, value, key, value.
func (tr *translator) T(l, id string, pairs ...any) string {
	data := map[string]any{}
	for i := 0; i+1 < len(pairs); i += 2 {
		data[fmt.Sprint(pairs[i])] = pairs[i+1]
	}
	s, err := tr.localizers[l].Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id
	}
	return s
}

// pages holds every page template, parsed once per language so that {{t "key"}} needs no request state.
type pages map[string]map[string]*template.Template // lang → page → template

func parsePages(tr *translator) (pages, error) {
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
