package routing

import (
	"fmt"
	"strings"

	"talap/portal/court"
	"talap/portal/lang"
)

// Input is what routing needs to know about a claim.
type Input struct {
	Category          string // claims.category: "", "housing", "tax", "land"
	InvestmentDispute bool   // the claimant is an investor (APPK Art. 102(3))
	ActAbroad         bool   // the act was issued abroad (Art. 106(2))
	ActElectronic     bool   // the act was issued as an electronic document (Art. 106(3))
	HearAtResidence   bool   // the claimant asks for the court of their residence (Art. 102)
	ResidenceKATO     string // the claimant's residence (or location)
	PropertyKATO      string // where the land or real estate is
	// RespondentKATO is where the respondent is located, or, for a claim arising from a branch or
	// territorial unit, where that unit is (Art. 106(1)). With several respondents (Art. 107(1))
	// the caller passes the location of the one the claimant chose.
	RespondentKATO string
}

// Decision is the court chosen, by which rule and why.
type Decision struct {
	CourtID     string
	Rule        string    // the id of the rule that decided
	Basis       string    // that rule's legal basis
	KATO        string    // the KATO the rule used; empty for the capital's court
	Explanation lang.Text // for the citizen: the court, the rule, the territory, and any Skipped
	Skipped     []Skip    // earlier rules the claim called for but which could not decide
}

// Why a rule the claim called for did not decide.
const (
	SkipDisabled   = "disabled"    // the rule is switched off
	SkipNoKATO     = "no_kato"     // the KATO the rule needs was not given
	SkipException  = "exception"   // the KATO is in the rule's exceptions
	SkipNotCovered = "not_covered" // no court in the registry covers the KATO
)

// Skip records a rule that the claim called for (the claimant asked for the residence court, the
// act was electronic, the claim is about land, ...) but that did not decide, so a later rule did.
type Skip struct {
	Rule string
	Why  string    // one of the Skip* constants
	KATO string    // the KATO concerned, if any
	Note lang.Text // one sentence for the citizen
}

// NoCourtError means no court in the registry can take the claim; it goes to the administrators'
// queue (claim status "unroutable").
type NoCourtError struct {
	Rule    string    // the rule that needed a court and found none
	Reason  lang.Text // for the citizen and the administrators
	Skipped []Skip    // earlier rules that fell through, as in Decision
}

func (e *NoCourtError) Error() string {
	return "routing: no court: " + e.Reason.EN
}

// Route chooses the court for a claim. It walks the enabled rules in order and the first that
// applies decides:
//   - investment_dispute (Input.InvestmentDispute) and act_abroad (Input.ActAbroad) choose the
//     court with id rules.CapitalCourtID; if courts has no such court the result is *NoCourtError
//     (these rules are exclusive, so Route does not fall through to another court);
//   - claimant_residence (Input.HearAtResidence; Input.ResidenceKATO), property_location
//     (Input.Category == "land"; Input.PropertyKATO) and electronic_act (Input.ActElectronic;
//     Input.ResidenceKATO) choose the court covering their KATO (longest prefix wins). When the
//     KATO is missing, matches one of the rule's exceptions or is covered by no court, the rule
//     falls through to the next one and a Skip is recorded;
//   - respondent_location chooses the court covering Input.RespondentKATO, or returns
//     *NoCourtError.
//
// A rule the claim calls for but which is switched off is also recorded as a Skip. Route never
// returns a court id that is not in courts. Invalid rules give a plain (not *NoCourtError) error.
func Route(rules Rules, courts []court.Court, in Input) (Decision, error) {
	if err := rules.Validate(); err != nil {
		return Decision{}, err
	}
	var skipped []Skip
	for _, r := range rules.List {
		called, kato := calledFor(r.ID, in)
		if !called {
			continue
		}
		if !r.Enabled {
			skipped = append(skipped, skip(r.ID, SkipDisabled, kato))
			continue
		}
		switch ruleKind[r.ID] {
		case kindCapital:
			c, ok := byID(courts, rules.CapitalCourtID)
			if !ok {
				return Decision{}, &NoCourtError{Rule: r.ID, Reason: capitalMissing(r, rules.CapitalCourtID, skipped), Skipped: skipped}
			}
			return decide(r, c, "", "", skipped), nil
		case kindOptional:
			if kato == "" {
				skipped = append(skipped, skip(r.ID, SkipNoKATO, ""))
				continue
			}
			if excepted(r.Exceptions, kato) {
				skipped = append(skipped, skip(r.ID, SkipException, kato))
				continue
			}
			c, prefix, ok := court.Covering(courts, kato)
			if !ok {
				skipped = append(skipped, skip(r.ID, SkipNotCovered, kato))
				continue
			}
			return decide(r, c, kato, prefix, skipped), nil
		default: // respondent_location
			c, prefix, ok := court.Covering(courts, kato)
			if !ok {
				return Decision{}, &NoCourtError{Rule: r.ID, Reason: respondentUncovered(kato, skipped), Skipped: skipped}
			}
			return decide(r, c, kato, prefix, skipped), nil
		}
	}
	// Unreachable: Validate makes respondent_location the last rule, enabled, and it always decides.
	return Decision{}, fmt.Errorf("routing rules: no rule decided")
}

// calledFor reports whether the claim calls for rule id, and the KATO the rule would use.
func calledFor(id string, in Input) (bool, string) {
	switch id {
	case RuleInvestmentDispute:
		return in.InvestmentDispute, ""
	case RuleActAbroad:
		return in.ActAbroad, ""
	case RuleClaimantResidence:
		return in.HearAtResidence, in.ResidenceKATO
	case RulePropertyLocation:
		return in.Category == CategoryLand, in.PropertyKATO
	case RuleElectronicAct:
		return in.ActElectronic, in.ResidenceKATO
	case RuleRespondentLocation:
		return true, in.RespondentKATO
	}
	return false, ""
}

func byID(courts []court.Court, id string) (court.Court, bool) {
	for _, c := range courts {
		if c.ID == id {
			return c, true
		}
	}
	return court.Court{}, false
}

func excepted(exceptions []string, kato string) bool {
	for _, p := range exceptions {
		if p != "" && strings.HasPrefix(kato, p) {
			return true
		}
	}
	return false
}

func decide(r Rule, c court.Court, kato, prefix string, skipped []Skip) Decision {
	fill := func(tpl, name, city string) string {
		return strings.NewReplacer("{court}", name, "{city}", city, "{kato}", kato, "{prefix}", prefix).Replace(tpl)
	}
	ex := lang.Text{
		KK: fill(r.Explanation.KK, c.Name.In("kk"), c.City.In("kk")),
		RU: fill(r.Explanation.RU, c.Name.In("ru"), c.City.In("ru")),
		EN: fill(r.Explanation.EN, c.Name.In("en"), c.City.In("en")),
	}
	return Decision{
		CourtID:     c.ID,
		Rule:        r.ID,
		Basis:       r.Basis,
		KATO:        kato,
		Explanation: withNotes(ex, skipped),
		Skipped:     skipped,
	}
}

// withNotes appends each skipped rule's note to t.
func withNotes(t lang.Text, skipped []Skip) lang.Text {
	for _, s := range skipped {
		t.KK += " " + s.Note.KK
		t.RU += " " + s.Note.RU
		t.EN += " " + s.Note.EN
	}
	return t
}

// calledText says, per rule, what in the claim called for it.
var calledText = map[string]lang.Text{
	RuleInvestmentDispute: {
		KK: "Сіздің талабыңыз – инвестордың талабы",
		RU: "Ваш иск – иск инвестора",
		EN: "Your claim is an investor's claim",
	},
	RuleActAbroad: {
		KK: "Сіз дау айтып отырған акт шетелде қабылданған",
		RU: "Оспариваемый акт принят за рубежом",
		EN: "The act you are challenging was issued abroad",
	},
	RuleClaimantResidence: {
		KK: "Сіз талапты тұрғылықты жеріңіздегі сотта қарауды сұрадыңыз",
		RU: "Вы попросили рассмотреть иск по месту вашего жительства",
		EN: "You asked for the court of your place of residence",
	},
	RulePropertyLocation: {
		KK: "Сіздің талабыңыз жерге немесе жылжымайтын мүлікке қатысты",
		RU: "Ваш иск касается земли или недвижимости",
		EN: "Your claim concerns land or real estate",
	},
	RuleElectronicAct: {
		KK: "Сіз дау айтып отырған акт электрондық құжат нысанында қабылданған",
		RU: "Оспариваемый акт принят в форме электронного документа",
		EN: "The act you are challenging was issued as an electronic document",
	},
}

func skip(id, why, kato string) Skip {
	var reason lang.Text
	switch why {
	case SkipDisabled:
		reason = lang.Text{
			KK: "бірақ Talap қазір сотты осы негіз бойынша таңдамайды",
			RU: "но Talap сейчас не выбирает суд по этому основанию",
			EN: "but Talap does not currently choose the court on that ground",
		}
	case SkipNoKATO:
		reason = lang.Text{
			KK: "бірақ орны (ӘАОЖ коды) көрсетілмеген",
			RU: "но место (код КАТО) не указано",
			EN: "but the place (KATO code) was not given",
		}
	case SkipException:
		reason = lang.Text{
			KK: fmt.Sprintf("бірақ бұл ереже осы аумақта (ӘАОЖ %s) қолданылмайды", kato),
			RU: fmt.Sprintf("но это правило не действует на этой территории (КАТО %s)", kato),
			EN: fmt.Sprintf("but this rule does not apply in that territory (KATO %s)", kato),
		}
	case SkipNotCovered:
		reason = lang.Text{
			KK: fmt.Sprintf("бірақ тізілімдегі бірде-бір сот ӘАОЖ %s аумағын қамтымайды", kato),
			RU: fmt.Sprintf("но ни один суд в реестре не охватывает территорию КАТО %s", kato),
			EN: fmt.Sprintf("but no court in the registry covers KATO %s", kato),
		}
	}
	c := calledText[id]
	return Skip{Rule: id, Why: why, KATO: kato, Note: lang.Text{
		KK: c.KK + ", " + reason.KK + ", сондықтан келесі ереже қолданылды.",
		RU: c.RU + ", " + reason.RU + ", поэтому применено следующее правило.",
		EN: c.EN + ", " + reason.EN + ", so the next rule was used.",
	}}
}

var adminWillAssign = lang.Text{
	KK: "Сотты портал әкімшісі тағайындайды.",
	RU: "Суд назначит администратор портала.",
	EN: "A portal administrator will assign the court.",
}

// capitalBasis names the articles of the capital rules in each language (Rule.Basis is English).
var capitalBasis = map[string]lang.Text{
	RuleInvestmentDispute: {KK: "ӘРПК 102-бабының 3-бөлігі", RU: "ч. 3 ст. 102 АППК", EN: "APPK Art. 102(3)"},
	RuleActAbroad:         {KK: "ӘРПК 106-бабының 2-бөлігі", RU: "ч. 2 ст. 106 АППК", EN: "APPK Art. 106(2)"},
}

func capitalMissing(r Rule, capitalID string, skipped []Skip) lang.Text {
	c, b := calledText[r.ID], capitalBasis[r.ID]
	t := lang.Text{
		KK: fmt.Sprintf("%s, сондықтан талапты елордадағы әкімшілік сот қарауы тиіс (%s), бірақ сот тізілімінде %q сәйкестендіргіші бар сот жоқ. %s", c.KK, b.KK, capitalID, adminWillAssign.KK),
		RU: fmt.Sprintf("%s, поэтому иск должен рассматривать административный суд столицы (%s), но в реестре судов нет суда с идентификатором %q. %s", c.RU, b.RU, capitalID, adminWillAssign.RU),
		EN: fmt.Sprintf("%s, so the claim must go to the administrative court of the capital (%s), but the court registry has no court with the id %q. %s", c.EN, b.EN, capitalID, adminWillAssign.EN),
	}
	return withNotes(t, skipped)
}

func respondentUncovered(kato string, skipped []Skip) lang.Text {
	var t lang.Text
	if kato == "" {
		t = lang.Text{
			KK: "Сотты таңдау мүмкін болмады: жауапкердің орналасқан жері (ӘАОЖ коды) белгісіз.",
			RU: "Суд не удалось выбрать: место нахождения ответчика (код КАТО) неизвестно.",
			EN: "No court could be chosen: the respondent's location (KATO code) is not known.",
		}
	} else {
		t = lang.Text{
			KK: fmt.Sprintf("Сотты таңдау мүмкін болмады: тізілімдегі бірде-бір сот жауапкердің орналасқан жерін (ӘАОЖ %s) қамтымайды.", kato),
			RU: fmt.Sprintf("Суд не удалось выбрать: ни один суд в реестре не охватывает место нахождения ответчика (КАТО %s).", kato),
			EN: fmt.Sprintf("No court could be chosen: no court in the registry covers the respondent's location (KATO %s).", kato),
		}
	}
	t.KK += " " + adminWillAssign.KK
	t.RU += " " + adminWillAssign.RU
	t.EN += " " + adminWillAssign.EN
	return withNotes(t, skipped)
}
