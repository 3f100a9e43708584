package web

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"talap/portal/claim"
	"talap/portal/party"
	"talap/portal/receipt"
	"talap/portal/storage"
)

// seal makes the signed receipt for a claim being filed. It runs inside the submit transaction,
// so it touches no database itself.
func (s *Server) seal(c claim.Claim, claimantName string, respondent party.Body) (storage.Receipt, error) {
	f := receipt.Facts{Number: c.Number, FiledAt: *c.SubmittedAt, Category: c.Category, Kind: c.Kind,
		Claimant:   receipt.Claimant{IIN: c.ClaimantIIN, Name: claimantName},
		Respondent: receipt.Respondent{BIN: respondent.BIN, Name: respondent.Name.RU}}
	if c.Routing != nil {
		f.Court = c.Routing.CourtID
	}
	for _, d := range c.Documents {
		f.Documents = append(f.Documents, receipt.Document{Name: d.Name, Size: d.Size, SHA256: d.SHA256, ContentType: d.ContentType})
	}
	signed, err := s.signer.Sign(f)
	if err != nil {
		return storage.Receipt{}, err
	}
	facts, err := json.Marshal(f)
	if err != nil {
		return storage.Receipt{}, err
	}
	return storage.Receipt{ClaimID: c.ID, Number: c.Number, Facts: facts, Canonical: string(signed.Canonical), Signature: signed.Signature, KeyID: signed.KeyID}, nil
}

func (s *Server) verifyURL(number string) string {
	return strings.TrimRight(s.Config.BaseURL, "/") + "/verify/" + number
}

// apiReceipt serves the latest signed receipt of a claim as PDF, to those who may see the claim.
func (s *Server) apiReceipt(c *fiber.Ctx) error {
	cl, err := s.visibleClaim(c.UserContext(), principalOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	r, err := s.DB.LatestReceipt(c.UserContext(), cl.ID)
	if errors.Is(err, storage.ErrNotFound) {
		return &Error{Status: fiber.StatusConflict, Code: "not_filed", Message: s.tr.T(langOf(c), "api.not_filed")}
	}
	if err != nil {
		return err
	}
	var f receipt.Facts
	if err := json.Unmarshal(r.Facts, &f); err != nil {
		return err
	}
	pdf, err := s.signer.PDF(f, langOf(c), s.verifyURL(r.Number))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, contentDisposition("receipt-"+r.Number+".pdf"))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(pdf)
}

// verifyPage lets anyone check a receipt's signature and see the filed documents' hashes, with no
// personal data: the signed statement holds only a commitment to the claimant.
func (s *Server) verifyPage(c *fiber.Ctx) error {
	r, err := s.DB.ReceiptByNumber(c.UserContext(), c.Params("number"))
	if err != nil {
		return err
	}
	pub, verr := receipt.VerifyCanonical(s.signer.PublicKey(), []byte(r.Canonical), r.Signature)
	data := fiber.Map{"Number": r.Number, "Valid": verr == nil, "Public": pub, "KeyID": r.KeyID,
		"Signature": base64.StdEncoding.EncodeToString(r.Signature), "Canonical": r.Canonical,
		"PublicKey": base64.StdEncoding.EncodeToString(s.signer.PublicKey())}
	if !wantsHTML(c) {
		return c.JSON(fiber.Map{"number": r.Number, "valid": verr == nil, "statement": json.RawMessage(r.Canonical),
			"signature": data["Signature"], "key_id": r.KeyID, "public_key": data["PublicKey"]})
	}
	return s.render(c, "verify", data)
}
