// Package filing holds the use cases on a claim: drafting it, filing it with a signed receipt,
// the court's decisions and the respondent's answer. The pages, the API and the worker call these
// and only parse and render around them. The rules come from the domain packages (claim, deadline,
// duty, routing), persistence from storage, through the Store interface.
package filing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"talap/infra/seed"
	"talap/portal/claim"
	"talap/portal/config"
	"talap/portal/court"
	"talap/portal/party"
	"talap/portal/receipt"
	"talap/portal/storage"
)

// ErrForbidden means the actor may see the claim but not do this to it.
var ErrForbidden = errors.New("filing: not allowed")

// Store is what the use cases need of the system of record (storage.DB).
type Store interface {
	Claim(ctx context.Context, id string) (claim.Claim, error)
	Body(ctx context.Context, bin string) (party.Body, error)
	Courts(ctx context.Context) ([]court.Court, error)
	CreateDraft(ctx context.Context, claimantIIN string, d claim.Draft, maxDrafts int) (claim.Claim, error)
	UpdateDraft(ctx context.Context, id, claimantIIN string, answers []byte, now time.Time) (claim.Claim, error)
	ReserveClaimNumber(ctx context.Context, at time.Time) (string, error)
	Submit(ctx context.Context, f storage.Filing) (claim.Claim, error)
	Decide(ctx context.Context, id, courtID, actor string, d claim.Decision) (claim.Claim, error)
	AddResponse(ctx context.Context, claimID, bodyBIN, actor, text string, docs []claim.Document, maxResponses int, late bool) (claim.Response, error)
	LatestReceipt(ctx context.Context, claimID string) (storage.Receipt, error)
	ReissueReceipt(ctx context.Context, old, next storage.Receipt) (storage.Receipt, error)
	LegacyReceipts(ctx context.Context, after int64, limit int) ([]storage.LegacyReceipt, error)
	AddDocument(ctx context.Context, claimID, claimantIIN string, d claim.Document, limits storage.DocumentLimits) (claim.Document, error)
	RemoveDocument(ctx context.Context, claimID, claimantIIN, docID string) (claim.Document, error)
	DeleteDraft(ctx context.Context, id, claimantIIN string) ([]claim.Document, error)
	Withdraw(ctx context.Context, id, claimantIIN string) (claim.Claim, error)
}

// Service runs the use cases.
type Service struct {
	Store   Store
	Objects Objects // nil where nothing is uploaded (the worker, tools)
	Signer  *receipt.Signer
	Config  config.Config
	Now     func() time.Time // the clock; time.Now unless a test says otherwise
	Log     *slog.Logger
}

// New makes a service on the real clock, signing receipts with the key in cfg.
func New(store Store, cfg config.Config) (*Service, error) {
	signer, err := receipt.NewSigner(cfg.ReceiptKey)
	if err != nil {
		return nil, fmt.Errorf("TALAP_RECEIPT_KEY: %w", err)
	}
	return &Service{Store: store, Signer: signer, Config: cfg, Now: time.Now, Log: slog.Default()}, nil
}

// Visible loads a claim the viewer may see; any other claim is "not found", so that its existence
// is not revealed.
func (s *Service) Visible(ctx context.Context, v claim.Viewer, id string) (claim.Claim, error) {
	c, err := s.Store.Claim(ctx, id)
	if err != nil {
		return c, err
	}
	if !c.VisibleTo(v) {
		return c, storage.ErrNotFound
	}
	return c, nil
}

func hasChoice(list []seed.Choice, code string) bool {
	for _, c := range list {
		if c.Code == code {
			return true
		}
	}
	return false
}

func allIn(codes []string, list []seed.Choice) bool {
	for _, code := range codes {
		if !hasChoice(list, code) {
			return false
		}
	}
	return true
}
