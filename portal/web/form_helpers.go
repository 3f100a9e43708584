package web

// Small helpers the claim form's files share.

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"talap/portal/claim"
)

func claimURL(id string) string { return "/claims/" + id }

func stepURL(id, step string) string { return "/claims/" + id + "/step/" + step }

// formFrom says where a step was opened from ("check" when changing an answer there).
func formFrom(c *fiber.Ctx) string {
	if c.Query("from") == "check" || c.FormValue("from") == "check" {
		return "check"
	}
	return ""
}

// formFieldID is the id of a field's control: "contested_act.issued_on" → "f-contested_act-issued_on".
func formFieldID(field string) string { return "f-" + strings.ReplaceAll(field, ".", "-") }

func radioID(field string, i int) string {
	if i == 0 {
		return formFieldID(field)
	}
	return formFieldID(field) + "-" + strconv.Itoa(i+1)
}

func dateValue(d *claim.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func onIf(b bool) string {
	if b {
		return "on"
	}
	return ""
}

func asStrings(v any) []string {
	s, _ := v.([]string)
	return s
}

// formatMoney writes tenge as people read them: "1 297,50 ₸" in Kazakh and Russian, "1,297.50 ₸" in English.
func formatMoney(l string, v float64) string {
	whole := int64(v)
	frac := int64((v-float64(whole))*100 + 0.5)
	sep, dec := "\u00a0", ","
	if l == "en" {
		sep, dec = ",", "."
	}
	digits := strconv.FormatInt(whole, 10)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if frac > 0 {
		b.WriteString(dec)
		if frac < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.FormatInt(frac, 10))
	}
	return b.String() + "\u00a0₸"
}

// formSize writes a file size as people read it: "1,2 МБ", "340 KB", "512 bytes".
func (s *Server) formSize(l string, n int64) string {
	num := func(v float64) string {
		out := strconv.FormatFloat(v, 'f', 1, 64)
		out = strings.TrimSuffix(out, ".0")
		if l != "en" {
			out = strings.ReplaceAll(out, ".", ",")
		}
		return out
	}
	switch {
	case n >= 1<<20:
		return s.tr.T(l, "form.size.mb", "N", num(float64(n)/(1<<20)))
	case n >= 1<<10:
		return s.tr.T(l, "form.size.kb", "N", num(float64(n)/(1<<10)))
	}
	return s.tr.T(l, "form.size.bytes", "N", n)
}
