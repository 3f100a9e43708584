package main

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"

	"talap/infra/seed"
)

// callTimeout bounds every API call but the big upload.
const callTimeout = time.Minute

// citizen is one virtual user of the portal: its own cookie jar (so its own session) and CSRF token.
type citizen struct {
	hc   *http.Client
	base string
	iin  string
	csrf string
}

// apiError is an answer of the portal other than the one expected.
type apiError struct {
	Op     string
	Status int
	Code   string
	Fields []string
}

func (e *apiError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d", e.Op, e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	if len(e.Fields) > 0 {
		s += " (" + strings.Join(e.Fields, ", ") + ")"
	}
	return s
}

func newAPIError(op string, status int, body []byte) error {
	var b struct {
		Error struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	e := &apiError{Op: op, Status: status}
	if json.Unmarshal(body, &b) == nil {
		e.Code = b.Error.Code
		for k := range b.Error.Fields {
			e.Fields = append(e.Fields, k)
		}
		slices.Sort(e.Fields)
	}
	return e
}

// opError names the step that failed without the URL (which holds ids), so errors group by kind.
func opError(op string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("%s: %w", op, err)
}

func newTransport(conns int) *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
}

// signIn signs in as the persona with this IIN through the simulator (login_hint skips its picker):
// the portal redirects to the provider, which redirects back to /auth/callback, which sets the
// session cookie. /api/v1/me then gives the CSRF token.
func signIn(ctx context.Context, rt http.RoundTripper, base, iin string) (*citizen, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := &citizen{hc: &http.Client{Transport: rt, Jar: jar}, base: strings.TrimRight(base, "/"), iin: iin}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/auth/login?login_hint="+url.QueryEscape(iin), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, opError("sign-in", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return nil, fmt.Errorf("sign-in as %s: HTTP %d at %s (the portal's sign-in rate limits are TALAP_RATE_LOGIN_PER_MINUTE and TALAP_RATE_LOGIN_PER_PERSON_PER_MINUTE)", iin, resp.StatusCode, resp.Request.URL.Path)
	}
	var me struct {
		IIN  string `json:"iin"`
		CSRF string `json:"csrf_token"`
	}
	if err := c.call(ctx, "me", http.MethodGet, "/api/v1/me", nil, "", nil, http.StatusOK, &me); err != nil {
		return nil, fmt.Errorf("sign-in as %s did not give a session: %w", iin, err)
	}
	if me.IIN != iin || me.CSRF == "" {
		return nil, fmt.Errorf("sign-in as %s: signed in as %q", iin, me.IIN)
	}
	c.csrf = me.CSRF
	return c, nil
}

// call makes one API request and decodes the answer into out when it has the status wanted.
func (c *citizen) call(ctx context.Context, op, method, path string, body io.Reader, contentType string, hdr http.Header, want int, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if method != http.MethodGet && method != http.MethodHead {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return opError(op, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return opError(op, err)
	}
	if resp.StatusCode != want {
		if resp.StatusCode == http.StatusTooManyRequests {
			return fmt.Errorf("%s: HTTP 429 (the portal's API rate limit is TALAP_RATE_API_PER_MINUTE per person; use -start, or raise it)", op)
		}
		return newAPIError(op, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s: answer: %w", op, err)
		}
	}
	return nil
}

func (c *citizen) callTimed(ctx context.Context, op, method, path string, body io.Reader, contentType string, hdr http.Header, want int, out any) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	return c.call(ctx, op, method, path, body, contentType, hdr, want, out)
}

type claimState struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

func (c *citizen) createClaim(ctx context.Context, answers []byte) (string, error) {
	var cl claimState
	err := c.callTimed(ctx, "create", http.MethodPost, "/api/v1/claims", strings.NewReader(string(answers)), "application/json", nil, http.StatusCreated, &cl)
	if err == nil && cl.ID == "" {
		err = errors.New("create: no id in the answer")
	}
	return cl.ID, err
}

// uploadDocument sends one generated PDF as a multipart form with a Content-Length, as a browser does.
func (c *citizen) uploadDocument(ctx context.Context, claimID string, size, offset int64) error {
	var buf strings.Builder
	buf.Grow(int(size) + 512)
	mw := multipart.NewWriter(&buf)
	part, err := mw.CreatePart(filePartHeader("evidence.pdf"))
	if err != nil {
		return err
	}
	if _, err := io.Copy(part, newPDF(size, offset)); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return err
	}
	var doc struct {
		ID   string `json:"id"`
		Size int64  `json:"size"`
	}
	err = c.callTimed(ctx, "upload", http.MethodPost, "/api/v1/claims/"+claimID+"/documents", strings.NewReader(buf.String()), mw.FormDataContentType(), nil, http.StatusCreated, &doc)
	if err == nil && doc.Size != size {
		err = fmt.Errorf("upload: stored %d bytes of %d", doc.Size, size)
	}
	return err
}

func filePartHeader(name string) textproto.MIMEHeader {
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, name))
	h.Set("Content-Type", "application/pdf")
	return h
}

// submit files the claim once, with an Idempotency-Key as the portal's own form does.
func (c *citizen) submit(ctx context.Context, claimID string) error {
	var key [16]byte
	_, _ = crand.Read(key[:])
	var cl claimState
	err := c.callTimed(ctx, "submit", http.MethodPost, "/api/v1/claims/"+claimID+"/submit", nil, "", http.Header{"Idempotency-Key": {hex.EncodeToString(key[:])}}, http.StatusOK, &cl)
	if err == nil && cl.Status != "submitted" {
		err = fmt.Errorf("submit: status %q after submit", cl.Status)
	}
	return err
}

// waitRouted polls the claim every 20-50 ms until it is routed, and fails if it is sent back or
// cannot be routed, or after timeout. Polls are conditional, as a well-behaved client's are: the
// ETag of the last answer goes back in If-None-Match, and 304 means nothing changed.
func (c *citizen) waitRouted(ctx context.Context, claimID string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	etag, status := "", ""
	for {
		t := time.NewTimer(20*time.Millisecond + rand.N(30*time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		var err error
		if etag, status, err = c.poll(ctx, claimID, etag, status); err != nil {
			return err
		}
		switch status {
		case "routed":
			return nil
		case "needs_correction", "unroutable", "returned", "withdrawn", "left_without_motion":
			return fmt.Errorf("claim ended %s instead of routed", status)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not routed within %s (last status %s)", timeout, status)
		}
	}
}

// poll asks for the claim unless it is unchanged since etag, and returns the new ETag and status.
func (c *citizen) poll(ctx context.Context, claimID, etag, status string) (string, string, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/api/v1/claims/"+claimID, nil)
	if err != nil {
		return "", "", err
	}
	req.Header.Set("Accept", "application/json")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", "", opError("poll", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return "", "", opError("poll", err)
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && etag != "":
		return etag, status, nil
	case resp.StatusCode != http.StatusOK:
		return "", "", newAPIError("poll", resp.StatusCode, b)
	}
	var cl claimState
	if err := json.Unmarshal(b, &cl); err != nil {
		return "", "", fmt.Errorf("poll: answer: %w", err)
	}
	return resp.Header.Get("ETag"), cl.Status, nil
}

// fixture is what complete claims are made of: respondents the registry's courts cover, and
// claimants' residences.
type fixture struct {
	bins     []string
	katos    []string
	issued   string
	received string
}

// loadFixture reads the respondents from the portal's public registry API (keeping those a court
// covers, so that routing can succeed) and residences from the KATO list.
func loadFixture(ctx context.Context, rt http.RoundTripper, base string) (*fixture, error) {
	anon := &citizen{hc: &http.Client{Transport: rt}, base: strings.TrimRight(base, "/")}
	var bodies struct {
		Bodies []struct {
			BIN  string `json:"bin"`
			KATO string `json:"kato"`
		} `json:"public_bodies"`
	}
	if err := anon.callTimed(ctx, "public-bodies", http.MethodGet, "/api/v1/public-bodies?limit=500", nil, "", nil, http.StatusOK, &bodies); err != nil {
		return nil, err
	}
	var courts struct {
		Courts []struct {
			Prefixes []string `json:"kato_prefixes"`
		} `json:"courts"`
	}
	if err := anon.callTimed(ctx, "courts", http.MethodGet, "/api/v1/courts", nil, "", nil, http.StatusOK, &courts); err != nil {
		return nil, err
	}
	f := &fixture{}
	for _, b := range bodies.Bodies {
		covered := false
		for _, c := range courts.Courts {
			for _, p := range c.Prefixes {
				covered = covered || p != "" && strings.HasPrefix(b.KATO, p)
			}
		}
		if covered {
			f.bins = append(f.bins, b.BIN)
		}
	}
	if len(f.bins) == 0 {
		return nil, fmt.Errorf("no public body in the portal's registry is covered by a court (%d bodies, %d courts): is the database seeded?", len(bodies.Bodies), len(courts.Courts))
	}
	regions, err := seed.Regions()
	if err != nil {
		return nil, err
	}
	for _, r := range regions {
		for _, d := range r.Districts {
			f.katos = append(f.katos, d.Code)
		}
	}
	if len(f.katos) == 0 {
		f.katos = []string{"711110000"}
	}
	now := time.Now()
	f.issued = now.AddDate(0, 0, -20).Format(time.DateOnly)
	f.received = now.AddDate(0, 0, -15).Format(time.DateOnly)
	return f, nil
}

// answers is a complete tax challenge, exempt from the pre-trial step and from the state duty.
func (f *fixture) answers(seq int) []byte {
	a := map[string]any{
		"category":       "tax",
		"kind":           "challenge",
		"respondent_bin": f.bins[seq%len(f.bins)],
		"subject":        fmt.Sprintf("Load test claim %d: tax assessment notice", seq),
		"grounds":        "The notice applies a rate that the Tax Code does not provide for this kind of income.",
		"demands":        "Declare the notice unlawful and cancel it.",
		"contested_act":  map[string]string{"number": fmt.Sprintf("LT-%06d", seq), "issued_on": f.issued, "received_on": f.received},
		"pretrial":       map[string]string{"exempt_reason": "law_exempts"},
		"claimant":       map[string]string{"residence_kato": f.katos[seq%len(f.katos)], "phone": "+7 701 234 56 78"},
		"duty_exemption": "disability",
	}
	b, _ := json.Marshal(a)
	return b
}

// citizens lists the citizen personas' IINs: from the simulator's /personas if it answers, else
// from the seed file the simulator reads by default.
func citizens(ctx context.Context, rt http.RoundTripper, idp string) ([]string, error) {
	type persona struct {
		IIN  string `json:"iin"`
		Kind string `json:"kind"`
	}
	var list []persona
	anon := &citizen{hc: &http.Client{Transport: rt}, base: strings.TrimRight(idp, "/")}
	if err := anon.callTimed(ctx, "personas", http.MethodGet, "/personas", nil, "", nil, http.StatusOK, &list); err != nil {
		ps, serr := seed.Personas()
		if serr != nil {
			return nil, errors.Join(err, serr)
		}
		for _, p := range ps {
			list = append(list, persona{IIN: p.IIN, Kind: p.Kind})
		}
	}
	var out []string
	for _, p := range list {
		if p.Kind == "citizen" {
			out = append(out, p.IIN)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no citizen persona")
	}
	return out, nil
}
