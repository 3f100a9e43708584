package receipt

import (
	"strconv"
	"strings"
)

// Translate gives the receipt its words: the catalog message id in language lang, with template
// data given as key, value pairs. (*locale.Translator).T is one. A message it does not have must
// come back as its id, as T's does.
type Translate func(lang, id string, pairs ...any) string

// words are the receipt's texts in one language, from the catalogs' receipt.* messages.
type words struct {
	t    Translate
	lang string
}

// get returns the message receipt.<id>.
func (w words) get(id string, pairs ...any) string { return w.t(w.lang, "receipt."+id, pairs...) }

// code names a claim's category or kind by its catalog message <prefix>.<code> (category.land,
// kind.challenge); a code the catalogs do not know is printed as it is.
func (w words) code(prefix, code string) string {
	if code == "" {
		return ""
	}
	id := prefix + "." + code
	if s := w.t(w.lang, id); s != id {
		return s
	}
	return code
}

// sizeUnits are the receipt.size.* messages, from bytes up.
var sizeUnits = [...]string{"b", "kb", "mb", "gb"}

// humanSize writes n bytes in the largest binary unit that keeps the number at least 1.
func humanSize(n int64, w words) string {
	if n < 1024 {
		return w.get("size."+sizeUnits[0], "N", strconv.FormatInt(n, 10))
	}
	v, i := float64(n), 0
	for v >= 1024 && i < len(sizeUnits)-1 {
		v /= 1024
		i++
	}
	if v >= 1023.95 && i < len(sizeUnits)-1 { // would print as 1024,0
		v /= 1024
		i++
	}
	prec := 1
	if v >= 100 {
		prec = 0
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	return w.get("size."+sizeUnits[i], "N", strings.Replace(s, ".", w.get("decimal_separator"), 1))
}
