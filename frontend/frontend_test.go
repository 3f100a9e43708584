package frontend

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
)

func catalogs(t *testing.T) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, l := range []string{"kk", "ru", "en"} {
		b, err := Locales.ReadFile("locales/" + l + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", l, err)
		}
		out[l] = m
	}
	return out
}

func TestEveryCatalogHasEveryKey(t *testing.T) {
	cats := catalogs(t)
	for l, m := range cats {
		for other, om := range cats {
			var missing []string
			for k := range om {
				if _, ok := m[k]; !ok {
					missing = append(missing, k)
				}
			}
			sort.Strings(missing)
			if len(missing) > 0 {
				t.Errorf("%s.json lacks %d keys that %s.json has: %v", l, len(missing), other, missing)
			}
		}
		for k, v := range m {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s.json: %s is empty", l, k)
			}
		}
	}
}

var (
	actions   = regexp.MustCompile(`(?s){{.*?}}`)
	comments  = regexp.MustCompile(`(?s)<!--.*?-->`)
	scripts   = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>`)
	tags      = regexp.MustCompile(`(?s)<[^>]*>`)
	attrText  = regexp.MustCompile(`(?i)\s(alt|title|placeholder|aria-label|label)="([^"{]*[\p{L}][^"{]*)"`)
	entity    = regexp.MustCompile(`&[a-zA-Z#0-9]+;`)
	allowText = regexp.MustCompile(`^(SHA-256|PDF|JPEG|PNG|KZT|UTC|₸|Talap|OK|×|—|·|#|%|:|/|\(|\)|,|\.)+$`)
)

// TestTemplatesHoldNoTextOutsideTheCatalogs: every word a person reads comes from a catalog, so it
// exists in all three languages.
func TestTemplatesHoldNoTextOutsideTheCatalogs(t *testing.T) {
	err := fs.WalkDir(Templates, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := Templates.ReadFile(path)
		if err != nil {
			return err
		}
		src := comments.ReplaceAllString(string(b), " ")
		src = scripts.ReplaceAllString(src, " ")
		for _, m := range attrText.FindAllStringSubmatch(actions.ReplaceAllString(src, "X"), -1) {
			if strings.TrimSpace(strings.ReplaceAll(m[2], "X", "")) != "" && hasLetters(strings.ReplaceAll(m[2], "X", "")) {
				t.Errorf("%s: attribute %s has text outside the catalogs: %q", path, m[1], m[2])
			}
		}
		text := tags.ReplaceAllString(actions.ReplaceAllString(src, " "), "\n")
		text = entity.ReplaceAllString(text, " ")
		for _, line := range strings.Split(text, "\n") {
			for _, word := range strings.Fields(line) {
				if hasLetters(word) && !allowText.MatchString(word) {
					t.Errorf("%s: text outside the catalogs: %q", path, strings.TrimSpace(line))
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func hasLetters(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
