// Package locale translates Talap's messages into Kazakh, Russian and English from the go-i18n
// catalogs in frontend/locales, for pages, e-mails, the receipt PDF and the texts stored with a
// claim in all three languages (routing and deadline explanations, intake notices, the state
// duty basis).
package locale

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"talap/frontend"
	"talap/portal/lang"
)

// Translator holds one localizer per supported language.
type Translator struct {
	localizers map[string]*i18n.Localizer
	ids        map[string]map[string]bool // language → message ids its catalog holds
}

// New loads the catalogs.
func New() (*Translator, error) {
	bundle := i18n.NewBundle(language.Russian)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	tr := &Translator{localizers: map[string]*i18n.Localizer{}, ids: map[string]map[string]bool{}}
	for _, l := range lang.Supported {
		mf, err := bundle.LoadMessageFileFS(frontend.Locales, "locales/"+l+".json")
		if err != nil {
			return nil, fmt.Errorf("load %s catalog: %w", l, err)
		}
		tr.localizers[l] = i18n.NewLocalizer(bundle, l)
		tr.ids[l] = map[string]bool{}
		for _, m := range mf.Messages {
			tr.ids[l][m.ID] = true
		}
	}
	return tr, nil
}

// Msg is a message given as template data to another message: T renders it in the same language
// first, so sentences can be built from parts that are each in the catalogs.
type Msg struct {
	ID    string
	Pairs []any
}

// M is Msg{id, pairs}.
func M(id string, pairs ...any) Msg { return Msg{ID: id, Pairs: pairs} }

// T translates id into l; pairs are template data given as key, value, key, value. A value that
// is a Msg or a lang.Text is put in l first. A missing message shows its id, which tests look
// for. (A message missing from one catalog only is taken from the Russian one; Has tells.)
func (tr *Translator) T(l, id string, pairs ...any) string {
	data := map[string]any{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v := pairs[i+1]
		switch m := v.(type) {
		case Msg:
			v = tr.T(l, m.ID, m.Pairs...)
		case lang.Text:
			v = m.In(l)
		}
		data[fmt.Sprint(pairs[i])] = v
	}
	loc, ok := tr.localizers[l]
	if !ok {
		loc = tr.localizers[lang.Default]
	}
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id
	}
	return s
}

// Has reports whether the catalog of language l itself holds id.
func (tr *Translator) Has(l, id string) bool { return tr.ids[l][id] }

// Text renders id in every supported language, for text kept in all three (lang.Text).
func (tr *Translator) Text(id string, pairs ...any) lang.Text {
	return lang.Text{KK: tr.T("kk", id, pairs...), RU: tr.T("ru", id, pairs...), EN: tr.T("en", id, pairs...)}
}

var shared = sync.OnceValues(New)

// Shared returns one Translator for the whole process, for packages that word texts outside any
// request (routing, the state duty). The catalogs are embedded in the binary, so they cannot fail
// to load at run time unless the build itself is broken: Shared then panics, and the tests of
// every package that uses it fail.
func Shared() *Translator {
	tr, err := shared()
	if err != nil {
		panic("locale: " + err.Error())
	}
	return tr
}

// Text is Shared().Text: id rendered in every supported language.
func Text(id string, pairs ...any) lang.Text { return Shared().Text(id, pairs...) }
