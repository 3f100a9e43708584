package locale

import (
	"testing"

	"talap/portal/lang"
)

func newTranslator(t *testing.T) *Translator {
	t.Helper()
	tr, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestT(t *testing.T) {
	tr := newTranslator(t)
	tests := []struct {
		l, id string
		pairs []any
		want  string
	}{
		{"en", "category.land", nil, "Land"},
		{"kk", "category.land", nil, "Жер"},
		{"de", "category.land", nil, "Земля"}, // an unknown language falls back to Russian
		{"en", "receipt.page", []any{"Page", 1, "Pages", 2}, "Page 1 of 2"},
		{"en", "no.such.message", nil, "no.such.message"},
		// A Msg or a lang.Text given as data is put in the same language first.
		{"ru", "routing.skip_note", []any{"Called", M("routing.called.act_abroad"), "Reason", M("routing.skip.exception", "KATO", "75")},
			"Оспариваемый акт принят за рубежом, но это правило не действует на этой территории (КАТО 75), поэтому применено следующее правило."},
		{"kk", "receipt.page", []any{"Page", lang.Text{KK: "бір", RU: "один", EN: "one"}, "Pages", 3}, "Бет бір / 3"},
	}
	for _, tt := range tests {
		if got := tr.T(tt.l, tt.id, tt.pairs...); got != tt.want {
			t.Errorf("T(%s, %s) = %q, want %q", tt.l, tt.id, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	tr := newTranslator(t)
	want := lang.Text{KK: "Бет 2 / 5", RU: "Страница 2 из 5", EN: "Page 2 of 5"}
	if got := tr.Text("receipt.page", "Page", 2, "Pages", 5); got != want {
		t.Errorf("Text = %+v, want %+v", got, want)
	}
	if got := Text("receipt.page", "Page", 2, "Pages", 5); got != want {
		t.Errorf("package Text = %+v, want %+v", got, want)
	}
	if first, second := Shared(), Shared(); first != second {
		t.Error("Shared loads the catalogs more than once")
	}
}

func TestHas(t *testing.T) {
	tr := newTranslator(t)
	for _, l := range lang.Supported {
		if !tr.Has(l, "category.land") {
			t.Errorf("Has(%s, category.land) = false", l)
		}
		if tr.Has(l, "no.such.message") {
			t.Errorf("Has(%s, no.such.message) = true", l)
		}
	}
	if tr.Has("de", "category.land") {
		t.Error("Has(de, …) = true")
	}
}
