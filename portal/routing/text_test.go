package routing

import (
	"errors"
	"testing"

	"talap/portal/lang"
	"talap/portal/locale"
)

// Every catalog message routing words its explanations with exists in all three catalogs, for
// every rule that can be skipped or can find no capital court.
func TestCatalogHoldsRoutingTexts(t *testing.T) {
	tr := locale.Shared()
	ids := []string{"routing.skip_note", "routing.capital_missing", "routing.respondent_unknown",
		"routing.respondent_not_covered", "routing.admin_will_assign"}
	for _, why := range []string{SkipDisabled, SkipNoKATO, SkipException, SkipNotCovered} {
		ids = append(ids, "routing.skip."+why)
	}
	for id, kind := range ruleKind {
		if kind != kindRespondent { // every rule but the default can be called for and skipped
			ids = append(ids, "routing.called."+id)
		}
		if kind == kindCapital {
			ids = append(ids, "routing.basis."+id)
		}
	}
	for _, id := range ids {
		for _, l := range lang.Supported {
			if !tr.Has(l, id) {
				t.Errorf("%s.json lacks %s", l, id)
			}
		}
	}
}

// The wording of the stored explanations, pinned in all three languages.
func TestRoutingWording(t *testing.T) {
	def := loadRules(t)
	tests := []struct {
		name  string
		rules Rules
		in    Input
		want  lang.Text // the whole reason, or the skip notes added to the explanation
	}{
		{
			name:  "residence not covered, then the respondent's court",
			rules: def,
			in:    Input{HearAtResidence: true, ResidenceKATO: katoNowhere, RespondentKATO: katoKaraganda},
			want: lang.Text{
				KK: "Сіз талапты тұрғылықты жеріңіздегі сотта қарауды сұрадыңыз, бірақ тізілімдегі бірде-бір сот ӘАОЖ 990000000 аумағын қамтымайды, сондықтан келесі ереже қолданылды.",
				RU: "Вы попросили рассмотреть иск по месту вашего жительства, но ни один суд в реестре не охватывает территорию КАТО 990000000, поэтому применено следующее правило.",
				EN: "You asked for the court of your place of residence, but no court in the registry covers KATO 990000000, so the next rule was used.",
			},
		},
		{
			name:  "electronic act without a residence",
			rules: def,
			in:    Input{ActElectronic: true, RespondentKATO: katoKaraganda},
			want: lang.Text{
				KK: "Сіз дау айтып отырған акт электрондық құжат нысанында қабылданған, бірақ орны (ӘАОЖ коды) көрсетілмеген, сондықтан келесі ереже қолданылды.",
				RU: "Оспариваемый акт принят в форме электронного документа, но место (код КАТО) не указано, поэтому применено следующее правило.",
				EN: "The act you are challenging was issued as an electronic document, but the place (KATO code) was not given, so the next rule was used.",
			},
		},
		{
			name:  "capital court missing",
			rules: func() Rules { r := def; r.CapitalCourtID = "smas-nowhere"; return r }(),
			in:    Input{ActAbroad: true, RespondentKATO: katoKaraganda},
			want: lang.Text{
				KK: `Сіз дау айтып отырған акт шетелде қабылданған, сондықтан талапты елордадағы әкімшілік сот қарауы тиіс (ӘРПК 106-бабының 2-бөлігі), бірақ сот тізілімінде "smas-nowhere" сәйкестендіргіші бар сот жоқ. Сотты портал әкімшісі тағайындайды.`,
				RU: `Оспариваемый акт принят за рубежом, поэтому иск должен рассматривать административный суд столицы (ч. 2 ст. 106 АППК), но в реестре судов нет суда с идентификатором "smas-nowhere". Суд назначит администратор портала.`,
				EN: `The act you are challenging was issued abroad, so the claim must go to the administrative court of the capital (APPK Art. 106(2)), but the court registry has no court with the id "smas-nowhere". A portal administrator will assign the court.`,
			},
		},
		{
			name:  "respondent's location unknown, after a switched-off rule",
			rules: with(t, def, RuleInvestmentDispute, off),
			in:    Input{InvestmentDispute: true},
			want: lang.Text{
				KK: "Сотты таңдау мүмкін болмады: жауапкердің орналасқан жері (ӘАОЖ коды) белгісіз. Сотты портал әкімшісі тағайындайды. Сіздің талабыңыз – инвестордың талабы, бірақ Talap қазір сотты осы негіз бойынша таңдамайды, сондықтан келесі ереже қолданылды.",
				RU: "Суд не удалось выбрать: место нахождения ответчика (код КАТО) неизвестно. Суд назначит администратор портала. Ваш иск – иск инвестора, но Talap сейчас не выбирает суд по этому основанию, поэтому применено следующее правило.",
				EN: "No court could be chosen: the respondent's location (KATO code) is not known. A portal administrator will assign the court. Your claim is an investor's claim, but Talap does not currently choose the court on that ground, so the next rule was used.",
			},
		},
		{
			name:  "respondent's location not covered",
			rules: def,
			in:    Input{RespondentKATO: katoNowhere},
			want: lang.Text{
				KK: "Сотты таңдау мүмкін болмады: тізілімдегі бірде-бір сот жауапкердің орналасқан жерін (ӘАОЖ 990000000) қамтымайды. Сотты портал әкімшісі тағайындайды.",
				RU: "Суд не удалось выбрать: ни один суд в реестре не охватывает место нахождения ответчика (КАТО 990000000). Суд назначит администратор портала.",
				EN: "No court could be chosen: no court in the registry covers the respondent's location (KATO 990000000). A portal administrator will assign the court.",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Route(tt.rules, testCourts, tt.in)
			var nc *NoCourtError
			switch {
			case errors.As(err, &nc):
				if nc.Reason != tt.want {
					t.Errorf("Reason =\n%+v\nwant\n%+v", nc.Reason, tt.want)
				}
			case err != nil:
				t.Fatal(err)
			default:
				if len(d.Skipped) != 1 || d.Skipped[0].Note != tt.want {
					t.Fatalf("Skipped = %+v, want one note %+v", d.Skipped, tt.want)
				}
			}
		})
	}
}
