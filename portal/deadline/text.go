package deadline

// Plain-words explanations in Kazakh, Russian and English. The Kazakh and Russian wording is
// Talap's and should be reviewed by a native-speaking lawyer. Dates are written 2006-01-02 in
// English and 02.01.2006 in Kazakh and Russian; Kazakh sentences keep dates free of case endings.

import (
	"fmt"
	"strings"
	"time"

	"talap/portal/lang"
)

type docKind int

const (
	claimDoc     docKind = iota // the administrative claim (иск)
	complaintDoc                // the pre-trial complaint (жалоба)
)

// facts is everything an explanation says.
type facts struct {
	rule            Rule
	event           time.Time  // clock-starting event
	raw             time.Time  // last day before moving off a non-working day
	last            time.Time  // last day
	provisionalYear int        // year missing from the calendar, if LastDay is provisional
	holiday         *lang.Text // holiday on raw, if raw was moved and is a holiday
	filed           time.Time  // filing date, zero if not filed
	daysLate        int
	doc             docKind
	deemed          *deemed
}

func isoDate(t time.Time) string { return t.Format("2006-01-02") }
func dotDate(t time.Time) string { return t.Format("02.01.2006") }

// ruPlural picks the Russian form for n: one (1, 21), few (2-4, 22-24), many (5-20, 25-30).
func ruPlural(n int, one, few, many string) string {
	n10, n100 := n%10, n%100
	switch {
	case n10 == 1 && n100 != 11:
		return one
	case n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14):
		return few
	}
	return many
}

func enPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func periodWords(p Period) lang.Text {
	n := p.N
	switch p.Unit {
	case Months:
		return lang.Text{
			KK: fmt.Sprintf("%d айлық мерзім", n),
			RU: fmt.Sprintf("Срок в %d %s", n, ruPlural(n, "месяц", "месяца", "месяцев")),
			EN: fmt.Sprintf("%d-month period", n),
		}
	case Years:
		return lang.Text{
			KK: fmt.Sprintf("%d жылдық мерзім", n),
			RU: fmt.Sprintf("Срок в %d %s", n, ruPlural(n, "год", "года", "лет")),
			EN: fmt.Sprintf("%d-year period", n),
		}
	case WorkingDays:
		return lang.Text{
			KK: fmt.Sprintf("%d жұмыс күндік мерзім", n),
			RU: fmt.Sprintf("Срок в %d %s", n, ruPlural(n, "рабочий день", "рабочих дня", "рабочих дней")),
			EN: fmt.Sprintf("%d-working-day period", n),
		}
	default:
		return lang.Text{
			KK: fmt.Sprintf("%d күндік мерзім", n),
			RU: fmt.Sprintf("Срок в %d %s", n, ruPlural(n, "день", "дня", "дней")),
			EN: fmt.Sprintf("%d-day period", n),
		}
	}
}

// startWords describes the day the period runs from: the day after the event on date.
func startWords(c ClockStart, event time.Time) lang.Text {
	kk, ru := dotDate(event), dotDate(event)
	en := isoDate(event)
	switch c {
	case ComplaintDecisionDelivered:
		return lang.Text{
			KK: "шағым бойынша шешім тапсырылған күннің (" + kk + ") келесі күні",
			RU: "следующий день после вручения решения по жалобе " + ru,
			EN: "the day after the complaint decision was received on " + en,
		}
	case ComplaintBodyDeadlineEnded:
		return lang.Text{
			KK: "шағымды қарау мерзімі аяқталған күннің (" + kk + ") келесі күні",
			RU: "следующий день после истечения срока рассмотрения жалобы " + ru,
			EN: "the day after the complaint body's deadline ended on " + en,
		}
	case ActDelivered:
		return lang.Text{
			KK: "әкімшілік акт тапсырылған немесе хабарланған күннің (" + kk + ") келесі күні",
			RU: "следующий день после вручения или доведения до сведения административного акта " + ru,
			EN: "the day after the act was delivered or made known on " + en,
		}
	case ActionLearned:
		return lang.Text{
			KK: "талап қоюшы әрекет туралы білген (немесе оны жасау мерзімі өткен) күннің (" + kk + ") келесі күні",
			RU: "следующий день после того, как истцу стало известно о действии (или истёк срок его совершения), — " + ru,
			EN: "the day after the claimant learned of the action (or the period for it ended) on " + en,
		}
	case RelationshipArose:
		return lang.Text{
			KK: "құқықтық қатынас пайда болған күннің (" + kk + ") келесі күні",
			RU: "следующий день после возникновения правоотношения " + ru,
			EN: "the day after the legal relationship arose on " + en,
		}
	default: // ActLearned
		return lang.Text{
			KK: "әкімшілік акт туралы белгілі болған күннің (" + kk + ") келесі күні",
			RU: "следующий день после того, как стало известно об административном акте, — " + ru,
			EN: "the day after the act became known on " + en,
		}
	}
}

func explain(f facts) lang.Text {
	var kk, ru, en []string
	add := func(t lang.Text) {
		kk, ru, en = append(kk, t.KK), append(ru, t.RU), append(en, t.EN)
	}
	if d := f.deemed; d != nil {
		add(deemedWords(d, f.event))
	}

	from := f.event.AddDate(0, 0, 1)
	pw, sw, cite := periodWords(f.rule.Period), startWords(f.rule.ClockStart, f.event), f.rule.Cite
	add(lang.Text{
		KK: fmt.Sprintf("%s бойынша %s: басталуы — %s (%s), соңғы күні — %s.", cite.KK, pw.KK, dotDate(from), sw.KK, dotDate(f.last)),
		RU: fmt.Sprintf("%s по %s исчисляется с %s (%s); последний день срока — %s.", pw.RU, cite.RU, dotDate(from), sw.RU, dotDate(f.last)),
		EN: fmt.Sprintf("The %s of %s runs from %s (%s); its last day is %s.", pw.EN, cite.EN, isoDate(from), sw.EN, isoDate(f.last)),
	})

	if !f.last.Equal(f.raw) {
		var hk, hr, he string
		switch {
		case f.holiday != nil:
			hk, hr, he = " ("+f.holiday.KK+")", " ("+f.holiday.RU+")", " ("+f.holiday.EN+")"
		case f.raw.Weekday() == time.Saturday:
			hk, hr, he = " (сенбі)", " (суббота)", " (Saturday)"
		case f.raw.Weekday() == time.Sunday:
			hk, hr, he = " (жексенбі)", " (воскресенье)", " (Sunday)"
		}
		add(lang.Text{
			KK: fmt.Sprintf("Мерзім %s аяқталуы тиіс еді, бірақ бұл жұмыс күні емес%s, сондықтан мерзімнің соңы келесі жұмыс күніне ауысады (АПК 122-123-баптары).", dotDate(f.raw), hk),
			RU: fmt.Sprintf("Срок истекал бы %s, но это нерабочий день%s, поэтому окончание срока переносится на следующий рабочий день (ст. 122-123 ГПК).", dotDate(f.raw), hr),
			EN: fmt.Sprintf("The period would have ended on %s, a non-working day%s, so it moves to the next working day (Civil Procedure Code Arts. 122-123).", isoDate(f.raw), he),
		})
	}

	if y := f.provisionalYear; y != 0 {
		add(lang.Text{
			KK: fmt.Sprintf("%d жылдың жұмыс күндері күнтізбесі әлі енгізілмеген, сондықтан соңғы күн тек күнтізбелік күн бойынша көрсетілген; ол жұмыс күні емес болып шықса, мерзім келесі жұмыс күні аяқталады.", y),
			RU: fmt.Sprintf("Производственный календарь на %d год ещё не загружен, поэтому последний день указан по календарной дате; если он окажется нерабочим, срок оканчивается в следующий рабочий день.", y),
			EN: fmt.Sprintf("The working-day calendar for %d is not loaded yet, so the last day is the plain calendar date; if it turns out to be a non-working day, the period ends on the next working day.", y),
		})
	}

	add(filingWords(f))
	return lang.Text{KK: strings.Join(kk, " "), RU: strings.Join(ru, " "), EN: strings.Join(en, " ")}
}

func deemedWords(d *deemed, end time.Time) lang.Text {
	n := d.days
	t := lang.Text{
		KK: fmt.Sprintf("Шағым бойынша шешімнің күні көрсетілмеген, сондықтан шағымды қарау мерзімі өткенде шағым қанағаттандырылмады деп есептеледі (ӘРПК 100-бабының 5-бөлігі, 136-бабының 6-бөлігі): шағым берілген күннен (%s) кейінгі %d-жұмыс күні, яғни %s.",
			dotDate(d.complaintFiled), n, dotDate(end)),
		RU: fmt.Sprintf("Дата решения по жалобе не указана, поэтому жалоба считается отклонённой по истечении срока её рассмотрения (ч. 5 ст. 100, ч. 6 ст. 136 АППК): %d-й рабочий день после подачи жалобы %s, то есть %s.",
			n, dotDate(d.complaintFiled), dotDate(end)),
		EN: fmt.Sprintf("No date of a decision on the pre-trial complaint was given, so the complaint counts as refused when the complaint body's own deadline ends (APPK Arts. 100(5), 136(6)): %d working %s after the complaint was filed on %s, that is %s.",
			n, enPlural(n, "day", "days"), isoDate(d.complaintFiled), isoDate(end)),
	}
	if d.defaulted {
		t.KK += fmt.Sprintf(" %d жұмыс күні (ӘРПК 99-бабы, 2022 жылғы редакция бойынша) және оны шағым берілген күннен санау — Talap тексермеген болжам; шағымды қарау мерзімі басқа болса, оны көрсетіңіз.", n)
		t.RU += fmt.Sprintf(" Срок в %d %s (ст. 99 АППК в редакции 2022 года) и его отсчёт со дня подачи жалобы — допущения Talap, не проверенные; если срок рассмотрения жалобы другой, укажите его.", n, ruPlural(n, "рабочий день", "рабочих дня", "рабочих дней"))
		t.EN += fmt.Sprintf(" The %d-working-day figure (APPK Art. 99 as read from a 2022 text) and counting it from the filing date are assumptions Talap has not verified; if the complaint body's deadline is different, enter it.", n)
	}
	return t
}

func filingWords(f facts) lang.Text {
	last := f.last
	if f.doc == complaintDoc {
		switch {
		case f.filed.IsZero():
			return lang.Text{
				KK: fmt.Sprintf("Шағым %s күнінен кешіктірілмей берілсе, мерзімінде берілген болып саналады.", dotDate(last)),
				RU: fmt.Sprintf("Жалоба, поданная не позднее %s, подана в срок.", dotDate(last)),
				EN: fmt.Sprintf("A complaint filed by the end of %s is on time.", isoDate(last)),
			}
		case f.daysLate == 0:
			return lang.Text{
				KK: fmt.Sprintf("Шағым мерзімінде берілді (%s).", dotDate(f.filed)),
				RU: fmt.Sprintf("Жалоба подана %s, в пределах срока.", dotDate(f.filed)),
				EN: fmt.Sprintf("The complaint was filed on %s, within the period.", isoDate(f.filed)),
			}
		default:
			n := f.daysLate
			return lang.Text{
				KK: fmt.Sprintf("Шағым %s берілді, мерзімнен %d күн кешіктірілді. Шағымды қарайтын орган дәлелді себеп болса, өтінішхат бойынша мерзімді қалпына келтіре алады (ӘРПК 92-бабының 2-бөлігі); мерзімнің өтуі шағымды қабылдаудан бас тартуға негіз болмайды (ӘРПК 92-бабының 3-бөлігі).", dotDate(f.filed), n),
				RU: fmt.Sprintf("Жалоба подана %s, с пропуском срока на %d %s. Орган, рассматривающий жалобу, может восстановить срок по ходатайству при уважительной причине (ч. 2 ст. 92 АППК); пропуск срока не является основанием для отказа в принятии жалобы (ч. 3 ст. 92 АППК).", dotDate(f.filed), n, ruPlural(n, "день", "дня", "дней")),
				EN: fmt.Sprintf("The complaint was filed on %s, %d %s late. The complaint body may restore the period on a motion showing a good reason (APPK Art. 92(2)); a late complaint is still accepted (APPK Art. 92(3)).", isoDate(f.filed), n, enPlural(n, "day", "days")),
			}
		}
	}
	switch {
	case f.filed.IsZero():
		return lang.Text{
			KK: fmt.Sprintf("Талап қою арызы %s күні Алматы уақытымен сағат 24:00-ге дейін берілсе, мерзімінде берілген болып саналады.", dotDate(last)),
			RU: fmt.Sprintf("Иск, поданный до 24:00 по времени Алматы %s, подан в срок.", dotDate(last)),
			EN: fmt.Sprintf("A claim filed by 24:00 Almaty time on %s is on time.", isoDate(last)),
		}
	case f.daysLate == 0:
		return lang.Text{
			KK: fmt.Sprintf("Талап қою арызы мерзімінде берілді (%s).", dotDate(f.filed)),
			RU: fmt.Sprintf("Иск подан %s, в пределах срока.", dotDate(f.filed)),
			EN: fmt.Sprintf("The claim was filed on %s, within the period.", isoDate(f.filed)),
		}
	default:
		n := f.daysLate
		return lang.Text{
			KK: fmt.Sprintf("Талап қою арызы %s берілді, мерзімнен %d күн кешіктірілді. Мерзімді қалпына келтіру туралы өтінішхат қажет (ӘРПК 136-бабының 7-бөлігі); мәселені сот шешеді.", dotDate(f.filed), n),
			RU: fmt.Sprintf("Иск подан %s, с пропуском срока на %d %s. Нужно ходатайство о восстановлении срока (ч. 7 ст. 136 АППК); решение принимает суд.", dotDate(f.filed), n, ruPlural(n, "день", "дня", "дней")),
			EN: fmt.Sprintf("The claim was filed on %s, %d %s late. A motion to restore the period is needed (APPK Art. 136(7)); the court decides.", isoDate(f.filed), n, enPlural(n, "day", "days")),
		}
	}
}

func explainPretrialMissing(complaintDue *Result) lang.Text {
	t := lang.Text{
		KK: "Сотқа дейінгі шағым берілмеген және сотқа дейінгі тәртіптен босату туралы мәлімделмеген. Заңда өзгеше көзделмесе, сотқа сотқа дейінгі шағымнан кейін жүгінеді (ӘРПК 91-бабының 5-бөлігі); шағым беру мүмкіндігі жойылмаған кезде сот талап қою арызын қайтара алады (ӘРПК 138-бабы 2-бөлігінің 1) тармақшасы). Талап қоюдың 1 айлық мерзімі шағым бойынша шешімнен кейін ғана басталады (ӘРПК 136-бабының 1-бөлігі).",
		RU: "Досудебная жалоба не подавалась, освобождение от досудебного порядка не заявлено. Если законом не предусмотрено иное, обращение в суд допускается после досудебного обжалования (ч. 5 ст. 91 АППК); пока такая возможность не утрачена, суд может вернуть иск (подп. 1 ч. 2 ст. 138 АППК). Месячный срок на подачу иска начинает течь только после решения по жалобе (ч. 1 ст. 136 АППК).",
		EN: "No pre-trial complaint was filed and no exemption was claimed. Unless a law says otherwise, a claim goes to court after a pre-trial complaint (APPK Art. 91(5)); while a complaint is still possible the court may return the claim (APPK Art. 138(2)(1)). The 1-month filing period starts only once the complaint is decided (APPK Art. 136(1)).",
	}
	if r := complaintDue; r != nil {
		t.KK += fmt.Sprintf(" Шағымның өзін беру мерзімінің соңғы күні — %s (3 ай, ӘРПК 92-бабының 1-бөлігі).", dotDate(r.LastDay))
		t.RU += fmt.Sprintf(" Последний день для подачи самой жалобы — %s (3 месяца, ч. 1 ст. 92 АППК).", dotDate(r.LastDay))
		t.EN += fmt.Sprintf(" The last day for the complaint itself is %s (3 months, APPK Art. 92(1)).", isoDate(r.LastDay))
		if r.Provisional {
			t.KK += " Бұл күн алдын ала есептелген."
			t.RU += " Эта дата предварительная."
			t.EN += " That date is provisional."
		}
	}
	return t
}
