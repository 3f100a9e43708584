package filing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"talap/portal/claim"
	"talap/portal/party"
	"talap/portal/receipt"
	"talap/portal/storage"
)

// IncompleteError lists what a claim lacks to be submitted.
type IncompleteError struct{ Missing claim.FieldErrors }

func (e *IncompleteError) Error() string { return "claim incomplete: " + e.Missing.Error() }

// Missing lists what the claim lacks to be submitted.
func Missing(c claim.Claim) claim.FieldErrors {
	return c.Draft.Missing(len(c.Documents) > 0, c.DutyPaid())
}

// Submit files the claimant's claim with a signed receipt. Everything the filing writes (number,
// time, receipt) is computed here from the claim as read, outside any transaction; storage writes
// it only if the claim is still as read, so the receipt covers exactly what was filed.
func (s *Service) Submit(ctx context.Context, claimantIIN, claimantName, id string) (claim.Claim, error) {
	cur, err := s.Store.Claim(ctx, id)
	if err != nil {
		return cur, err
	}
	if cur.ClaimantIIN != claimantIIN {
		return cur, storage.ErrNotFound
	}
	if !cur.Status.Editable() {
		return cur, storage.ErrConflict
	}
	if missing := Missing(cur); len(missing) > 0 {
		return cur, &IncompleteError{Missing: missing}
	}
	var respondent party.Body
	if cur.RespondentBIN != "" {
		if respondent, err = s.Store.Body(ctx, cur.RespondentBIN); err != nil && !errors.Is(err, storage.ErrNotFound) {
			return cur, err
		}
	}
	filedAt := s.Now().UTC().Truncate(time.Microsecond) // as PostgreSQL keeps it
	number := cur.Number                                // a resubmission keeps its number
	if number == "" {
		if number, err = s.Store.ReserveClaimNumber(ctx, filedAt); err != nil {
			return cur, err
		}
	}
	filed := cur
	filed.Number, filed.SubmittedAt = number, &filedAt
	r, err := s.seal(filed, claimantName, respondent)
	if err != nil {
		return cur, fmt.Errorf("seal receipt: %w", err)
	}
	return s.Store.Submit(ctx, storage.Filing{Read: cur, Number: number, FiledAt: filedAt, Receipt: &r})
}

// seal makes the signed receipt for a claim being filed: fresh salt for the claimant commitment,
// fresh verification token.
func (s *Service) seal(c claim.Claim, claimantName string, respondent party.Body) (storage.Receipt, error) {
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
	r, err := signReceipt(s.Signer, f)
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

// ErrUnverifiable means a version 1 receipt's signature does not hold over its stored facts under
// the current key, so it is not re-issued: re-signing would vouch for what nobody signed.
var ErrUnverifiable = errors.New("receipt: version 1 receipt does not verify under the current key; not re-issued")

// reissue re-issues a version 1 receipt: the same facts with a fresh salt, a new token and the
// current key's signature over the version 2 statement. It first checks that the old signature
// covers exactly the stored facts.
func (s *Service) reissue(old storage.Receipt) (storage.Receipt, error) {
	var f receipt.Facts
	if err := json.Unmarshal(old.Facts, &f); err != nil {
		return storage.Receipt{}, fmt.Errorf("receipt facts: %w", err)
	}
	f.Salt = ""
	if !receipt.VerifyV1(s.Signer.PublicKey(), f, []byte(old.Canonical), old.Signature) {
		return storage.Receipt{}, ErrUnverifiable
	}
	f.Salt = receipt.NewSalt()
	return signReceipt(s.Signer, f)
}

// Current returns r, or, when r is a version 1 receipt, the claim's receipt re-issued in its place
// (signed here, stored by storage unless another process was first).
func (s *Service) Current(ctx context.Context, r storage.Receipt) (storage.Receipt, error) {
	if !r.Legacy() {
		return r, nil
	}
	next, err := s.reissue(r)
	if err != nil {
		return r, err
	}
	return s.Store.ReissueReceipt(ctx, r, next)
}

// ReissueLegacyReceipts re-issues every claim's newest receipt that predates salted commitments
// and verification tokens (see portal/receipt), and logs how many. The portal runs it once at
// start, in the background: until it is done, such a receipt is re-issued when it is first looked
// up, so no unsalted statement is ever shown either way. Several portals may run it at once; each
// receipt is re-issued once. A receipt that fails is logged and left for its lookup.
func (s *Service) ReissueLegacyReceipts(ctx context.Context, log *slog.Logger) (int, error) {
	done, failed := 0, 0
	var after int64
	for {
		batch, err := s.Store.LegacyReceipts(ctx, after, 500)
		if ctx.Err() != nil {
			return done, ctx.Err() // shutting down: the rest is re-issued at the next start or lookup
		}
		if err != nil {
			log.Error("re-issuing version 1 receipts", "reissued", done, "error", err)
			return done, err
		}
		for _, l := range batch {
			after = l.ID
			r, err := s.Store.LatestReceipt(ctx, l.ClaimID)
			if err == nil {
				r, err = s.Current(ctx, r)
			}
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
