package filing

import (
	"context"
	"errors"

	"talap/infra/seed"
	"talap/portal/claim"
	"talap/portal/duty"
	"talap/portal/storage"
)

// checkRegistry adds the field problems only the registries can tell: the respondent must be a
// known body, and chosen grounds must be on the lists held as data.
func (s *Service) checkRegistry(ctx context.Context, d claim.Draft) (claim.FieldErrors, error) {
	fe := claim.FieldErrors{}
	if d.RespondentBIN != "" {
		if _, err := s.Store.Body(ctx, d.RespondentBIN); errors.Is(err, storage.ErrNotFound) {
			fe["respondent_bin"] = "unknown_body"
		} else if err != nil {
			return nil, err
		}
	}
	ch, err := seed.LoadChoices()
	if err != nil {
		return nil, err
	}
	if d.DutyExemption != "" {
		if _, ok, err := duty.Exemption(d.DutyExemption); err != nil {
			return nil, err
		} else if !ok {
			fe["duty_exemption"] = "unknown_choice"
		}
	}
	if d.Pretrial.ExemptReason != "" && !hasChoice(ch.PretrialReasons, d.Pretrial.ExemptReason) {
		fe["pretrial.exempt_reason"] = "unknown_choice"
	}
	return fe, nil
}

// ApplyAnswers validates a JSON body of answers onto d, registry checks included.
func (s *Service) ApplyAnswers(ctx context.Context, d claim.Draft, body []byte) (claim.Draft, error) {
	d, err := claim.Apply(d, body, s.Now())
	var fe claim.FieldErrors
	if err != nil && !errors.As(err, &fe) {
		return d, err
	}
	reg, rerr := s.checkRegistry(ctx, d)
	if rerr != nil {
		return d, rerr
	}
	for k, v := range reg {
		if fe == nil {
			fe = claim.FieldErrors{}
		}
		if _, ok := fe[k]; !ok {
			fe[k] = v
		}
	}
	if len(fe) > 0 {
		return d, fe
	}
	return d, nil
}

// CreateDraft starts a claim of the claimant's from answers given as JSON.
func (s *Service) CreateDraft(ctx context.Context, claimantIIN string, body []byte) (claim.Claim, error) {
	d, err := s.ApplyAnswers(ctx, claim.Draft{}, body)
	if err != nil {
		return claim.Claim{}, err
	}
	return s.Store.CreateDraft(ctx, claimantIIN, d, s.Config.MaxDrafts)
}

// UpdateDraft changes a claim's answers with those given as JSON (fields absent stay as they are).
//
// The registry is consulted before the storage transaction, never inside it: a transaction that
// waited for a second pool connection could deadlock the pool under load.
func (s *Service) UpdateDraft(ctx context.Context, claimantIIN, id string, body []byte) (claim.Claim, error) {
	cur, err := s.Store.Claim(ctx, id)
	if err != nil {
		return cur, err
	}
	if cur.ClaimantIIN != claimantIIN {
		return cur, storage.ErrNotFound
	}
	if _, err := s.ApplyAnswers(ctx, cur.Draft, body); err != nil {
		return cur, err
	}
	// The registry facts checked above come from the body itself, so applying the same body to the
	// locked claim needs no second look at the registry.
	return s.Store.UpdateDraft(ctx, id, claimantIIN, body, s.Now())
}
