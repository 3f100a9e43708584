package filing

import (
	"context"
	"time"

	"talap/portal/claim"
	"talap/portal/document"
	"talap/portal/storage"
)

// Objects is what the use cases need of object storage: to drop versions stored for drafts and
// failed uploads (objectstore.Store).
type Objects interface {
	RemoveVersion(ctx context.Context, key, versionID string) error
}

// dropObjects removes stored versions, each with a time limit of its own: a failure leaves
// an unreferenced version under retention, which is logged, never an error for the person.
func (s *Service) dropObjects(docs []claim.Document) {
	if s.Objects == nil {
		return
	}
	for _, d := range docs {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := s.Objects.RemoveVersion(ctx, d.Key, d.VersionID); err != nil && s.Log != nil {
			s.Log.Warn("could not remove object", "key", d.Key, "error", err)
		}
		cancel()
	}
}

// RecordDocuments records documents already streamed to object storage on the claimant's editable
// claim, of one kind, within the claim's limits. If one is refused, those recorded before it stay
// and it and the rest are removed from object storage.
func (s *Service) RecordDocuments(ctx context.Context, claimantIIN, claimID, kind string, stored []document.Stored) ([]claim.Document, error) {
	docs := make([]claim.Document, 0, len(stored))
	limits := storage.DocumentLimits{Bytes: s.Config.ClaimDocsMax, Count: s.Config.MaxClaimDocuments}
	for i, st := range stored {
		d, err := s.Store.AddDocument(ctx, claimID, claimantIIN, claim.Document{ID: st.ID, Kind: kind, Name: st.Name, Size: st.Size,
			ContentType: st.ContentType, SHA256: st.SHA256, Key: st.Key, VersionID: st.VersionID}, limits)
		if err != nil {
			s.DropStored(stored[i:])
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// DropStored removes versions streamed for a request that was then refused.
func (s *Service) DropStored(stored []document.Stored) {
	docs := make([]claim.Document, len(stored))
	for i, st := range stored {
		docs[i] = claim.Document{Key: st.Key, VersionID: st.VersionID}
	}
	s.dropObjects(docs)
}

// RemoveDocument takes a document off the claimant's editable claim, and its object out of storage.
func (s *Service) RemoveDocument(ctx context.Context, claimantIIN, claimID, docID string) error {
	d, err := s.Store.RemoveDocument(ctx, claimID, claimantIIN, docID)
	if err != nil {
		return err
	}
	s.dropObjects([]claim.Document{d})
	return nil
}

// DeleteDraft deletes the claimant's draft with its documents' objects.
func (s *Service) DeleteDraft(ctx context.Context, claimantIIN, claimID string) error {
	docs, err := s.Store.DeleteDraft(ctx, claimID, claimantIIN)
	if err != nil {
		return err
	}
	s.dropObjects(docs)
	return nil
}

// Withdraw withdraws the claimant's filed claim before the court registers it (APPK Art. 142(2)).
func (s *Service) Withdraw(ctx context.Context, claimantIIN, claimID string) (claim.Claim, error) {
	return s.Store.Withdraw(ctx, claimID, claimantIIN)
}
