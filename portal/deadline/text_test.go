package deadline

import (
	"testing"

	"talap/portal/lang"
	"talap/portal/locale"
)

// Every catalog message the explanations are worded with exists in all three catalogs: each rule's
// citation and explanation, each unit's period and counted noun in every plural category, each
// clock start, and the fixed sentences.
func TestCatalogHoldsDeadlineTexts(t *testing.T) {
	tr := locale.Shared()
	ids := []string{"deadline.period_runs", "deadline.moved", "deadline.weekday.saturday", "deadline.weekday.sunday",
		"deadline.provisional_year", "deadline.deemed", "deadline.deemed_default", "deadline.pretrial_missing",
		"deadline.pretrial_missing.complaint_due", "deadline.pretrial_missing.provisional"}
	for _, r := range table {
		ids = append(ids, "deadline.cite."+r.cite, "deadline.rule."+r.id)
	}
	for _, u := range []Unit{Months, Years, Days, WorkingDays} {
		ids = append(ids, "deadline.period."+string(u))
		for _, cat := range []string{"one", "few", "many", "other"} {
			ids = append(ids, "deadline.count."+string(u)+"."+cat)
		}
	}
	for _, c := range []ClockStart{ComplaintDecisionDelivered, ComplaintBodyDeadlineEnded, ActDelivered, ActionLearned, RelationshipArose, ActLearned} {
		ids = append(ids, "deadline.start."+string(c))
	}
	for _, doc := range []string{"claim", "complaint"} {
		for _, state := range []string{"open", "on_time", "late"} {
			ids = append(ids, "deadline.filing."+doc+"."+state)
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

// Each rule cites its APPK article and paragraph, in all three languages.
func TestRuleCitations(t *testing.T) {
	tests := []struct {
		id, article string
		cite        lang.Text
	}{
		{RuleComplaintDecision, "APPK Art. 136(1)", lang.Text{KK: "ӘРПК 136-бабының 1-бөлігі", RU: "ч. 1 ст. 136 АППК", EN: "APPK Art. 136(1)"}},
		{RuleNoPretrial, "APPK Art. 136(1) para. 2", lang.Text{KK: "ӘРПК 136-бабы 1-бөлігінің екінші абзацы", RU: "ч. 1 ст. 136 АППК (второй абзац)", EN: "APPK Art. 136(1) para. 2"}},
		{RuleAction, "APPK Art. 136(2)", lang.Text{KK: "ӘРПК 136-бабының 2-бөлігі", RU: "ч. 2 ст. 136 АППК", EN: "APPK Art. 136(2)"}},
		{RuleRecognition, "APPK Art. 136(3)", lang.Text{KK: "ӘРПК 136-бабының 3-бөлігі", RU: "ч. 3 ст. 136 АППК", EN: "APPK Art. 136(3)"}},
		{RuleActionComplaintDecision, "APPK Art. 136(6)", lang.Text{KK: "ӘРПК 136-бабының 6-бөлігі", RU: "ч. 6 ст. 136 АППК", EN: "APPK Art. 136(6)"}},
		{RuleDeemedRefusal, "APPK Art. 136(6)", lang.Text{KK: "ӘРПК 136-бабының 6-бөлігі", RU: "ч. 6 ст. 136 АППК", EN: "APPK Art. 136(6)"}},
		{RulePretrialMissing, "APPK Art. 91(5)", lang.Text{KK: "ӘРПК 91-бабының 5-бөлігі", RU: "ч. 5 ст. 91 АППК", EN: "APPK Art. 91(5)"}},
		{RulePretrialComplaint, "APPK Art. 92(1)", lang.Text{KK: "ӘРПК 92-бабының 1-бөлігі", RU: "ч. 1 ст. 92 АППК", EN: "APPK Art. 92(1)"}},
	}
	if len(tests) != len(Rules()) {
		t.Errorf("%d cases for %d rules", len(tests), len(Rules()))
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			r, ok := RuleByID(tt.id)
			if !ok {
				t.Fatal("no such rule")
			}
			if r.Article != tt.article || r.Cite != tt.cite {
				t.Errorf("article %q, cite %+v; want %q, %+v", r.Article, r.Cite, tt.article, tt.cite)
			}
		})
	}
}

// A number of days, months or years takes the plural form of each language: Russian one, few and
// many; English one and other; Kazakh none.
func TestCount(t *testing.T) {
	tests := []struct {
		unit Unit
		n    int
		want lang.Text
	}{
		{Days, 1, lang.Text{KK: "1 күн", RU: "1 день", EN: "1 day"}},
		{Days, 2, lang.Text{KK: "2 күн", RU: "2 дня", EN: "2 days"}},
		{Days, 11, lang.Text{KK: "11 күн", RU: "11 дней", EN: "11 days"}},
		{Days, 21, lang.Text{KK: "21 күн", RU: "21 день", EN: "21 days"}},
		{Days, 0, lang.Text{KK: "0 күн", RU: "0 дней", EN: "0 days"}},
		{WorkingDays, 20, lang.Text{KK: "20 жұмыс күні", RU: "20 рабочих дней", EN: "20 working days"}},
		{WorkingDays, 22, lang.Text{KK: "22 жұмыс күні", RU: "22 рабочих дня", EN: "22 working days"}},
		{Months, 1, lang.Text{KK: "1 ай", RU: "1 месяц", EN: "1 month"}},
		{Months, 3, lang.Text{KK: "3 ай", RU: "3 месяца", EN: "3 months"}},
		{Years, 5, lang.Text{KK: "5 жыл", RU: "5 лет", EN: "5 years"}},
		{"fortnights", 5, lang.Text{KK: "5 күн", RU: "5 дней", EN: "5 days"}}, // any other unit is worded as days
	}
	for _, tt := range tests {
		if got := count(tt.unit, tt.n); got != tt.want {
			t.Errorf("count(%s, %d) = %+v, want %+v", tt.unit, tt.n, got, tt.want)
		}
	}
}

// The wording of stored explanations, pinned in all three languages: a deemed refusal with the
// default complaint-body period, a last day moved off a Sunday and a late claim; a late complaint;
// a missing pre-trial complaint whose own last day is provisional.
func TestDeadlineWording(t *testing.T) {
	cal := loadCal(t)
	tests := []struct {
		name string
		run  func() (Result, error)
		want lang.Text
	}{
		{
			name: "deemed refusal, moved off a Sunday, late",
			run: func() (Result, error) {
				return FilingDeadline(cal, Input{Kind: KindChallenge, PretrialFiledOn: ptr("2026-03-02"), FiledAt: at(2026, 5, 20, 10, 0)})
			},
			want: lang.Text{
				KK: "Шағым бойынша шешімнің күні көрсетілмеген, сондықтан шағымды қарау мерзімі өткенде шағым қанағаттандырылмады деп есептеледі (ӘРПК 100-бабының 5-бөлігі, 136-бабының 6-бөлігі): шағым берілген күннен (02.03.2026) кейінгі 20-жұмыс күні, яғни 03.04.2026. 20 жұмыс күні (ӘРПК 99-бабы, 2022 жылғы редакция бойынша) және оны шағым берілген күннен санау — Talap тексермеген болжам; шағым бойынша шешім алған болсаңыз, оны алған күнді көрсетіңіз. ӘРПК 136-бабының 6-бөлігі бойынша 1 айлық мерзім: басталуы — 04.04.2026 (шағымды қарау мерзімі аяқталған күннің (03.04.2026) келесі күні), соңғы күні — 04.05.2026. Мерзім 03.05.2026 аяқталуы тиіс еді, бірақ бұл жұмыс күні емес (жексенбі), сондықтан мерзімнің соңы келесі жұмыс күніне ауысады (АПК 122-123-баптары). Талап қою арызы 20.05.2026 берілді, мерзімнен 16 күн кешіктірілді. Мерзімді қалпына келтіру туралы өтінішхат қажет (ӘРПК 136-бабының 7-бөлігі); мәселені сот шешеді.",
				RU: "Дата решения по жалобе не указана, поэтому жалоба считается отклонённой по истечении срока её рассмотрения (ч. 5 ст. 100, ч. 6 ст. 136 АППК): 20-й рабочий день после подачи жалобы 02.03.2026, то есть 03.04.2026. Срок в 20 рабочих дней (ст. 99 АППК в редакции 2022 года) и его отсчёт со дня подачи жалобы — допущения Talap, не проверенные; если вы получили решение по жалобе, укажите дату его получения. Срок в 1 месяц по ч. 6 ст. 136 АППК исчисляется с 04.04.2026 (следующий день после истечения срока рассмотрения жалобы 03.04.2026); последний день срока — 04.05.2026. Срок истекал бы 03.05.2026, но это нерабочий день (воскресенье), поэтому окончание срока переносится на следующий рабочий день (ст. 122-123 ГПК). Иск подан 20.05.2026, с пропуском срока на 16 дней. Нужно ходатайство о восстановлении срока (ч. 7 ст. 136 АППК); решение принимает суд.",
				EN: "No date of a decision on the pre-trial complaint was given, so the complaint counts as refused when the complaint body's own deadline ends (APPK Arts. 100(5), 136(6)): 20 working days after the complaint was filed on 2026-03-02, that is 2026-04-03. The 20-working-day figure (APPK Art. 99 as read from a 2022 text) and counting it from the filing date are assumptions Talap has not verified; if you received the complaint body's decision, enter the date you received it. The 1-month period of APPK Art. 136(6) runs from 2026-04-04 (the day after the complaint body's deadline ended on 2026-04-03); its last day is 2026-05-04. The period would have ended on 2026-05-03, a non-working day (Sunday), so it moves to the next working day (Civil Procedure Code Arts. 122-123). The claim was filed on 2026-05-20, 16 days late. A motion to restore the period is needed (APPK Art. 136(7)); the court decides.",
			},
		},
		{
			name: "late pre-trial complaint",
			run:  func() (Result, error) { return PretrialComplaintDeadline(cal, day("2026-01-07"), day("2026-05-01")) },
			want: lang.Text{
				KK: "ӘРПК 92-бабының 1-бөлігі бойынша 3 айлық мерзім: басталуы — 08.01.2026 (әкімшілік акт туралы белгілі болған күннің (07.01.2026) келесі күні), соңғы күні — 07.04.2026. Шағым 01.05.2026 берілді, мерзімнен 24 күн кешіктірілді. Шағымды қарайтын орган дәлелді себеп болса, өтінішхат бойынша мерзімді қалпына келтіре алады (ӘРПК 92-бабының 2-бөлігі); мерзімнің өтуі шағымды қабылдаудан бас тартуға негіз болмайды (ӘРПК 92-бабының 3-бөлігі).",
				RU: "Срок в 3 месяца по ч. 1 ст. 92 АППК исчисляется с 08.01.2026 (следующий день после того, как стало известно об административном акте, — 07.01.2026); последний день срока — 07.04.2026. Жалоба подана 01.05.2026, с пропуском срока на 24 дня. Орган, рассматривающий жалобу, может восстановить срок по ходатайству при уважительной причине (ч. 2 ст. 92 АППК); пропуск срока не является основанием для отказа в принятии жалобы (ч. 3 ст. 92 АППК).",
				EN: "The 3-month period of APPK Art. 92(1) runs from 2026-01-08 (the day after the act became known on 2026-01-07); its last day is 2026-04-07. The complaint was filed on 2026-05-01, 24 days late. The complaint body may restore the period on a motion showing a good reason (APPK Art. 92(2)); a late complaint is still accepted (APPK Art. 92(3)).",
			},
		},
		{
			name: "pre-trial complaint missing, its last day provisional",
			run: func() (Result, error) {
				return FilingDeadline(cal, Input{Kind: KindChallenge, ActReceivedOn: ptr("2028-11-15")})
			},
			want: lang.Text{
				KK: "Сотқа дейінгі шағым берілмеген және сотқа дейінгі тәртіптен босату туралы мәлімделмеген. Заңда өзгеше көзделмесе, сотқа сотқа дейінгі шағымнан кейін жүгінеді (ӘРПК 91-бабының 5-бөлігі); шағым беру мүмкіндігі жойылмаған кезде сот талап қою арызын қайтара алады (ӘРПК 138-бабы 2-бөлігінің 1) тармақшасы). Талап қоюдың 1 айлық мерзімі шағым бойынша шешімнен кейін ғана басталады (ӘРПК 136-бабының 1-бөлігі). Шағымның өзін беру мерзімінің соңғы күні — 15.02.2029 (3 ай, ӘРПК 92-бабының 1-бөлігі). Бұл күн алдын ала есептелген.",
				RU: "Досудебная жалоба не подавалась, освобождение от досудебного порядка не заявлено. Если законом не предусмотрено иное, обращение в суд допускается после досудебного обжалования (ч. 5 ст. 91 АППК); пока такая возможность не утрачена, суд может вернуть иск (подп. 1 ч. 2 ст. 138 АППК). Месячный срок на подачу иска начинает течь только после решения по жалобе (ч. 1 ст. 136 АППК). Последний день для подачи самой жалобы — 15.02.2029 (3 месяца, ч. 1 ст. 92 АППК). Эта дата предварительная.",
				EN: "No pre-trial complaint was filed and no exemption was claimed. Unless a law says otherwise, a claim goes to court after a pre-trial complaint (APPK Art. 91(5)); while a complaint is still possible the court may return the claim (APPK Art. 138(2)(1)). The 1-month filing period starts only once the complaint is decided (APPK Art. 136(1)). The last day for the complaint itself is 2029-02-15 (3 months, APPK Art. 92(1)). That date is provisional.",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.run()
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lang.Supported {
				if got.Explanation.In(l) != tt.want.In(l) {
					t.Errorf("%s:\n got %s\nwant %s", l, got.Explanation.In(l), tt.want.In(l))
				}
			}
		})
	}
}
