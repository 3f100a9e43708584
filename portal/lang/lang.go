// Package lang holds Talap's three languages (Kazakh, Russian, English) and text given in all three.
package lang

import (
	"strings"

	"golang.org/x/text/language"
)

// Supported languages, in the order the portal offers them.
var Supported = []string{"kk", "ru", "en"}

// Default is used when nothing better is known.
const Default = "ru"

var matcher = language.NewMatcher([]language.Tag{language.Russian, language.Kazakh, language.English})

// Text is a string given in each supported language.
type Text struct {
	KK string `json:"kk"`
	RU string `json:"ru"`
	EN string `json:"en"`
}

// In returns the text in lang, falling back to Russian.
func (t Text) In(lang string) string {
	switch lang {
	case "kk":
		if t.KK != "" {
			return t.KK
		}
	case "en":
		if t.EN != "" {
			return t.EN
		}
	}
	return t.RU
}

// Valid reports whether code is a supported language.
func Valid(code string) bool {
	for _, s := range Supported {
		if s == code {
			return true
		}
	}
	return false
}

// FromAcceptLanguage picks the best supported language for an Accept-Language header.
func FromAcceptLanguage(header string) string {
	if strings.TrimSpace(header) == "" {
		return Default
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return []string{"ru", "kk", "en"}[idx]
}
