package intake

import (
	"testing"
	"time"

	"talap/portal/calendar"
	"talap/portal/claim"
	"talap/portal/lang"
	"talap/portal/locale"
)

// Every problem and flag intake words itself (the others carry the deadline's explanation) has its
// message, intake.<code>, in all three catalogs.
func TestCatalogHoldsIntakeTexts(t *testing.T) {
	tr := locale.Shared()
	for _, code := range []string{"document_missing", "document_changed", "document_type", "duty_unpaid", "deadline_unknown", "duplicate"} {
		for _, l := range lang.Supported {
			if !tr.Has(l, "intake."+code) {
				t.Errorf("%s.json lacks intake.%s", l, code)
			}
		}
	}
}

// The wording of the stored messages that take data, pinned in all three languages.
func TestIntakeWording(t *testing.T) {
	doc := claim.Document{ID: "d1", Name: "акт.gif", ContentType: "image/gif", SHA256: "aa"}
	c := claim.Claim{Documents: []claim.Document{doc}, Draft: claim.Draft{DutyExemption: "disability",
		ContestedAct: claim.Act{Number: "12-3"}}}
	cal, err := calendar.Load()
	if err != nil {
		t.Fatal(err)
	}
	flags := Flags(cal, c, time.Time{}, 0, "TLP-2026-000001")
	tests := []struct {
		name string
		got  []claim.Notice
		want lang.Text
	}{
		{"document changed", Problems(c, map[string]DocCheck{"d1": {SHA256: "bb"}})[:1], lang.Text{
			KK: "«акт.gif» құжаты жүктелгеннен кейін өзгертілген (SHA-256 сәйкес келмейді). Түпнұсқаны қайта жүктеңіз.",
			RU: "Документ «акт.gif» изменён после загрузки (SHA-256 не совпадает). Загрузите оригинал снова.",
			EN: "The document “акт.gif” changed after it was uploaded (its SHA-256 no longer matches). Upload the original again.",
		}},
		{"document type", Problems(c, map[string]DocCheck{"d1": {SHA256: "aa"}}), lang.Text{
			KK: "«акт.gif» құжатының түрі (image/gif) қабылданбайды: тек PDF, JPEG немесе PNG.",
			RU: "Тип документа «акт.gif» (image/gif) не принимается: только PDF, JPEG или PNG.",
			EN: "The document “акт.gif” has a type the court does not accept (image/gif): only PDF, JPEG or PNG.",
		}},
		{"duplicate", flags, lang.Text{
			KK: "Ықтимал қайталама: дәл осы талапкер осы жауапкерге осы акт (№ 12-3) бойынша TLP-2026-000001 талабын бұрын берген.",
			RU: "Возможный повтор: тот же истец уже подал иск TLP-2026-000001 к тому же ответчику по тому же акту (№ 12-3).",
			EN: "Likely duplicate: the same claimant already filed claim TLP-2026-000001 against the same respondent about the same act (No. 12-3).",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.got) != 1 {
				t.Fatalf("%d notices, want 1: %+v", len(tt.got), tt.got)
			}
			if tt.got[0].Message != tt.want {
				t.Errorf("got %+v\nwant %+v", tt.got[0].Message, tt.want)
			}
		})
	}
}
