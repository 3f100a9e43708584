package document

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxNameBytes is the longest display name CleanName returns, in bytes of UTF-8.
const MaxNameBytes = 200

// CleanName turns the name a browser or program sent for an uploaded file into a name that is
// safe to show: it keeps only the last path element (after the last / or \), drops invalid
// UTF-8, control characters and the invisible bidirectional controls that can make
// "evil\u202Efdp.exe" look like "evilexe.pdf", collapses runs of white space into one space,
// strips leading dots and spaces, normalises to NFC (names typed on macOS arrive decomposed)
// and cuts the result to MaxNameBytes on a character boundary, keeping a short extension.
// An empty result becomes "document".
//
// The name is for display only (lists, receipts, Content-Disposition, which must still be
// encoded by the HTTP layer). Object keys never derive from it.
func CleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(name, "")

	var b strings.Builder
	b.Grow(len(name))
	space := false // a space is pending, written before the next kept character
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r), isBidiControl(r), r == '\uFEFF':
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	name = norm.NFC.String(b.String())
	name = strings.TrimLeft(name, ". ")
	name = truncateName(name, MaxNameBytes)
	if name == "" {
		return "document"
	}
	return name
}

// isBidiControl reports the invisible characters that change the direction text is shown in:
// embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and the directional marks
// (U+200E, U+200F, U+061C).
func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069') ||
		r == '\u200E' || r == '\u200F' || r == '\u061C'
}

// maxExtBytes is the longest ending after the last dot that truncateName keeps as an extension.
const maxExtBytes = 16

// truncateName cuts name to at most max bytes without splitting a character, keeping a short
// extension (".pdf") so that a long name still says what it is.
func truncateName(name string, max int) string {
	if len(name) <= max {
		return name
	}
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= maxExtBytes && !strings.ContainsRune(name[i:], ' ') {
		ext = name[i:]
	}
	stem := cutRunes(name[:len(name)-len(ext)], max-len(ext))
	return strings.TrimRight(stem, " ") + ext
}

// cutRunes returns the longest prefix of s of at most n bytes that ends on a character boundary.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
