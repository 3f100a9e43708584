// Package document keeps the files filed with a claim: it streams an upload from the request to
// object storage without holding it in memory, hashing it with SHA-256 on the way, checks its
// type by content (PDF, JPEG, PNG only; no encrypted PDFs) and its size, and later reads it back,
// and re-hashes it. Every version it stores is locked by the bucket's default retention
// (objectstore), so a submitted claim's documents cannot change.
//
// # Memory
//
// Put holds at most two parts of an upload (plus a 1 MiB read-ahead) in memory. minio-go v7.4.1's
// PutObject, given a reader of unknown size and ConcurrentStreamParts with two threads, fills one
// PartSize (8 MiB) buffer from the reader while the previous part is sent, so reading the request
// and writing to storage overlap; measured, this brings a 1 GiB upload through the portal from
// 0.72× to about 1.1× the speed of a direct PutObject, for the same 16 MiB of buffers. So that a small upload does not cost a 16 MiB buffer, Put first reads up to
// 1 MiB (smallObject); a file that ends within it goes up in one PUT from those bytes. When the
// caller knows the size (declaredSize), files up to PartSize are sent in a single streaming PUT
// with no buffer at all, larger ones in parts as above. The declared size is only a hint that is
// checked: the bytes actually read are counted, and a stream that is longer or shorter fails with
// code size_mismatch.
//
// # Encrypted PDFs
//
// A PDF is encrypted when its trailer (or cross-reference stream) dictionary has an /Encrypt
// key, and that dictionary is normally at the end of the file (a linearized file also has one at
// the start), so the answer is known only at the end of the stream. The reader that feeds object storage scans every chunk for the key (keeping an
// overlap window so that a key split between two reads is found) and, if it was seen in a PDF,
// answers the final read with an *Error{Code: "encrypted_pdf"} instead of io.EOF. minio-go reads
// to the end before it finishes an upload — the multipart loop reads until EOF before it
// completes, and a single PUT's streaming signer (plain HTTP) or net/http (TLS) reads past the
// declared length to check it — so the error reaches it first and the upload fails: a multipart
// upload is aborted and never becomes an object. A single PUT may nevertheless be stored by the
// server, which has received every declared byte when the client fails the request, and its
// answer is then lost. So Put rolls back every upload that fails once it has started (encrypted,
// too large, size mismatch, client gone, or a check after PutObject returned): it removes the
// version the PUT reported (RemoveObject with that VersionID and GovernanceBypass, which also
// works under a default retention), or, with no answer, every version under the key, which is
// fresh and unique to this upload.
package document

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"

	"talap/portal/objectstore"
)

// Limits are the most a claim's documents may weigh, in bytes.
type Limits struct {
	PerDocument int64 // one file
	PerClaim    int64 // all files of one claim together
}

// DefaultLimits are 50 MiB per document and 200 MiB per claim.
func DefaultLimits() Limits {
	return Limits{PerDocument: 50 << 20, PerClaim: 200 << 20}
}

// MaxSize is how large the next document of a claim may be when its documents already take used
// bytes: the smaller of PerDocument and what is left of PerClaim, never below zero. Pass it to Put.
func (l Limits) MaxSize(used int64) int64 {
	return max(0, min(l.PerDocument, l.PerClaim-used))
}

// Error codes of *Error.
const (
	CodeUnsupportedType = "unsupported_type" // not a PDF, JPEG or PNG by content
	CodeEncryptedPDF    = "encrypted_pdf"    // a PDF with a password or encryption
	CodeTooLarge        = "too_large"        // larger than the limit (Error.Limit)
	CodeEmpty           = "empty"            // zero bytes
	CodeSizeMismatch    = "size_mismatch"    // the stream was longer or shorter than declared
)

// Error is a problem with the uploaded file itself, to be shown to the person who sent it
// (an HTTP layer answers 415 for unsupported_type, 413 for too_large, 422 otherwise).
type Error struct {
	Code    string
	Message string
	Limit   int64 // for too_large: the limit in bytes
}

func (e *Error) Error() string { return e.Message }

func errUnsupported() *Error {
	return &Error{Code: CodeUnsupportedType, Message: "Only PDF, JPEG and PNG files can be filed, and this file is none of them " +
		"(the type is read from the file's content, not from its name)."}
}

func errEncrypted() *Error {
	return &Error{Code: CodeEncryptedPDF, Message: "This PDF is protected by a password or encrypted, so the court could not open it. " +
		"Remove the password (for example, save or print a copy without security) and upload the file again."}
}

func errEmpty() *Error {
	return &Error{Code: CodeEmpty, Message: "The file is empty."}
}

func errTooLarge(limit int64) *Error {
	if limit <= 0 {
		return &Error{Code: CodeTooLarge, Message: "No more documents can be added: the size limit for the claim's documents has been reached."}
	}
	return &Error{Code: CodeTooLarge, Limit: limit, Message: fmt.Sprintf("The file is larger than %s, the most it may be.", formatSize(limit))}
}

func errSizeMismatch(declared, got int64) *Error {
	return &Error{Code: CodeSizeMismatch, Message: fmt.Sprintf("The upload was incomplete or inconsistent: %d bytes were announced but %d were sent. Please upload the file again.", declared, got)}
}

func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// ErrNotFound is returned (wrapped) by Open and Recheck when the object or version does not exist.
var ErrNotFound = errors.New("document not found")

// Stored describes a document kept in object storage.
type Stored struct {
	ID          string // random UUID, also the last element of Key
	Key         string // claims/<claimID>/<ID>
	VersionID   string // the object version holding these bytes; later versions do not replace it
	Name        string // CleanName of the name sent, for display only
	ContentType string // application/pdf, image/jpeg or image/png, from the content
	SHA256      string // hex, of the bytes as read from the request
	Size        int64
}

// PartSize is the size of the parts Put sends a large upload in. Two parts are in hand at a time
// (one filling from the request while the other goes to storage), so one upload of unknown or
// large size holds about 2 × PartSize = 16 MiB.
const PartSize = 8 << 20

// partThreads is how many part buffers minio-go fills and sends concurrently.
const partThreads = 2

const (
	sniffLen    = 1 << 10 // bytes read before the type is decided (when the size is declared)
	smallObject = 1 << 20 // an upload of unknown size that ends within this goes up in one PUT
)

// Put streams r to a new object claims/<claimID>/<uuid> in store and describes what it stored.
// name is kept only for display, cleaned (CleanName). declaredSize is the size the sender
// announced, or -1 if unknown; maxSize is the most the file may be (see Limits.MaxSize).
//
// The type is decided by the first bytes (PDF "%PDF-" at offset 0, JPEG FF D8 FF, PNG signature)
// before anything is stored. The SHA-256 and the size are computed from the bytes as they pass.
// A file that is empty, of another type, an encrypted PDF, larger than maxSize or not of its
// declared size fails with an *Error and leaves nothing in the bucket. Other errors (the request
// body failing, storage) are returned wrapped.
func Put(ctx context.Context, store *objectstore.Store, claimID, name string, r io.Reader, declaredSize, maxSize int64) (Stored, error) {
	if err := checkClaimID(claimID); err != nil {
		return Stored{}, err
	}
	if maxSize <= 0 || declaredSize > maxSize {
		return Stored{}, errTooLarge(maxSize)
	}
	if declaredSize == 0 {
		return Stored{}, errEmpty()
	}

	src := &source{r: r, max: maxSize, sum: sha256.New()}
	headLen := int64(sniffLen)
	if declaredSize < 0 {
		headLen = smallObject
	}
	head := make([]byte, min(headLen, maxSize+1))
	n, err := io.ReadFull(src, head)
	complete := false // the whole file is in head
	switch err {
	case nil:
	case io.EOF, io.ErrUnexpectedEOF:
		complete = true
	default:
		return Stored{}, readError(err)
	}
	head = head[:n]
	if n == 0 {
		return Stored{}, errEmpty()
	}
	contentType := sniff(head)
	if contentType == "" {
		return Stored{}, errUnsupported()
	}
	if declaredSize >= 0 && (complete && int64(n) != declaredSize || int64(n) > declaredSize) {
		return Stored{}, errSizeMismatch(declaredSize, int64(n))
	}

	id := uuid.NewString()
	key := "claims/" + claimID + "/" + id
	var body io.Reader = bytes.NewReader(head) // seekable, so minio-go may retry the PUT
	size := int64(n)
	if !complete {
		body, size = io.MultiReader(bytes.NewReader(head), src), declaredSize
	}
	opts := minio.PutObjectOptions{
		ContentType: contentType,
		PartSize:    PartSize,
		// Two part buffers, so reading the request overlaps sending the previous part; no MD5 pass
		// (which for a single PUT of known size would buffer the whole object).
		NumThreads:            partThreads,
		ConcurrentStreamParts: true,
		SendContentMd5:        false,
		DisableMultipart:      false,
	}
	info, err := store.Client.PutObject(ctx, store.Bucket, key, body, size, opts)
	if err == nil && !complete {
		err = expectEnd(src, declaredSize)
	}
	if err == nil && declaredSize >= 0 && src.n != declaredSize {
		err = errSizeMismatch(declaredSize, src.n)
	}
	if err == nil && info.Size != src.n {
		err = fmt.Errorf("object storage took %d bytes of %d", info.Size, src.n)
	}
	if err != nil {
		err = uploadError(err, src, declaredSize)
		if rerr := discard(ctx, store, key, info.VersionID); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return Stored{}, err
	}
	return Stored{
		ID:          id,
		Key:         key,
		VersionID:   info.VersionID,
		Name:        CleanName(name),
		ContentType: contentType,
		SHA256:      hex.EncodeToString(src.sum.Sum(nil)),
		Size:        src.n,
	}, nil
}

// checkClaimID refuses claim ids that could change the shape of the object key.
func checkClaimID(id string) error {
	if id == "" || len(id) > 64 {
		return fmt.Errorf("document: bad claim id %q", id)
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return fmt.Errorf("document: bad claim id %q", id)
		}
	}
	return nil
}

var (
	pdfMagic  = []byte("%PDF-")
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
)

// sniff names the type of a file by its first bytes, or returns "" for anything not allowed.
// A PDF must start with its header: readers tolerate junk before it, but accepting that would
// let through files that are also something else (HTML, ZIP) to other programs.
func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, pdfMagic):
		return "application/pdf"
	case bytes.HasPrefix(head, jpegMagic):
		return "image/jpeg"
	case bytes.HasPrefix(head, pngMagic):
		return "image/png"
	}
	return ""
}

// source wraps the request body: it counts the bytes and fails as soon as there are more than
// max, hashes them, and scans a PDF for /Encrypt. Its errors are sticky. At the end of the stream
// it answers io.EOF, or the encrypted_pdf *Error if the key was seen in a PDF, so that whoever
// reads it (minio-go) fails instead of completing the upload.
type source struct {
	r       io.Reader
	max     int64
	n       int64
	sum     hash.Hash
	prefix  [len("%PDF-")]byte
	prefixN int
	scan    encryptScanner
	err     error // io.EOF, *Error, or the body's read error, once reached
}

func (s *source) Read(b []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if len(b) == 0 {
		return 0, nil
	}
	n, err := s.r.Read(b)
	if n > 0 {
		if s.n+int64(n) > s.max {
			s.err = errTooLarge(s.max)
			return 0, s.err
		}
		s.n += int64(n)
		p := b[:n]
		s.sum.Write(p)
		if s.prefixN < len(s.prefix) {
			s.prefixN += copy(s.prefix[s.prefixN:], p)
		}
		if s.maybePDF() {
			s.scan.write(p)
		}
	}
	switch {
	case err == io.EOF:
		s.err = io.EOF
		if s.scan.found && s.maybePDF() && s.prefixN == len(s.prefix) {
			s.err = errEncrypted()
		}
		if n > 0 {
			return n, nil // the final answer comes with the next call
		}
		return 0, s.err
	case err != nil:
		s.err = err
		return n, err
	}
	return n, nil
}

// maybePDF reports whether the bytes so far are, or may still turn out to be, a PDF.
func (s *source) maybePDF() bool {
	return bytes.HasPrefix(pdfMagic, s.prefix[:s.prefixN])
}

// expectEnd checks that src has nothing left after object storage stopped reading (it reads only
// the declared size), which also delivers the answer of the encryption scan.
func expectEnd(src *source, declaredSize int64) error {
	var one [1]byte
	for {
		n, err := src.Read(one[:])
		if n > 0 {
			return errSizeMismatch(declaredSize, src.n) // src.n counts only the first byte too many
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readError keeps an *Error as it is and wraps a failure of the request body.
func readError(err error) error {
	if e, ok := errors.AsType[*Error](err); ok {
		return e
	}
	return fmt.Errorf("read upload: %w", err)
}

// uploadError picks the error to report after a failed upload: the file's own problem if there is
// one (minio-go may wrap or replace the reader's error), else the body's or storage's failure.
func uploadError(err error, src *source, declaredSize int64) error {
	if e, ok := errors.AsType[*Error](err); ok {
		return e
	}
	switch {
	case src.err != nil && src.err != io.EOF:
		return readError(src.err)
	case src.err == io.EOF && declaredSize >= 0 && src.n != declaredSize:
		return errSizeMismatch(declaredSize, src.n)
	}
	return fmt.Errorf("store document: %w", err)
}

// testHookDiscard, when set by a test, is told of every roll-back.
var testHookDiscard func(key, versionID string)

// discard rolls back a failed upload: it removes the version the PUT reported or, when there is
// none (the upload failed, or its answer was lost), any version stored under key, which no other
// upload uses. GovernanceBypass lets it remove a version even if the bucket had a default
// retention. It runs even when ctx is cancelled (the usual reason an upload fails).
func discard(ctx context.Context, store *objectstore.Store, key, versionID string) error {
	if testHookDiscard != nil {
		testHookDiscard(key, versionID)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	remove := func(v string) error {
		err := store.Client.RemoveObject(ctx, store.Bucket, key, minio.RemoveObjectOptions{VersionID: v, GovernanceBypass: true})
		if err != nil {
			return fmt.Errorf("roll back upload %s (version %s): %w", key, v, err)
		}
		return nil
	}
	if versionID != "" {
		return remove(versionID)
	}
	var errs []error
	for obj := range store.Client.ListObjects(ctx, store.Bucket, minio.ListObjectsOptions{Prefix: key, WithVersions: true}) {
		if obj.Err != nil {
			errs = append(errs, fmt.Errorf("roll back upload %s: list versions: %w", key, obj.Err))
			break
		}
		if obj.Key == key {
			if err := remove(obj.VersionID); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// Open reads a stored document: the version given, or the latest if versionID is "". The caller
// closes the reader. A missing object or version gives an error wrapping ErrNotFound.
func Open(ctx context.Context, store *objectstore.Store, key, versionID string) (io.ReadCloser, minio.ObjectInfo, error) {
	obj, err := store.Client.GetObject(ctx, store.Bucket, key, minio.GetObjectOptions{VersionID: versionID})
	if err != nil {
		return nil, minio.ObjectInfo{}, objectError(key, versionID, err)
	}
	info, err := obj.Stat()
	if err != nil {
		obj.Close()
		return nil, minio.ObjectInfo{}, objectError(key, versionID, err)
	}
	return obj, info, nil
}

// reread reads a stored version back (the latest if versionID is "") and returns its SHA-256
// (hex) and what storage says of it.
func reread(ctx context.Context, store *objectstore.Store, key, versionID string) (string, minio.ObjectInfo, error) {
	rc, info, err := Open(ctx, store, key, versionID)
	if err != nil {
		return "", info, err
	}
	defer rc.Close()
	h := sha256.New()
	size, err := io.Copy(h, rc)
	if err != nil {
		return "", info, objectError(key, versionID, err)
	}
	if size != info.Size {
		return "", info, fmt.Errorf("document %s (version %s): read %d bytes of %d", key, versionID, size, info.Size)
	}
	return hex.EncodeToString(h.Sum(nil)), info, nil
}

// Recheck re-reads the latest version stored at key, as validation does, and returns its SHA-256.
// When that version is the filed one, it also makes sure the version stays locked until the
// given time. A version stored under the bucket's default retention normally is already; one
// stored long before it was filed (an old draft) or before the bucket had its default is locked
// here, with the one extra request that takes.
func Recheck(ctx context.Context, store *objectstore.Store, key, filedVersion string, until time.Time) (string, error) {
	sha, info, err := reread(ctx, store, key, "")
	if err != nil || info.VersionID != filedVersion {
		return sha, err
	}
	if current, perr := time.Parse(time.RFC3339, info.Metadata.Get("X-Amz-Object-Lock-Retain-Until-Date")); perr == nil && !current.Before(until) {
		return sha, nil
	}
	mode, until := minio.Governance, until.UTC()
	err = store.Client.PutObjectRetention(ctx, store.Bucket, key, minio.PutObjectRetentionOptions{Mode: &mode, RetainUntilDate: &until, VersionID: filedVersion})
	if err != nil {
		return "", objectError(key, filedVersion, fmt.Errorf("lock: %w", err))
	}
	return sha, nil
}

func objectError(key, versionID string, err error) error {
	if resp, ok := errors.AsType[minio.ErrorResponse](err); ok && (resp.Code == "NoSuchKey" || resp.Code == "NoSuchVersion") {
		return fmt.Errorf("document %s (version %s): %w: %w", key, versionID, ErrNotFound, err)
	}
	return fmt.Errorf("document %s (version %s): %w", key, versionID, err)
}
