package lang

import "testing"

func TestFromAcceptLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"":                        "ru",
		"kk-KZ,kk;q=0.9,ru;q=0.8": "kk",
		"en-GB,en;q=0.9":          "en",
		"ru-RU":                   "ru",
		"de-DE":                   "ru",
		"fr;q=0.9, en;q=0.5":      "en",
		"garbage;;;q=x":           "ru",
	} {
		if got := FromAcceptLanguage(header); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestTextFallsBackToRussian(t *testing.T) {
	tx := Text{RU: "суд", EN: "court"}
	if tx.In("kk") != "суд" || tx.In("en") != "court" || tx.In("xx") != "суд" {
		t.Fatalf("unexpected fallback: %q %q %q", tx.In("kk"), tx.In("en"), tx.In("xx"))
	}
}
