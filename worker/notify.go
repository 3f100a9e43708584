package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"

	"github.com/hibiken/asynq"

	"talap/frontend"
	"talap/portal/claim"
	"talap/portal/lang"
	"talap/portal/mail"
	"talap/portal/storage"
	"talap/portal/task"
)

var (
	mailHTML = htmltemplate.Must(htmltemplate.ParseFS(frontend.Mail, "mail/notice.html"))
	mailText = texttemplate.Must(texttemplate.ParseFS(frontend.Mail, "mail/notice.txt"))
)

type recipient struct {
	storage.Person
	role string // claimant | respondent
}

// Notify tells the people concerned about an event on a claim: an in-app notice and an e-mail in
// each recipient's language. A notice is keyed by the task and the recipient in PostgreSQL, so a
// task delivered twice neither stores nor e-mails it twice.
func (h *Handlers) Notify(ctx context.Context, t *asynq.Task) error {
	var p task.NotifyPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.ClaimID == "" || p.Event == "" {
		return fmt.Errorf("bad payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	c, err := h.DB.Claim(ctx, p.ClaimID)
	if err != nil {
		return notFound(err, p.ClaimID)
	}
	if p.Event == "response_reminder" && c.Status != claim.StatusRouted {
		return nil // answered or decided meanwhile: no reminder needed
	}
	recipients, err := h.recipients(ctx, c, p.Event)
	if err != nil {
		return err
	}
	key := taskID(ctx)
	if key == "" {
		key = p.Event + ":" + c.ID
	}
	for _, r := range recipients {
		l := r.Locale
		if !lang.Valid(l) {
			l = lang.Default
		}
		subject, paragraphs := h.message(ctx, c, p.Event, r.role, l)
		n, err := h.DB.AddNotice(ctx, storage.Notice{Key: key + ":" + r.IIN, IIN: r.IIN, ClaimID: c.ID, Kind: p.Event,
			Subject: subject, Body: strings.Join(paragraphs, "\n\n"), Email: r.Email})
		if err != nil {
			return err
		}
		if n.EmailedAt != nil || n.Email == "" {
			continue
		}
		if err := h.email(n, c, l, paragraphs); err != nil {
			return err // retried with backoff; the notice is kept and e-mailed then
		}
		if err := h.DB.MarkEmailed(ctx, n.ID); err != nil {
			return err
		}
	}
	h.Log.Info("notified", "claim_id", c.ID, "task_id", taskID(ctx), "event", p.Event, "recipients", len(recipients))
	return nil
}

func (h *Handlers) recipients(ctx context.Context, c claim.Claim, event string) ([]recipient, error) {
	var out []recipient
	if event != "response_reminder" {
		claimant, err := h.DB.PersonByIIN(ctx, c.ClaimantIIN)
		if err != nil && err != storage.ErrNotFound {
			return nil, err
		}
		claimant.IIN = c.ClaimantIIN
		if c.Claimant.Email != "" {
			claimant.Email = c.Claimant.Email
		}
		out = append(out, recipient{Person: claimant, role: "claimant"})
	}
	if event == "routed" || event == "response_reminder" || strings.HasPrefix(event, "decision.") {
		officers, err := h.DB.OfficersOf(ctx, c.RespondentBIN)
		if err != nil {
			return nil, err
		}
		for _, o := range officers {
			out = append(out, recipient{Person: o, role: "respondent"})
		}
	}
	return out, nil
}

// message is the notice's subject and paragraphs in language l.
func (h *Handlers) message(ctx context.Context, c claim.Claim, event, role, l string) (string, []string) {
	courtName := ""
	if c.CourtID != "" {
		if ct, err := h.DB.Court(ctx, c.CourtID); err == nil {
			courtName = ct.Name.In(l)
		}
	}
	due := ""
	if c.ResponseDue != nil {
		due = c.ResponseDue.Format("02.01.2006")
	}
	args := []any{"Number", c.Number, "Court", courtName, "Due", due}
	subject := h.Tr.T(l, "mail."+event+".subject", args...)
	paragraphs := []string{h.Tr.T(l, "mail."+event+"."+role, args...)}
	switch event {
	case "routed":
		if c.Routing != nil && role == "claimant" {
			paragraphs = append(paragraphs, c.Routing.Explanation.In(l))
		}
	case "needs_correction":
		for _, p := range c.Problems {
			paragraphs = append(paragraphs, "• "+p.Message.In(l))
		}
	}
	return subject, paragraphs
}

func (h *Handlers) email(n storage.Notice, c claim.Claim, l string, paragraphs []string) error {
	data := map[string]any{
		"Lang": l, "Subject": n.Subject, "Paragraphs": paragraphs, "SiteName": h.Tr.T(l, "site.name"),
		"Link": strings.TrimRight(h.Config.BaseURL, "/") + "/claims/" + c.ID, "LinkText": h.Tr.T(l, "mail.open"),
		"Footer": h.Tr.T(l, "mail.footer"),
	}
	var html, text bytes.Buffer
	if err := mailHTML.Execute(&html, data); err != nil {
		return err
	}
	if err := mailText.Execute(&text, data); err != nil {
		return err
	}
	return h.Mail.Send(mail.Message{To: n.Email, Subject: n.Subject, Text: text.String(), HTML: html.String(),
		ID: "notice-" + strconv.FormatInt(n.ID, 10)})
}
