package web

// The documents step of the claim form: the list, the no-JavaScript upload form and removing a
// document. The upload itself streams as the API's does (UploadDocuments, documents.go).

import (
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"talap/portal/claim"
	"talap/portal/storage"
)

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

// removeDocument takes a document off a draft.
func (s *Server) removeDocument(c *fiber.Ctx) error {
	cl, err := s.ownClaim(c)
	if err != nil {
		return err
	}
	err = s.filing.RemoveDocument(c.UserContext(), principalOf(c).IIN, cl.ID, c.Params("doc"))
	switch {
	case errors.Is(err, storage.ErrConflict):
		return c.Redirect(claimURL(cl.ID), fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	back := stepURL(cl.ID, "documents") + "?removed=1"
	if formFrom(c) == "check" {
		back += "&from=check"
	}
	return c.Redirect(back+"#documents", fiber.StatusSeeOther)
}
