// Package locale translates Talap's messages into Kazakh, Russian and English from the go-i18n
// catalogs in frontend/locales, for pages and e-mails alike.
package locale

import (
	"encoding/json"
	"fmt"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"talap/frontend"
	"talap/portal/lang"
)

// Translator holds one localizer per supported language.
type Translator struct {
	localizers map[string]*i18n.Localizer
}

// New loads the catalogs.
func New() (*Translator, error) {
	bundle := i18n.NewBundle(language.Russian)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	tr := &Translator{localizers: map[string]*i18n.Localizer{}}
	for _, l := range lang.Supported {
		if _, err := bundle.LoadMessageFileFS(frontend.Locales, "locales/"+l+".json"); err != nil {
			return nil, fmt.Errorf("load %s catalog: %w", l, err)
		}
		tr.localizers[l] = i18n.NewLocalizer(bundle, l)
	}
	return tr, nil
}

// T translates id into l; pairs are template data given as key, value, key, value. A missing
// message shows its id, which tests look for.
func (tr *Translator) T(l, id string, pairs ...any) string {
	data := map[string]any{}
	for i := 0; i+1 < len(pairs); i += 2 {
		data[fmt.Sprint(pairs[i])] = pairs[i+1]
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
