package web

// Rendering a step of the claim form: the data every step has, what each step adds, and the
// error summary.

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"talap/infra/seed"
	"talap/portal/claim"
	"talap/portal/duty"
	"talap/portal/party"
)

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
			data["NeedPayment"] = c.Query("kind") == duty.PaymentKind && !cl.DutyPaid()
			data["Added"] = c.Query("added") != ""
			data["Removed"] = c.Query("removed") != ""
		case "duty":
			exemptions, err := duty.Exemptions()
			if err != nil {
				return err
			}
			data["Exemptions"] = choiceOptions(l, exemptions, "f-duty")
			data["Duty"] = s.dutyView(l, cl)
			var paid []docView
			for j, d := range s.docViews(l, cl) {
				if cl.Documents[j].Kind == duty.PaymentKind {
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
		"V": v, "Err": beside, "F": formFields(v, beside), "Summary": summary, "From": from, "Action": action, "Back": back, "Next": next,
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

// formField is a question's control as the step template draws it (form_step.html).
type formField struct {
	Name  string // the field's JSON path, the control's name: "contested_act.issued_on"
	ID    string // the control's id: "f-contested_act-issued_on"
	Key   string // the stem of its hint's and error's ids (h-…, e-…): "contested_act-issued_on"
	Value string // the answer shown
	Err   string // the problem shown beside it, if any
}

// formFields are the controls of every question of the form, with values v and problems beside.
func formFields(v, beside map[string]string) map[string]formField {
	out := make(map[string]formField, len(formFieldOrder))
	for _, f := range formFieldOrder {
		id := formFieldID(f)
		out[f] = formField{Name: f, ID: id, Key: strings.TrimPrefix(id, "f-"), Value: v[f], Err: beside[f]}
	}
	return out
}

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

func choiceOptions(l string, list []seed.Choice, prefix string) []choiceOption {
	out := make([]choiceOption, len(list))
	for i, ch := range list {
		out[i] = choiceOption{Code: ch.Code, Label: ch.Label.In(l), ID: prefix + "-" + ch.Code}
	}
	return out
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

// dutyInfo is the state duty as the pages show it.
type dutyInfo struct {
	Amount, Basis, Status, StatusCode, Exemption string
}

func (s *Server) dutyView(l string, cl claim.Claim) dutyInfo {
	d := cl.Duty(s.Config.MCI)
	out := dutyInfo{Amount: formatMoney(l, d.Amount), Basis: d.Basis.In(l), Status: s.tr.T(l, "form.duty.status_"+d.Status), StatusCode: d.Status}
	if e, ok, err := duty.Exemption(cl.DutyExemption); err == nil && ok {
		out.Exemption = e.Label.In(l)
	}
	return out
}
