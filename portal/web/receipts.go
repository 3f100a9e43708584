package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"talap/portal/claim"
	"talap/portal/filing"
	"talap/portal/receipt"
	"talap/portal/storage"
)

// verifyURL is the public page of the receipt with this token, printed on the receipt.
func (s *Server) verifyURL(token string) string {
	return strings.TrimRight(s.Config.BaseURL, "/") + "/verify/" + token
}

// verifyPath is the path of the public page of a filed claim's newest receipt ("" before filing).
func (s *Server) verifyPath(ctx context.Context, cl claim.Claim) (string, error) {
	if cl.SubmittedAt == nil {
		return "", nil
	}
	r, err := s.DB.LatestReceipt(ctx, cl.ID)
	if errors.Is(err, storage.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if r, err = s.filing.Current(ctx, r); err != nil {
		return "", err
	}
	return "/verify/" + r.Token, nil
}

// apiReceipt serves the latest signed receipt of a claim as PDF, to those who may see the claim.
// A version 1 receipt is re-issued first, so the PDF always carries a salt and a token link.
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
	if r, err = s.filing.Current(c.UserContext(), r); err != nil {
		return err
	}
	var f receipt.Facts
	if err := json.Unmarshal(r.Facts, &f); err != nil {
		return err
	}
	pdf, err := s.signer.RenderPDF(s.tr.T, f, langOf(c), s.verifyURL(r.Token))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, contentDisposition("receipt-"+r.Number+".pdf"))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(pdf)
}

// verifyPage lets anyone check a receipt's signature and see the filed documents' hashes, with no
// personal data: the signed statement holds only a salted commitment to the claimant, whose salt
// only the claimant's PDF shows. The receipt is named by its token (the QR code's link) or, for
// links printed before tokens, by its claim number (the claim's newest receipt); the page never
// shows the token, so the number does not lead to it. Requests are limited per client address.
func (s *Server) verifyPage(c *fiber.Ctx) error {
	if err := s.rateLimit(c, "verify:"+s.clientIP(c), s.Config.RateVerify); err != nil {
		return err
	}
	ctx := c.UserContext()
	key := c.Params("number")
	var r storage.Receipt
	var err error
	if receipt.IsToken(key) {
		r, err = s.DB.ReceiptByToken(ctx, key)
	} else if r, err = s.DB.ReceiptByNumber(ctx, key); err == nil {
		var cur storage.Receipt
		cur, err = s.filing.Current(ctx, r)
		if errors.Is(err, filing.ErrUnverifiable) {
			// A version 1 receipt whose signature does not hold: say so, and show nothing of it.
			s.Log.Warn("version 1 receipt does not verify; not re-issued", "claim_id", r.ClaimID)
			return s.verifyAnswer(c, storage.Receipt{Number: r.Number, Canonical: "{}", KeyID: r.KeyID}, false)
		}
		r = cur
	}
	if err != nil {
		return err
	}
	if r.Legacy() { // cannot happen: tokens are only given to version 2 receipts
		return storage.ErrNotFound
	}
	return s.verifyAnswer(c, r, true)
}

// verifyAnswer shows r's statement and whether its signature holds (never when mayHold is false).
func (s *Server) verifyAnswer(c *fiber.Ctx, r storage.Receipt, mayHold bool) error {
	var pub receipt.Public
	valid := false
	if mayHold {
		var err error
		pub, err = receipt.VerifyCanonical(s.signer.PublicKey(), []byte(r.Canonical), r.Signature)
		valid = err == nil
	}
	data := fiber.Map{"Number": r.Number, "Valid": valid, "Public": pub, "KeyID": r.KeyID,
		"Signature": base64.StdEncoding.EncodeToString(r.Signature), "Canonical": r.Canonical,
		"PublicKey": base64.StdEncoding.EncodeToString(s.signer.PublicKey())}
	if !wantsHTML(c) {
		return c.JSON(fiber.Map{"number": r.Number, "valid": valid, "statement": json.RawMessage(r.Canonical),
			"signature": data["Signature"], "key_id": r.KeyID, "public_key": data["PublicKey"]})
	}
	return s.render(c, "verify", data)
}
