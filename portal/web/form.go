package web

// The guided claim form: one question a page, every answer saved to the draft through the same
// validation as the JSON API, and all of it working without JavaScript. static/form.js only adds
// upload progress, a live deadline hint and a guard against double clicks.

import (
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"talap/infra/seed"
	"talap/portal/calendar"
	"talap/portal/claim"
	"talap/portal/deadline"
	"talap/portal/duty"
	"talap/portal/party"
	"talap/portal/storage"
)

// formSteps are the pages of the form, in the order they are asked. Submitting is the last
// action of the check page.
var formSteps = []string{"category", "respondent", "kind", "act", "pretrial", "details", "contacts", "documents", "duty", "check"}

// formStepFields are the form fields each step posts (named by their JSON path).
var formStepFields = map[string][]string{
	"category":   {"category"},
	"respondent": {"respondent_bin"},
	"kind":       {"kind"},
	"act":        {"contested_act.number", "contested_act.issued_on", "contested_act.received_on", "act_abroad", "act_electronic", "investment_dispute"},
	"pretrial":   {"pretrial", "pretrial.complaint_filed_on", "pretrial.decision_received_on"},
	"details":    {"subject", "grounds", "demands"},
	"contacts":   {"claimant.residence_kato", "claimant.phone", "claimant.email", "hear_at_residence", "property_kato", "claim_amount"},
	"duty":       {"duty"},
}

// formFieldOrder orders an error summary as the questions are asked.
var formFieldOrder = []string{"category", "respondent_bin", "kind",
	"contested_act.number", "contested_act.issued_on", "contested_act.received_on", "act_abroad", "act_electronic", "investment_dispute",
	"pretrial", "pretrial.complaint_filed_on", "pretrial.decision_received_on",
	"subject", "grounds", "demands",
	"claimant.residence_kato", "claimant.phone", "claimant.email", "hear_at_residence", "property_kato", "claim_amount",
	"documents", "doc_kind", "file", "duty", "state_duty"}

// formFieldAlias points the API's field names at the form control that answers them.
var formFieldAlias = map[string]string{"pretrial.exempt_reason": "pretrial", "duty_exemption": "duty", "state_duty": "duty"}

// formStepOf names the step that asks for a field.
func formStepOf(field string) string {
	switch {
	case field == "category":
		return "category"
	case field == "respondent_bin":
		return "respondent"
	case field == "kind":
		return "kind"
	case strings.HasPrefix(field, "contested_act."), field == "act_abroad", field == "act_electronic", field == "investment_dispute":
		return "act"
	case field == "pretrial", strings.HasPrefix(field, "pretrial."):
		return "pretrial"
	case field == "subject", field == "grounds", field == "demands":
		return "details"
	case strings.HasPrefix(field, "claimant."), field == "hear_at_residence", field == "property_kato", field == "claim_amount":
		return "contacts"
	case field == "documents", field == "file", field == "doc_kind":
		return "documents"
	case field == "duty", field == "duty_exemption", field == "state_duty":
		return "duty"
	}
	return "check"
}

// formFieldID is the id of a field's control: "contested_act.issued_on" → "f-contested_act-issued_on".
func formFieldID(field string) string { return "f-" + strings.ReplaceAll(field, ".", "-") }

// formError is one line of an error summary.
type formError struct {
	Field, Label, Message, Href string
}

// formMessages translates field problem codes: a code of ours is a full "form." key, the API's
// are "field." keys.
func (s *Server) formMessages(l string, fe claim.FieldErrors) map[string]string {
	out := make(map[string]string, len(fe))
	for field, code := range fe {
		key := "field." + code
		if strings.HasPrefix(code, "form.") {
			key = code
		}
		msg := s.tr.T(l, key)
		if msg == key {
			msg = s.tr.T(l, "form.err.generic")
		}
		out[field] = msg
	}
	return out
}

// formErrors builds the error summary and the messages shown beside each field. Links go to the
// field on this page, or to the step that asks for it.
func (s *Server) formErrors(l, claimID, onStep string, msgs map[string]string) ([]formError, map[string]string) {
	beside := map[string]string{}
	for field, msg := range msgs {
		if a, ok := formFieldAlias[field]; ok {
			field = a
		}
		if _, ok := beside[field]; !ok {
			beside[field] = msg
		}
	}
	fields := make([]string, 0, len(beside))
	for f := range beside {
		fields = append(fields, f)
	}
	rank := func(f string) int {
		if i := slices.Index(formFieldOrder, f); i >= 0 {
			return i
		}
		return len(formFieldOrder)
	}
	sort.Slice(fields, func(i, j int) bool {
		if ri, rj := rank(fields[i]), rank(fields[j]); ri != rj {
			return ri < rj
		}
		return fields[i] < fields[j]
	})
	summary := make([]formError, 0, len(fields))
	for _, f := range fields {
		href := "#" + formFieldID(f)
		if step := formStepOf(f); step != onStep {
			href = "/claims/" + claimID + "/step/" + step + "?from=check" + href
		}
		label := s.tr.T(l, "form.label."+f)
		if label == "form.label."+f {
			label = ""
		}
		summary = append(summary, formError{Field: f, Label: label, Message: beside[f], Href: href})
	}
	return summary, beside
}

func dateValue(d *claim.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func onIf(b bool) string {
	if b {
		return "on"
	}
	return ""
}

// formValues are the claim's answers as the form shows them.
func formValues(cl claim.Claim) map[string]string {
	d := cl.Draft
	v := map[string]string{
		"category": d.Category, "kind": d.Kind, "respondent_bin": d.RespondentBIN,
		"subject": d.Subject, "grounds": d.Grounds, "demands": d.Demands,
		"contested_act.number": d.ContestedAct.Number, "contested_act.issued_on": dateValue(d.ContestedAct.IssuedOn),
		"contested_act.received_on": dateValue(d.ContestedAct.ReceivedOn),
		"act_abroad":                onIf(d.ActAbroad), "act_electronic": onIf(d.ActElectronic), "investment_dispute": onIf(d.InvestmentDispute),
		"pretrial.complaint_filed_on":   dateValue(d.Pretrial.ComplaintFiledOn),
		"pretrial.decision_received_on": dateValue(d.Pretrial.DecisionReceivedOn),
		"claimant.residence_kato":       d.Claimant.ResidenceKATO, "claimant.phone": d.Claimant.Phone, "claimant.email": d.Claimant.Email,
		"hear_at_residence": onIf(d.HearAtResidence), "property_kato": d.PropertyKATO, "claim_amount": "",
	}
	if d.ClaimAmount != nil {
		v["claim_amount"] = strconv.FormatInt(*d.ClaimAmount, 10)
	}
	switch {
	case d.Pretrial.ComplaintFiledOn != nil:
		v["pretrial"] = "complained"
	case d.Pretrial.ExemptReason != "":
		v["pretrial"] = d.Pretrial.ExemptReason
	}
	switch {
	case d.DutyExemption != "":
		v["duty"] = d.DutyExemption
	case cl.HasDocumentKind("duty_payment"):
		v["duty"] = "paid"
	}
	return v
}

// formAnswers turns a step's form fields into the JSON answers claim.Apply takes. The field
// problems it returns are questions left unanswered or numbers that are not numbers; everything
// else is checked by the same validation as the API.
func formAnswers(step string, get func(string) string, cl claim.Claim) (map[string]any, claim.FieldErrors) {
	fe := claim.FieldErrors{}
	a := map[string]any{}
	on := func(name string) bool { v := get(name); return v == "on" || v == "true" || v == "1" }
	choose := func(field string) {
		v := strings.TrimSpace(get(field))
		a[field] = v
		if v == "" {
			fe[field] = "form.err.choose_" + field
		}
	}
	switch step {
	case "category", "kind":
		choose(step)
	case "respondent":
		choose("respondent_bin")
	case "act":
		a["contested_act"] = map[string]any{"number": get("contested_act.number"),
			"issued_on": get("contested_act.issued_on"), "received_on": get("contested_act.received_on")}
		a["act_abroad"], a["act_electronic"], a["investment_dispute"] = on("act_abroad"), on("act_electronic"), on("investment_dispute")
	case "pretrial":
		switch choice := get("pretrial"); choice {
		case "":
			fe["pretrial"] = "pretrial_unanswered"
		case "complained":
			filed := strings.TrimSpace(get("pretrial.complaint_filed_on"))
			a["pretrial"] = map[string]any{"complaint_filed_on": filed,
				"decision_received_on": get("pretrial.decision_received_on"), "exempt_reason": ""}
			if filed == "" {
				fe["pretrial.complaint_filed_on"] = "required"
			}
		default:
			a["pretrial"] = map[string]any{"complaint_filed_on": "", "decision_received_on": "", "exempt_reason": choice}
		}
	case "details":
		a["subject"], a["grounds"], a["demands"] = get("subject"), get("grounds"), get("demands")
	case "contacts":
		a["claimant"] = map[string]any{"residence_kato": get("claimant.residence_kato"), "phone": get("claimant.phone"), "email": get("claimant.email")}
		a["hear_at_residence"] = on("hear_at_residence")
		a["property_kato"] = ""
		if cl.Category == "land" {
			a["property_kato"] = get("property_kato")
		}
		raw := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\u00a0' || r == '\u202f' || r == ',' || r == '_' {
				return -1
			}
			return r
		}, get("claim_amount"))
		raw = strings.TrimSuffix(strings.TrimSpace(raw), "₸")
		switch n, err := strconv.ParseInt(raw, 10, 64); {
		case raw == "":
			a["claim_amount"] = 0
		case err != nil:
			fe["claim_amount"] = "form.err.amount"
		default:
			a["claim_amount"] = n
		}
	case "duty":
		switch v := get("duty"); v {
		case "":
			fe["duty"] = "duty_required"
		case "paid":
			a["duty_exemption"] = ""
		default:
			a["duty_exemption"] = v
		}
	}
	return a, fe
}

// formStepMissing is what Missing says about the questions of this step that must be answered
// before going on.
func formStepMissing(step string, cl claim.Claim) claim.FieldErrors {
	out := claim.FieldErrors{}
	switch step {
	case "act", "details", "contacts":
		for k, v := range Missing(cl) {
			if formStepOf(k) == step {
				out[k] = v
			}
		}
	}
	return out
}

// ownClaim loads a claim of the signed-in claimant's; anyone else's is not found.
func (s *Server) ownClaim(c *fiber.Ctx) (claim.Claim, error) {
	p := principalOf(c)
	cl, err := s.visibleClaim(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return cl, err
	}
	if cl.ClaimantIIN != p.IIN {
		return cl, storage.ErrNotFound
	}
	return cl, nil
}

func claimURL(id string) string { return "/claims/" + id }

func stepURL(id, step string) string { return "/claims/" + id + "/step/" + step }

// newClaim starts an empty draft and opens its first question.
func (s *Server) newClaim(c *fiber.Ctx) error {
	cl, err := s.CreateDraft(c.UserContext(), principalOf(c), []byte(`{}`))
	if err != nil {
		return err
	}
	return c.Redirect(stepURL(cl.ID, formSteps[0]), fiber.StatusSeeOther)
}

// continueClaim opens the first question still to answer, or the check page.
func (s *Server) continueClaim(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	if !cl.Status.Editable() {
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	}
	first := len(formSteps) - 1
	for field := range Missing(cl) {
		if i := slices.Index(formSteps, formStepOf(field)); i >= 0 && i < first {
			first = i
		}
	}
	return c.Redirect(stepURL(cl.ID, formSteps[first]), fiber.StatusSeeOther)
}

// stepPage shows one question of the form with the saved answers.
func (s *Server) stepPage(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	step := c.Params("step")
	if !slices.Contains(formSteps, step) {
		return storage.ErrNotFound
	}
	if !cl.Status.Editable() {
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	}
	return s.renderStep(c, cl, step, formValues(cl), nil, 0)
}

// stepSave saves a step's answers to the draft and goes on to the next question. A problem
// re-shows the page with the person's input and what to fix (422); nothing is lost.
func (s *Server) stepSave(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	step := c.Params("step")
	i := slices.Index(formSteps, step)
	if i < 0 {
		return storage.ErrNotFound
	}
	if !cl.Status.Editable() {
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	}
	next := stepURL(cl.ID, formSteps[min(i+1, len(formSteps)-1)])
	if formFrom(c) == "check" {
		next = stepURL(cl.ID, "check")
	}
	if _, asks := formStepFields[step]; !asks {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	later := c.FormValue("action") == "later"
	answers, local := formAnswers(step, func(n string) string { return c.FormValue(n) }, cl)
	if later {
		// Saving for later does not insist on answers, only on answers that make sense.
		for k, v := range local {
			if v != "form.err.amount" {
				delete(local, k)
			}
		}
	}
	posted := formValues(cl)
	for _, f := range formStepFields[step] {
		posted[f] = c.FormValue(f)
	}
	body, err := json.Marshal(answers)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	// Check everything first, so that every problem of the page is shown at once.
	d, aerr := s.applyAnswers(ctx, cl.Draft, body)
	fe := claim.FieldErrors{}
	var apiFE claim.FieldErrors
	if aerr != nil && !errors.As(aerr, &apiFE) {
		return aerr
	}
	for k, v := range apiFE {
		fe[k] = v
	}
	for k, v := range local {
		fe[k] = v
	}
	if len(fe) > 0 {
		// Nothing is saved: the page comes back with the person's input and what to fix.
		if !later {
			would := cl
			would.Draft = d
			for k, v := range formStepMissing(step, would) {
				if _, ok := fe[k]; !ok {
					fe[k] = v
				}
			}
		}
		return s.renderStep(c, cl, step, posted, fe, fiber.StatusUnprocessableEntity)
	}
	saved, err := s.UpdateDraft(ctx, principalOf(c), cl.ID, body)
	switch {
	case errors.As(err, &apiFE):
		return s.renderStep(c, cl, step, posted, apiFE, fiber.StatusUnprocessableEntity)
	case errors.Is(err, storage.ErrConflict):
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	if later {
		return c.Redirect("/claims?saved=1", fiber.StatusSeeOther)
	}
	if miss := formStepMissing(step, saved); len(miss) > 0 {
		return s.renderStep(c, saved, step, formValues(saved), miss, fiber.StatusUnprocessableEntity)
	}
	if step == "duty" && c.FormValue("duty") == "paid" && !saved.HasDocumentKind("duty_payment") {
		return c.Redirect(stepURL(cl.ID, "documents")+"?kind=duty_payment#upload", fiber.StatusSeeOther)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// formFrom says where a step was opened from ("check" when changing an answer there).
func formFrom(c *fiber.Ctx) string {
	if c.Query("from") == "check" || c.FormValue("from") == "check" {
		return "check"
	}
	return ""
}

type choiceOption struct {
	Code, Label, Hint, ID string
}

type bodyOption struct {
	BIN, Name, ID string
}

type placeGroup struct {
	Label   string
	Options []choiceOption
}

// docView is a document as the pages list it.
type docView struct {
	ID, Name, Kind, Size, SHA256, URL string
	Bytes                             int64
}

func (s *Server) docViews(l string, cl claim.Claim) []docView {
	out := make([]docView, len(cl.Documents))
	for i, d := range cl.Documents {
		out[i] = docView{ID: d.ID, Name: d.Name, Kind: s.tr.T(l, "doctype."+d.Kind), Size: s.formSize(l, d.Size), Bytes: d.Size,
			SHA256: d.SHA256, URL: "/api/v1/claims/" + cl.ID + "/documents/" + d.ID}
	}
	return out
}

func choiceOptions(l string, list []seed.Choice, prefix string) []choiceOption {
	out := make([]choiceOption, len(list))
	for i, ch := range list {
		out[i] = choiceOption{Code: ch.Code, Label: ch.Label.In(l), ID: prefix + "-" + ch.Code}
	}
	return out
}

// renderStep shows a step with values v and field problems fe, answering status (0 for 200).
func (s *Server) renderStep(c *fiber.Ctx, cl claim.Claim, step string, v map[string]string, fe claim.FieldErrors, status int) error {
	l := langOf(c)
	ctx := c.UserContext()
	summary, beside := s.formErrors(l, cl.ID, step, s.formMessages(l, fe))
	return s.renderStepWith(c, cl, step, v, summary, beside, status, func(data fiber.Map) error {
		switch step {
		case "category":
			opts := make([]choiceOption, len(claim.Categories))
			for j, code := range claim.Categories {
				opts[j] = choiceOption{Code: code, Label: s.tr.T(l, "category."+code), Hint: s.tr.T(l, "category."+code+"_hint"), ID: radioID("category", j)}
			}
			data["Options"] = opts
		case "kind":
			opts := make([]choiceOption, len(claim.Kinds))
			for j, code := range claim.Kinds {
				opts[j] = choiceOption{Code: code, Label: s.tr.T(l, "kind."+code), Hint: s.tr.T(l, "kind."+code+"_hint"), ID: radioID("kind", j)}
			}
			data["Options"] = opts
		case "respondent":
			q := strings.TrimSpace(c.Query("q", c.FormValue("q")))
			if len(q) > 100 {
				q = q[:100]
			}
			bodies, err := s.DB.SearchBodies(ctx, q, 25)
			if err != nil {
				return err
			}
			opts := []bodyOption{}
			if cur := v["respondent_bin"]; cur != "" && !slices.ContainsFunc(bodies, func(b party.Body) bool { return b.BIN == cur }) {
				if b, err := s.DB.Body(ctx, cur); err == nil {
					opts = append(opts, bodyOption{BIN: b.BIN, Name: b.Name.In(l)})
				}
			}
			for _, b := range bodies {
				opts = append(opts, bodyOption{BIN: b.BIN, Name: b.Name.In(l)})
			}
			for j := range opts {
				opts[j].ID = radioID("respondent_bin", j)
			}
			data["Bodies"], data["Q"], data["Searched"] = opts, q, q != ""
			data["More"] = len(bodies) == 25
		case "act":
			data["ActRequired"] = cl.Kind == "challenge" || cl.Kind == "coercion" || cl.Kind == ""
			data["KindLabel"] = s.tr.T(l, "kind."+cl.Kind)
			data["Deadline"] = s.stepDeadline(l, cl)
		case "pretrial":
			ch, err := seed.LoadChoices()
			if err != nil {
				return err
			}
			data["Reasons"] = choiceOptions(l, ch.PretrialReasons, "f-pretrial")
			data["Deadline"] = s.stepDeadline(l, cl)
		case "contacts":
			groups, err := placeGroups(l)
			if err != nil {
				return err
			}
			data["Places"] = groups
			data["Land"] = cl.Category == "land"
		case "documents":
			s.documentsData(c, cl, data)
			data["NeedPayment"] = c.Query("kind") == "duty_payment" && !cl.HasDocumentKind("duty_payment")
			data["Added"] = c.Query("added") != ""
			data["Removed"] = c.Query("removed") != ""
		case "duty":
			ch, err := seed.LoadChoices()
			if err != nil {
				return err
			}
			data["Exemptions"] = choiceOptions(l, ch.DutyExemptions, "f-duty")
			data["Duty"] = s.dutyView(l, cl)
			var paid []docView
			for j, d := range s.docViews(l, cl) {
				if cl.Documents[j].Kind == "duty_payment" {
					paid = append(paid, d)
				}
			}
			data["PaymentDocs"] = paid
		case "check":
			if err := s.checkData(c, cl, data); err != nil {
				return err
			}
		}
		return nil
	})
}

func radioID(field string, i int) string {
	if i == 0 {
		return formFieldID(field)
	}
	return formFieldID(field) + "-" + strconv.Itoa(i+1)
}

// renderStepWith renders the step page with the data every step has, plus what more adds.
func (s *Server) renderStepWith(c *fiber.Ctx, cl claim.Claim, step string, v map[string]string, summary []formError,
	beside map[string]string, status int, more func(fiber.Map) error) error {
	i := slices.Index(formSteps, step)
	from := formFrom(c)
	action := stepURL(cl.ID, step)
	back := "/claims"
	switch {
	case from == "check" && step != "check":
		action += "?from=check"
		back = stepURL(cl.ID, "check")
	case i > 0:
		back = stepURL(cl.ID, formSteps[i-1])
	}
	next := ""
	if i+1 < len(formSteps) {
		next = stepURL(cl.ID, formSteps[i+1])
	}
	if from == "check" {
		next = stepURL(cl.ID, "check")
	}
	data := fiber.Map{
		"Claim": cl, "ID": cl.ID, "Step": step, "N": i + 1, "Total": len(formSteps),
		"V": v, "Err": beside, "Summary": summary, "From": from, "Action": action, "Back": back, "Next": next,
		"Correcting": cl.Status != claim.StatusDraft, "StepTitle": s.tr.T(langOf(c), "form."+step+".title"),
	}
	if err := more(data); err != nil {
		return err
	}
	if status != 0 {
		c.Status(status)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.render(c, "form_step", data)
}

// places are the KATO regions and districts for the residence picker, loaded once.
var places = sync.OnceValues(seed.Regions)

// placeGroups lists the regions, each as a group of its districts and the region as a whole.
func placeGroups(l string) ([]placeGroup, error) {
	regions, err := places()
	if err != nil {
		return nil, err
	}
	out := make([]placeGroup, len(regions))
	for i, r := range regions {
		g := placeGroup{Label: r.Name.In(l)}
		for _, d := range r.Districts {
			g.Options = append(g.Options, choiceOption{Code: d.Code, Label: d.Name.In(l)})
		}
		g.Options = append(g.Options, choiceOption{Code: r.Code, Label: r.Name.In(l), Hint: "region"})
		out[i] = g
	}
	return out, nil
}

// placeName names a KATO code from the list: "district, region", or the region.
func placeName(l, code string) string {
	regions, err := places()
	if err != nil || code == "" {
		return code
	}
	for _, r := range regions {
		if r.Code == code {
			return r.Name.In(l)
		}
		for _, d := range r.Districts {
			if d.Code == code {
				return d.Name.In(l) + ", " + r.Name.In(l)
			}
		}
	}
	return code
}

// deadlineView is the filing-period hint shown on the act, pre-trial and check pages. It never
// blocks: the court decides on a late claim.
type deadlineView struct {
	Level   string `json:"level"` // ok, soon, late or warn (no filing period runs yet)
	Heading string `json:"heading"`
	Text    string `json:"text"`
	Advice  string `json:"advice,omitempty"`
	Note    string `json:"note,omitempty"`
}

var formCalendar = sync.OnceValues(calendar.Load)

// formDeadline computes the filing period of the draft as it stands, as if filed today; nil when
// the dates it needs are not given yet.
func (s *Server) formDeadline(l string, d claim.Draft, now time.Time) *deadlineView {
	if !slices.Contains(claim.Kinds, d.Kind) {
		return nil
	}
	cal, err := formCalendar()
	if err != nil {
		s.Log.Warn("calendar", "error", err)
		return nil
	}
	// The same Input, with the same configured complaint-body period, as the court's flags
	// (intake.Flags); not filed yet.
	in := deadline.ForDraft(d, s.Config.ComplaintBodyDays, time.Time{})
	res, err := deadline.FilingDeadline(cal, in)
	if err != nil {
		return nil
	}
	v := &deadlineView{Text: res.Explanation.In(l)}
	today := calendar.AlmatyDate(now)
	switch {
	case !res.Applicable && d.Pretrial.ExemptReason == "":
		// The pre-trial question is not answered yet: nothing to warn about so far.
		return nil
	case !res.Applicable:
		v.Level, v.Heading = "warn", s.tr.T(l, "form.deadline.pretrial_missing")
		v.Advice = s.tr.T(l, "form.deadline.pretrial_advice")
	case today.After(res.LastDay):
		v.Level, v.Heading = "late", s.tr.T(l, "form.deadline.late", "Date", s.fmtDate(l, res.LastDay))
		v.Advice = s.tr.T(l, "form.deadline.late_advice")
	default:
		days := int(res.LastDay.Sub(today).Hours() / 24)
		v.Level, v.Heading = "ok", s.tr.T(l, "form.deadline.ok", "Date", s.fmtDate(l, res.LastDay), "Days", days)
		if days <= 7 {
			v.Level, v.Heading = "soon", s.tr.T(l, "form.deadline.soon", "Date", s.fmtDate(l, res.LastDay), "Days", days)
		}
	}
	if pr, late := deadline.LatePretrialComplaint(cal, in); late {
		v.Note = pr.Explanation.In(l)
	}
	return v
}

// deadlineHint answers form.js with the deadline hint for answers being typed, without saving them.
func (s *Server) deadlineHint(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	step := c.Query("step")
	if step != "act" && step != "pretrial" {
		return c.JSON(fiber.Map{})
	}
	answers, _ := formAnswers(step, func(n string) string { return c.Query(n) }, cl)
	if step == "pretrial" && c.Query("pretrial") == "" {
		delete(answers, "pretrial")
	}
	body, err := json.Marshal(answers)
	if err != nil {
		return err
	}
	d, err := claim.Apply(cl.Draft, body, time.Now())
	if err != nil {
		return c.JSON(fiber.Map{})
	}
	if v := s.formDeadline(langOf(c), d, time.Now()); v != nil {
		return c.JSON(v)
	}
	return c.JSON(fiber.Map{})
}

// dutyInfo is the state duty as the pages show it.
type dutyInfo struct {
	Amount, Basis, Status, StatusCode, Exemption string
}

func (s *Server) dutyView(l string, cl claim.Claim) dutyInfo {
	d := duty.Compute(s.Config.MCI, valueOr(cl.ClaimAmount), cl.HasDocumentKind("duty_payment"), cl.DutyExemption)
	out := dutyInfo{Amount: formatMoney(l, d.Amount), Basis: d.Basis.In(l), Status: s.tr.T(l, "form.duty.status_"+d.Status), StatusCode: d.Status}
	if cl.DutyExemption != "" {
		if ch, err := seed.LoadChoices(); err == nil {
			for _, e := range ch.DutyExemptions {
				if e.Code == cl.DutyExemption {
					out.Exemption = e.Label.In(l)
				}
			}
		}
	}
	return out
}

// formatMoney writes tenge as people read them: "1 297,50 ₸" in Kazakh and Russian, "1,297.50 ₸" in English.
func formatMoney(l string, v float64) string {
	whole := int64(v)
	frac := int64((v-float64(whole))*100 + 0.5)
	sep, dec := "\u00a0", ","
	if l == "en" {
		sep, dec = ",", "."
	}
	digits := strconv.FormatInt(whole, 10)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if frac > 0 {
		b.WriteString(dec)
		if frac < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.FormatInt(frac, 10))
	}
	return b.String() + "\u00a0₸"
}

// formSize writes a file size as people read it: "1,2 МБ", "340 KB", "512 bytes".
func (s *Server) formSize(l string, n int64) string {
	num := func(v float64) string {
		out := strconv.FormatFloat(v, 'f', 1, 64)
		out = strings.TrimSuffix(out, ".0")
		if l != "en" {
			out = strings.ReplaceAll(out, ".", ",")
		}
		return out
	}
	switch {
	case n >= 1<<20:
		return s.tr.T(l, "form.size.mb", "N", num(float64(n)/(1<<20)))
	case n >= 1<<10:
		return s.tr.T(l, "form.size.kb", "N", num(float64(n)/(1<<10)))
	}
	return s.tr.T(l, "form.size.bytes", "N", n)
}

// checkRow is one answer on the check page.
type checkRow struct {
	Label, Value, Href string
	Lines              []string
	Empty, Long        bool
}

type checkSection struct {
	Heading string
	Rows    []checkRow
}

// checkData adds the check-your-answers summary, what is missing and the submit form.
func (s *Server) checkData(c *fiber.Ctx, cl claim.Claim, data fiber.Map) error {
	l := langOf(c)
	ctx := c.UserContext()
	T := func(id string, pairs ...any) string { return s.tr.T(l, id, pairs...) }
	row := func(field, value string) checkRow {
		r := checkRow{Label: T("form.label." + field), Value: value, Href: stepURL(cl.ID, formStepOf(field)) + "?from=check#" + formFieldID(field)}
		if value == "" {
			r.Value, r.Empty = T("form.check.not_answered"), true
		}
		return r
	}
	date := func(d *claim.Date) string {
		if d == nil {
			return ""
		}
		return s.fmtDate(l, d.Time)
	}
	label := func(prefix, code string) string {
		if code == "" {
			return ""
		}
		return T(prefix + code)
	}
	d := cl.Draft
	respondent := d.RespondentBIN
	if b, err := s.DB.Body(ctx, d.RespondentBIN); err == nil {
		respondent = b.Name.In(l) + " (" + T("form.bin") + " " + b.BIN + ")"
	}
	var flags []string
	for _, f := range []struct {
		on    bool
		field string
	}{{d.ActAbroad, "act_abroad"}, {d.ActElectronic, "act_electronic"}, {d.InvestmentDispute, "investment_dispute"}} {
		if f.on {
			flags = append(flags, T("form.label."+f.field))
		}
	}
	flagRow := row("act_flags", strings.Join(flags, "; "))
	if len(flags) == 0 {
		flagRow.Value, flagRow.Empty = T("form.check.none"), false
	}
	flagRow.Href = stepURL(cl.ID, "act") + "?from=check#" + formFieldID("act_abroad")
	ch, err := seed.LoadChoices()
	if err != nil {
		return err
	}
	pretrial := ""
	switch {
	case d.Pretrial.ComplaintFiledOn != nil:
		pretrial = T("form.check.complained", "Date", date(d.Pretrial.ComplaintFiledOn))
		if d.Pretrial.DecisionReceivedOn != nil {
			pretrial += " " + T("form.check.decision", "Date", date(d.Pretrial.DecisionReceivedOn))
		} else {
			pretrial += " " + T("form.check.no_decision")
		}
	case d.Pretrial.ExemptReason != "":
		for _, r := range ch.PretrialReasons {
			if r.Code == d.Pretrial.ExemptReason {
				pretrial = r.Label.In(l)
			}
		}
	}
	yes := func(b bool) string {
		if b {
			return T("form.yes")
		}
		return T("form.no")
	}
	amount := ""
	if d.ClaimAmount != nil {
		amount = formatMoney(l, float64(*d.ClaimAmount))
	}
	long := func(r checkRow) checkRow {
		if !r.Empty {
			r.Lines, r.Long = strings.Split(r.Value, "\n"), true
		}
		return r
	}
	about := []checkRow{row("category", label("category.", d.Category)), row("respondent_bin", respondent), row("kind", label("kind.", d.Kind))}
	act := []checkRow{row("contested_act.number", d.ContestedAct.Number), row("contested_act.issued_on", date(d.ContestedAct.IssuedOn)),
		row("contested_act.received_on", date(d.ContestedAct.ReceivedOn)), flagRow, row("pretrial", pretrial)}
	claimRows := []checkRow{row("subject", d.Subject), long(row("grounds", d.Grounds)), long(row("demands", d.Demands))}
	you := []checkRow{row("claimant.residence_kato", placeName(l, d.Claimant.ResidenceKATO)), row("claimant.phone", d.Claimant.Phone),
		row("claimant.email", d.Claimant.Email), row("hear_at_residence", yes(d.HearAtResidence))}
	if d.Category == "land" {
		r := row("property_kato", placeName(l, d.PropertyKATO))
		if d.PropertyKATO == "" {
			r.Value = T("form.check.not_given")
		}
		you = append(you, r)
	}
	you = append(you, row("claim_amount", amount))
	if d.ClaimAmount == nil {
		you[len(you)-1].Value, you[len(you)-1].Empty = T("form.check.no_amount"), false
	}
	dv := s.dutyView(l, cl)
	dutyText := dv.Amount + " — " + dv.Status
	if dv.Exemption != "" {
		dutyText += ": " + dv.Exemption
	}
	docsRow := row("documents", "")
	if len(cl.Documents) > 0 {
		docsRow.Empty, docsRow.Long, docsRow.Value = false, true, ""
		for _, dv := range s.docViews(l, cl) {
			docsRow.Lines = append(docsRow.Lines, dv.Name+" ("+dv.Kind+", "+dv.Size+")")
		}
	}
	data["Sections"] = []checkSection{
		{Heading: T("form.check.about"), Rows: about},
		{Heading: T("form.check.act"), Rows: act},
		{Heading: T("form.check.claim"), Rows: claimRows},
		{Heading: T("form.check.you"), Rows: you},
		{Heading: T("form.check.files"), Rows: []checkRow{docsRow, row("duty", dutyText)}},
	}
	missing, _ := s.formErrors(l, cl.ID, "", s.formMessages(l, Missing(cl)))
	data["Missing"] = missing
	data["Deadline"] = s.stepDeadline(l, cl)
	if cl.Status != claim.StatusDraft {
		// Correcting a filed claim: say again what the court or the checks asked for.
		for _, n := range cl.Problems {
			data["Problems"] = append(asStrings(data["Problems"]), n.Message.In(l))
		}
		if cl.CorrectionDue != nil {
			data["CorrectionDue"] = s.fmtDate(l, cl.CorrectionDue.Time)
		}
		if cl.RoutedAt != nil {
			decisions, err := s.decisionViews(c, cl)
			if err != nil {
				return err
			}
			if len(decisions) > 0 {
				data["LastDecision"] = decisions[0]
			}
		}
	}
	return nil
}

func asStrings(v any) []string {
	s, _ := v.([]string)
	return s
}

// stepDeadline is the deadline hint for a draft; a claim being corrected was filed already, so
// a period counted to today would mislead.
func (s *Server) stepDeadline(l string, cl claim.Claim) *deadlineView {
	if cl.Status != claim.StatusDraft {
		return nil
	}
	return s.formDeadline(l, cl.Draft, time.Now())
}

// submitClaim files the claim from the check page. A second click, or a claim already filed, just
// shows the claim: it is never filed twice.
func (s *Server) submitClaim(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	if !cl.Status.Editable() {
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	}
	_, err = s.Submit(c.UserContext(), principalOf(c), cl.ID)
	var inc *storage.IncompleteError
	switch {
	case errors.As(err, &inc):
		l := langOf(c)
		summary, beside := s.formErrors(l, cl.ID, "", s.formMessages(l, inc.Missing))
		return s.renderStepWith(c, cl, "check", formValues(cl), summary, beside, fiber.StatusUnprocessableEntity, func(data fiber.Map) error {
			return s.checkData(c, cl, data)
		})
	case errors.Is(err, storage.ErrConflict):
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	return c.Redirect(claimURL(cl.ID)+"?filed=1", fiber.StatusSeeOther)
}

// uploadDocuments takes the no-JavaScript upload form (multipart, CSRF token in the query) and
// streams it like the API does; a refused file is explained on the documents page.
func (s *Server) uploadDocuments(c *fiber.Ctx) error {
	id := c.Params("id")
	docs, err := s.UploadDocuments(c, principalOf(c), id)
	if err == nil {
		back := stepURL(id, "documents") + "?added=" + strconv.Itoa(len(docs))
		if formFrom(c) == "check" {
			back += "&from=check"
		}
		return c.Redirect(back+"#documents", fiber.StatusSeeOther)
	}
	if errors.Is(err, storage.ErrNotFound) {
		return err
	}
	if errors.Is(err, storage.ErrConflict) {
		return c.Redirect(claimURL(id), fiber.StatusSeeOther)
	}
	err = s.claimError(c, err)
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		return err
	}
	cl, lerr := s.ownClaim(c)
	if lerr != nil {
		return lerr
	}
	msgs := map[string]string{}
	for k, m := range apiErr.Fields {
		if k == "kind" {
			k = "doc_kind"
		}
		msgs[k] = m
	}
	if len(msgs) == 0 {
		msgs["file"] = apiErr.Message
	}
	l := langOf(c)
	summary, beside := s.formErrors(l, cl.ID, "documents", msgs)
	// The body may not have been read to its end; do not keep the connection.
	c.Set(fiber.HeaderConnection, "close")
	return s.renderStepWith(c, cl, "documents", formValues(cl), summary, beside, apiErr.Status, func(data fiber.Map) error {
		s.documentsData(c, cl, data)
		return nil
	})
}

// documentsData adds the list of documents and the upload form's choices.
func (s *Server) documentsData(c *fiber.Ctx, cl claim.Claim, data fiber.Map) {
	l := langOf(c)
	data["Docs"] = s.docViews(l, cl)
	kind := c.Query("kind")
	if !slices.Contains(claim.DocumentKinds, kind) {
		kind = "evidence"
	}
	opts := make([]choiceOption, len(claim.DocumentKinds))
	for j, k := range claim.DocumentKinds {
		opts[j] = choiceOption{Code: k, Label: s.tr.T(l, "doctype."+k), Hint: s.tr.T(l, "doctype."+k+"_hint")}
	}
	data["DocKinds"], data["UploadKind"] = opts, kind
	data["CanRemove"] = cl.Status == claim.StatusDraft
	data["DocLimit"], data["ClaimLimit"] = s.formSize(l, s.Config.DocumentMax), s.formSize(l, s.Config.ClaimDocsMax)
	data["UploadAction"] = "/claims/" + cl.ID + "/documents"
	if formFrom(c) == "check" {
		data["UploadAction"] = data["UploadAction"].(string) + "?from=check"
	}
	data["UploadAPI"] = "/api/v1/claims/" + cl.ID + "/documents"
}

// removeDocument takes a document off a draft.
func (s *Server) removeDocument(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	d, err := s.DB.RemoveDocument(c.UserContext(), cl.ID, principalOf(c).IIN, c.Params("doc"))
	switch {
	case errors.Is(err, storage.ErrConflict):
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	s.removeObject(d.Key, d.VersionID)
	back := stepURL(cl.ID, "documents") + "?removed=1"
	if formFrom(c) == "check" {
		back += "&from=check"
	}
	return c.Redirect(back+"#documents", fiber.StatusSeeOther)
}

// deleteDraftPage asks to confirm deleting a draft.
func (s *Server) deleteDraftPage(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	if cl.Status != claim.StatusDraft {
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	}
	return s.render(c, "form_delete", fiber.Map{"Claim": cl, "Title": s.claimTitle(langOf(c), cl)})
}

// deleteDraft deletes a draft and its documents.
func (s *Server) deleteDraft(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	docs, err := s.DB.DeleteDraft(c.UserContext(), cl.ID, principalOf(c).IIN)
	switch {
	case errors.Is(err, storage.ErrConflict):
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	s.removeObjects(docs)
	return c.Redirect("/claims?deleted=1", fiber.StatusSeeOther)
}
