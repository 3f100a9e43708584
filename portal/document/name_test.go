package document

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanName(t *testing.T) {
	long := strings.Repeat("a", 300) + ".pdf"
	longKazakh := strings.Repeat("Қ", 150) + ".pdf" // 2 bytes per letter
	tests := []struct{ in, want string }{
		{"claim.pdf", "claim.pdf"},
		{"../../etc/passwd", "passwd"},
		{"/etc/passwd", "passwd"},
		{`C:\x\y.pdf`, "y.pdf"},
		{`..\..\windows\system32\cmd.exe`, "cmd.exe"},
		{"dir/sub\\mixed/name.png", "name.png"},
		{"a\x00b.pdf", "ab.pdf"},
		{"a\x07\x1b[31mred\x7f.pdf", "a[31mred.pdf"},
		{"line\nbreak\r\n.pdf", "line break .pdf"},
		{"evil\u202Efdp.exe", "evilfdp.exe"},
		{"\u2066isolate\u2069\u200F.pdf", "isolate.pdf"},
		{"\u202Atxt\u202B\u202C\u202D.pdf", "txt.pdf"},
		{"\uFEFFbom.pdf", "bom.pdf"},
		{".htaccess", "htaccess"},
		{"...hidden.pdf", "hidden.pdf"},
		{" . . .x.pdf", "x.pdf"},
		{"..", "document"},
		{".", "document"},
		{"", "document"},
		{"   ", "document"},
		{"dir/", "document"},
		{"\x00\x01\u202E", "document"},
		{"  many \t\t spaces\u00a0\u3000here .pdf  ", "many spaces here .pdf"},
		{"bad\xff\xfeutf8.pdf", "badutf8.pdf"},
		{"Талап арыз.pdf", "Талап арыз.pdf"},
		{"Сот шешіміне шағым — Әліпбай Ұлан.pdf", "Сот шешіміне шағым — Әліпбай Ұлан.pdf"},
		{"Өтініш №5 (көшірме).jpg", "Өтініш №5 (көшірме).jpg"},
		{"И\u0306ылы.pdf", "Йылы.pdf"}, // decomposed (macOS) input comes out composed
		{long, strings.Repeat("a", MaxNameBytes-4) + ".pdf"},
		{longKazakh, strings.Repeat("Қ", (MaxNameBytes-4)/2) + ".pdf"},
		{strings.Repeat("ә", 300), strings.Repeat("ә", MaxNameBytes/2)},
		{"x" + strings.Repeat("ң", 300), "x" + strings.Repeat("ң", (MaxNameBytes-1)/2)},
	}
	for _, tt := range tests {
		got := CleanName(tt.in)
		if got != tt.want {
			t.Errorf("CleanName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) > MaxNameBytes || !utf8.ValidString(got) || strings.ContainsAny(got, "/\\\x00\u202E") {
			t.Errorf("CleanName(%q) = %q: too long, invalid or unsafe", tt.in, got)
		}
		if again := CleanName(got); again != got {
			t.Errorf("CleanName is not stable: %q -> %q -> %q", tt.in, got, again)
		}
	}
}

func TestCleanNameNeverExceedsTheLimitOnARuneBoundary(t *testing.T) {
	for n := 190; n <= 210; n++ {
		for _, unit := range []string{"a", "ә", "€", "𝄞"} {
			in := strings.Repeat(unit, n)
			got := CleanName(in)
			if len(got) > MaxNameBytes || !utf8.ValidString(got) || !strings.HasPrefix(in, got) {
				t.Errorf("CleanName(%d×%q) = %d bytes, valid %v", n, unit, len(got), utf8.ValidString(got))
			}
		}
	}
}
