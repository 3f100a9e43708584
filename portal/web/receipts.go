package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"talap/portal/claim"
	"talap/portal/config"
	"talap/portal/party"
	"talap/portal/receipt"
	"talap/portal/storage"
)

// seal makes the signed receipt for a claim being filed: fresh salt for the claimant commitment,
// fresh verification token. It runs inside the submit transaction, so it touches no database itself.
func (s *Server) seal(c claim.Claim, claimantName string, respondent party.Body) (storage.Receipt, error) {
	f := receipt.Facts{Number: c.Number, FiledAt: *c.SubmittedAt, Category: c.Category, Kind: c.Kind,
		Claimant:   receipt.Claimant{IIN: c.ClaimantIIN, Name: claimantName},
		Respondent: receipt.Respondent{BIN: respondent.BIN, Name: respondent.Name.RU},
		Salt:       receipt.NewSalt()}
	if c.Routing != nil {
		f.Court = c.Routing.CourtID
	}
	for _, d := range c.Documents {
		f.Documents = append(f.Documents, receipt.Document{Name: d.Name, Size: d.Size, SHA256: d.SHA256, ContentType: d.ContentType})
	}
	r, err := signReceipt(s.signer, f)
	r.ClaimID, r.Number = c.ID, c.Number
	return r, err
}

// signReceipt signs f (which must carry its salt) into a receipt with a new token.
func signReceipt(signer *receipt.Signer, f receipt.Facts) (storage.Receipt, error) {
	signed, err := signer.Sign(f)
	if err != nil {
		return storage.Receipt{}, err
	}
	facts, err := json.Marshal(f)
	if err != nil {
		return storage.Receipt{}, err
	}
	return storage.Receipt{Number: f.Number, Facts: facts, Canonical: string(signed.Canonical), Signature: signed.Signature,
		KeyID: signed.KeyID, Token: receipt.NewToken()}, nil
}

// errUnverifiable means a version 1 receipt's signature does not hold over its stored facts under
// the current key, so it is not re-issued: re-signing would vouch for what nobody signed.
var errUnverifiable = errors.New("receipt: version 1 receipt does not verify under the current key; not re-issued")

// reissueFunc re-issues a version 1 receipt: the same facts with a fresh salt, a new token and the
// current key's signature over the version 2 statement. It first checks that the old signature
// covers exactly the stored facts.
func reissueFunc(signer *receipt.Signer) func(storage.Receipt) (storage.Receipt, error) {
	return func(old storage.Receipt) (storage.Receipt, error) {
		var f receipt.Facts
		if err := json.Unmarshal(old.Facts, &f); err != nil {
			return storage.Receipt{}, fmt.Errorf("receipt facts: %w", err)
		}
		f.Salt = ""
		if !receipt.VerifyV1(signer.PublicKey(), f, []byte(old.Canonical), old.Signature) {
			return storage.Receipt{}, errUnverifiable
		}
		f.Salt = receipt.NewSalt()
		return signReceipt(signer, f)
	}
}

// current returns r, or, when r is a version 1 receipt, the claim's receipt re-issued in its place.
func (s *Server) current(ctx context.Context, r storage.Receipt) (storage.Receipt, error) {
	if !r.Legacy() {
		return r, nil
	}
	return s.DB.ReissueReceipt(ctx, r.ClaimID, reissueFunc(s.signer))
}

// ReissueLegacyReceipts re-issues, under the key in cfg, every claim's newest receipt that predates
// salted commitments and verification tokens (see portal/receipt), and logs how many. The portal
// runs it once at start, in the background: until it is done, such a receipt is re-issued when it
// is first looked up, so no unsalted statement is ever shown either way. Several portals may run it
// at once; each receipt is re-issued once. A receipt that fails is logged and left for its lookup.
func ReissueLegacyReceipts(ctx context.Context, cfg config.Config, db *storage.DB, log *slog.Logger) (int, error) {
	signer, err := receipt.NewSigner(cfg.ReceiptKey)
	if err != nil {
		return 0, err
	}
	reissue := reissueFunc(signer)
	done, failed := 0, 0
	var after int64
	for {
		batch, err := db.LegacyReceipts(ctx, after, 500)
		if ctx.Err() != nil {
			return done, ctx.Err() // shutting down: the rest is re-issued at the next start or lookup
		}
		if err != nil {
			log.Error("re-issuing version 1 receipts", "reissued", done, "error", err)
			return done, err
		}
		for _, l := range batch {
			after = l.ID
			r, err := db.ReissueReceipt(ctx, l.ClaimID, reissue)
			switch {
			case ctx.Err() != nil:
				return done, ctx.Err()
			case err != nil:
				failed++
				log.Error("re-issuing a version 1 receipt", "claim_id", l.ClaimID, "error", err)
			case r.Token != "":
				done++
			}
		}
		if len(batch) < 500 {
			break
		}
	}
	if done > 0 || failed > 0 {
		log.Info("version 1 receipts re-issued", "reissued", done, "failed", failed)
	}
	return done, nil
}

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
	if r, err = s.current(ctx, r); err != nil {
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
	if r, err = s.current(c.UserContext(), r); err != nil {
		return err
	}
	var f receipt.Facts
	if err := json.Unmarshal(r.Facts, &f); err != nil {
		return err
	}
	pdf, err := s.signer.PDF(f, langOf(c), s.verifyURL(r.Token))
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
		cur, err = s.current(ctx, r)
		if errors.Is(err, errUnverifiable) {
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
