package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"talap/portal/claim"
	"talap/portal/document"
	"talap/portal/storage"
)

// multipartOverhead is what a form adds around a file: boundaries, headers and a small kind field.
const multipartOverhead = 64 << 10

// UploadDocuments streams the request's multipart body to object storage: each `file` part goes
// through SHA-256 and type sniffing on its way, never whole in memory. An optional `kind` field,
// sent before or after the file, says what the documents are.
func (s *Server) UploadDocuments(c *fiber.Ctx, p *Principal, claimID string) (_ []claim.Document, err error) {
	// A refused upload may leave the rest of the body unread on the connection: close it after the
	// answer, or those bytes would be read as the next request.
	defer func() {
		if err != nil {
			c.Context().SetConnectionClose()
		}
	}()
	ctx := c.UserContext()
	cl, err := s.DB.Claim(ctx, claimID)
	if err != nil {
		return nil, err
	}
	if cl.ClaimantIIN != p.IIN || p.TokenBody != "" {
		return nil, storage.ErrNotFound
	}
	if !cl.Status.Editable() {
		return nil, storage.ErrConflict
	}
	// Refuse before reading when the claim already holds as many documents as it may.
	if len(cl.Documents) >= s.Config.MaxClaimDocuments {
		return nil, &storage.QuotaError{What: "documents", Limit: s.Config.MaxClaimDocuments}
	}
	used := int64(0)
	for _, d := range cl.Documents {
		used += d.Size
	}
	limits := document.Limits{PerDocument: s.Config.DocumentMax, PerClaim: s.Config.ClaimDocsMax}
	// Refuse before reading when the declared length already says it is too big.
	if n := int64(c.Request().Header.ContentLength()); n > 0 {
		if n > limits.PerDocument+multipartOverhead {
			return nil, s.tooLarge(c, limits.PerDocument)
		}
		if n > limits.PerClaim-used+multipartOverhead {
			return nil, s.tooLarge(c, limits.PerClaim)
		}
	}
	kind := "evidence"
	stored, err := s.receiveMultipart(c, claimID, limits.MaxSize(used), limits.PerClaim-used, s.Config.MaxClaimDocuments-len(cl.Documents), map[string]*string{"kind": &kind}, func(field, value string) error {
		if field == "kind" && !slices.Contains(claim.DocumentKinds, value) {
			return s.fieldError(c, claim.FieldErrors{"kind": "unknown_document_kind"})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(stored) == 0 {
		return nil, s.fieldError(c, claim.FieldErrors{"file": "file_required"})
	}
	return s.filing.RecordDocuments(ctx, p.IIN, claimID, kind, stored)
}

// receiveMultipart streams a multipart request: each `file` part goes to object storage through
// document.Put (at most perDoc bytes each, budget in all, at most maxFiles files), and the small
// fields named in fields are read into them, each checked by check. On any error, what was stored
// is removed.
func (s *Server) receiveMultipart(c *fiber.Ctx, claimID string, perDoc, budget int64, maxFiles int, fields map[string]*string, check func(field, value string) error) ([]document.Stored, error) {
	mediaType, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || mediaType != fiber.MIMEMultipartForm || params["boundary"] == "" {
		return nil, &Error{Status: fiber.StatusUnsupportedMediaType, Code: "multipart_required", Message: s.tr.T(langOf(c), "api.multipart_required")}
	}
	body := requestBody(c)
	mr := multipart.NewReader(body, params["boundary"])
	var stored []document.Stored
	fail := func(err error) ([]document.Stored, error) {
		s.filing.DropStored(stored)
		return nil, err
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			// Read what follows the closing boundary (a chunked body's last chunk), or the server
			// would take it for the next request on this connection.
			_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
			return stored, nil
		}
		if err != nil {
			return fail(&Error{Status: fiber.StatusBadRequest, Code: "bad_multipart", Message: s.tr.T(langOf(c), "api.bad_multipart")})
		}
		name := part.FormName()
		if name == "_csrf" { // checked by the csrf middleware
			_, _ = io.Copy(io.Discard, part)
			continue
		}
		if dst, ok := fields[name]; ok {
			b, err := io.ReadAll(io.LimitReader(part, claim.MaxText*4+1))
			if err != nil {
				return fail(&Error{Status: fiber.StatusBadRequest, Code: "bad_multipart", Message: s.tr.T(langOf(c), "api.bad_multipart")})
			}
			*dst = strings.TrimSpace(string(b))
			if err := check(name, *dst); err != nil {
				return fail(err)
			}
			continue
		}
		if name != "file" {
			_, _ = io.Copy(io.Discard, part)
			continue
		}
		if len(stored) >= maxFiles {
			return fail(&storage.QuotaError{What: "documents", Limit: s.Config.MaxClaimDocuments})
		}
		max := min(perDoc, budget)
		st, err := document.Put(c.UserContext(), s.Store, claimID, part.FileName(), part, -1, max)
		if err != nil {
			return fail(s.documentError(c, err, max))
		}
		stored = append(stored, st)
		budget -= st.Size
	}
}

// documentError explains a refused file in the person's language.
func (s *Server) documentError(c *fiber.Ctx, err error, limit int64) error {
	var de *document.Error
	if !errors.As(err, &de) {
		return err
	}
	l := langOf(c)
	switch de.Code {
	case document.CodeTooLarge:
		return s.tooLarge(c, limit)
	case document.CodeUnsupportedType:
		return &Error{Status: fiber.StatusUnsupportedMediaType, Code: de.Code, Message: s.tr.T(l, "doc.unsupported_type")}
	case document.CodeEncryptedPDF:
		return &Error{Status: fiber.StatusUnprocessableEntity, Code: de.Code, Message: s.tr.T(l, "doc.encrypted_pdf")}
	case document.CodeEmpty:
		return &Error{Status: fiber.StatusUnprocessableEntity, Code: de.Code, Message: s.tr.T(l, "doc.empty")}
	}
	return &Error{Status: fiber.StatusUnprocessableEntity, Code: de.Code, Message: de.Message}
}

func (s *Server) apiUploadDocuments(c *fiber.Ctx) error {
	docs, err := s.UploadDocuments(c, principalOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	if len(docs) == 1 {
		return c.Status(fiber.StatusCreated).JSON(docs[0])
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"documents": docs})
}

func (s *Server) apiDeleteDocument(c *fiber.Ctx) error {
	if err := s.filing.RemoveDocument(c.UserContext(), principalOf(c).IIN, c.Params("id"), c.Params("doc")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// apiDownloadDocument streams a document to those who may see the claim, as an attachment with a
// safe file name.
func (s *Server) apiDownloadDocument(c *fiber.Ctx) error {
	cl, err := s.visibleClaim(c.UserContext(), principalOf(c), c.Params("id"))
	if err != nil {
		return err
	}
	docs := cl.Documents
	if rd, err := s.DB.ResponseDocument(c.UserContext(), cl.ID, c.Params("doc")); err == nil {
		docs = append(docs, rd)
	}
	for _, d := range docs {
		if d.ID != c.Params("doc") {
			continue
		}
		r, info, err := document.Open(c.UserContext(), s.Store, d.Key, d.VersionID)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, d.ContentType)
		c.Set(fiber.HeaderContentDisposition, contentDisposition(d.Name))
		c.Set("X-Content-SHA256", d.SHA256)
		c.Set(fiber.HeaderCacheControl, "private, no-store")
		return c.SendStream(r, int(info.Size))
	}
	return storage.ErrNotFound
}

// contentDisposition is an attachment header with an ASCII fallback and the UTF-8 name (RFC 6266).
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == ';' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name))
}
