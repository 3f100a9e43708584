package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// Quotas are configuration with a clear refusal: drafts per person, documents per claim,
// responses per claim. What was there before the refusal is unchanged.
func TestQuotasOnDraftsDocumentsAndResponses(t *testing.T) {
	d := deps(t)
	d.Config.MaxDrafts, d.Config.MaxClaimDocuments, d.Config.MaxResponses = 2, 2, 1
	p := startPortal(t, d, func(base string) string { return startSimulator(t, base) })
	runPipeline(t, d.Config)
	a := asPerson(t, p, citizen(t, 1).IIN)

	first := a.newDraft(wsAnswers())
	a.newDraft(map[string]any{})
	resp, body := a.json(http.MethodPost, "/api/v1/claims", map[string]any{})
	e := wantError(t, resp, body, http.StatusConflict, "quota_exceeded")
	if !strings.Contains(e.Message, "2 drafts") {
		t.Errorf("drafts quota message %q does not name the limit", e.Message)
	}

	kept := a.doc(a.upload(first.ID, file("a.pdf", pdfFile), kindField("contested_act")))
	// Two files where one more fits: refused whole, and the document already there is untouched.
	resp, body = a.upload(first.ID, file("b.pdf", pdfOfSize(700)), file("c.pdf", pdfOfSize(800)))
	wantError(t, resp, body, http.StatusConflict, "quota_exceeded")
	if got := a.getClaim(first.ID); len(got.Documents) != 1 {
		t.Fatalf("documents after refusing two files = %d, want 1", len(got.Documents))
	}
	if resp, body := a.do(http.MethodGet, "/api/v1/claims/"+first.ID+"/documents/"+kept.ID, nil); resp.StatusCode != http.StatusOK || sha256Hex(body) != kept.SHA256 {
		t.Fatalf("the kept document after the refusal = %d", resp.StatusCode)
	}
	a.doc(a.upload(first.ID, file("b.pdf", pdfOfSize(700))))
	resp, body = a.upload(first.ID, file("c.pdf", pdfOfSize(800)))
	e = wantError(t, resp, body, http.StatusConflict, "quota_exceeded")
	if !strings.Contains(e.Message, "2 documents") {
		t.Errorf("documents quota message %q does not name the limit", e.Message)
	}
	if got := a.getClaim(first.ID); len(got.Documents) != 2 {
		t.Fatalf("documents after the refusal = %d, want 2", len(got.Documents))
	}

	// Filing the first draft frees a draft place.
	resp, body = a.json(http.MethodPost, "/api/v1/claims/"+first.ID+"/submit", nil)
	decodeWS(t, resp, body, http.StatusOK)
	a.newDraft(map[string]any{})
	routed := a.waitStatus(first.ID, "routed")

	officer := asPerson(t, p, officerOf(t, respondentBIN).IIN)
	if resp, body := officer.respond(routed.ID, "Our position."); resp.StatusCode != http.StatusCreated {
		t.Fatalf("first response = %d %s", resp.StatusCode, body)
	}
	resp, body = officer.respond(routed.ID, "A second position.")
	wantError(t, resp, body, http.StatusConflict, "quota_exceeded")
	if got := a.getClaimWS(routed.ID); len(got.Responses) != 1 {
		t.Fatalf("responses after the refusal = %d, want 1", len(got.Responses))
	}
}
