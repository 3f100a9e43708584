// Package intake holds the checks a filed claim goes through before routing: technical problems
// that send it back to the claimant, and legal doubts that are flagged for the court, which alone
// decides. It is pure: the worker gathers the facts (document re-hashes, possible duplicates).
package intake

import (
	"fmt"
	"slices"
	"time"

	"talap/portal/calendar"
	"talap/portal/claim"
	"talap/portal/deadline"
	"talap/portal/lang"
)

// AllowedTypes are the document types a court accepts.
var AllowedTypes = []string{"application/pdf", "image/jpeg", "image/png"}

// DocCheck is what re-reading a document from storage found.
type DocCheck struct {
	Missing bool   // the object is gone
	SHA256  string // the hash of what is stored now
}

// Problems lists what the claimant must fix before the claim can go on: documents missing or
// changed in storage, a type the court does not accept, and an unpaid duty with no exemption.
func Problems(c claim.Claim, checks map[string]DocCheck) []claim.Notice {
	var out []claim.Notice
	for _, d := range c.Documents {
		chk := checks[d.ID]
		switch {
		case chk.Missing:
			out = append(out, claim.Notice{Code: "document_missing", Message: lang.Text{
				KK: fmt.Sprintf("«%s» құжаты қоймада табылмады. Оны қайта жүктеңіз.", d.Name),
				RU: fmt.Sprintf("Документ «%s» не найден в хранилище. Загрузите его снова.", d.Name),
				EN: fmt.Sprintf("The document “%s” is missing from storage. Upload it again.", d.Name),
			}})
		case chk.SHA256 != d.SHA256:
			out = append(out, claim.Notice{Code: "document_changed", Message: lang.Text{
				KK: fmt.Sprintf("«%s» құжаты жүктелгеннен кейін өзгертілген (SHA-256 сәйкес келмейді). Түпнұсқаны қайта жүктеңіз.", d.Name),
				RU: fmt.Sprintf("Документ «%s» изменён после загрузки (SHA-256 не совпадает). Загрузите оригинал снова.", d.Name),
				EN: fmt.Sprintf("The document “%s” changed after it was uploaded (its SHA-256 no longer matches). Upload the original again.", d.Name),
			}})
		}
		if !slices.Contains(AllowedTypes, d.ContentType) {
			out = append(out, claim.Notice{Code: "document_type", Message: lang.Text{
				KK: fmt.Sprintf("«%s» құжатының түрі (%s) қабылданбайды: тек PDF, JPEG немесе PNG.", d.Name, d.ContentType),
				RU: fmt.Sprintf("Тип документа «%s» (%s) не принимается: только PDF, JPEG или PNG.", d.Name, d.ContentType),
				EN: fmt.Sprintf("The document “%s” has a type the court does not accept (%s): only PDF, JPEG or PNG.", d.Name, d.ContentType),
			}})
		}
	}
	if !c.DutySatisfied() {
		out = append(out, claim.Notice{Code: "duty_unpaid", Message: lang.Text{
			KK: "Мемлекеттік баж төленбеген және босату негізі көрсетілмеген. Төлем туралы түбіртекті тіркеңіз немесе негізді таңдаңыз.",
			RU: "Госпошлина не оплачена, и основание освобождения не указано. Приложите квитанцию об оплате или выберите основание.",
			EN: "The state duty is unpaid and no exemption was given. Attach the payment receipt or choose an exemption ground.",
		}})
	}
	return out
}

// Flags lists the legal doubts for the court: a late claim (APPK Art. 136), no pre-trial
// complaint (Art. 91), a late pre-trial complaint (Art. 92), and a likely duplicate. Each says
// what was computed from which dates under which article. duplicateOf is the number of an earlier
// claim with the same claimant, respondent and contested act, or "".
func Flags(cal *calendar.Calendar, c claim.Claim, filedAt time.Time, complaintBodyDays int, duplicateOf string) []claim.Notice {
	var out []claim.Notice
	in := deadline.ForDraft(c.Draft, complaintBodyDays, filedAt)
	if res, err := deadline.FilingDeadline(cal, in); err == nil {
		switch {
		case !res.Applicable:
			out = append(out, claim.Notice{Code: "pretrial_missing", Message: res.Explanation})
		case res.Late:
			out = append(out, claim.Notice{Code: "late", Message: res.Explanation})
		}
	} else if c.Kind != "" {
		out = append(out, claim.Notice{Code: "deadline_unknown", Message: lang.Text{
			KK: "Талап мерзімін есептеу мүмкін болмады (күндер жетіспейді немесе күнтізбеде жоқ): сот оны өзі тексереді.",
			RU: "Срок подачи иска вычислить не удалось (не хватает дат или их нет в календаре): суд проверит его сам.",
			EN: "The filing period could not be computed (dates missing or outside the calendar): the court will check it itself.",
		}})
	}
	if res, late := deadline.LatePretrialComplaint(cal, in); late {
		out = append(out, claim.Notice{Code: "pretrial_late", Message: res.Explanation})
	}
	if duplicateOf != "" {
		out = append(out, claim.Notice{Code: "duplicate", Message: lang.Text{
			KK: fmt.Sprintf("Ықтимал қайталама: дәл осы талапкер осы жауапкерге осы акт (№ %s) бойынша %s талабын бұрын берген.", c.ContestedAct.Number, duplicateOf),
			RU: fmt.Sprintf("Возможный повтор: тот же истец уже подал иск %s к тому же ответчику по тому же акту (№ %s).", duplicateOf, c.ContestedAct.Number),
			EN: fmt.Sprintf("Likely duplicate: the same claimant already filed claim %s against the same respondent about the same act (No. %s).", duplicateOf, c.ContestedAct.Number),
		}})
	}
	return out
}
