package document

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/minio/minio-go/v7"

	"talap/portal/objectstore"
	"talap/portal/testenv"
)

func TestPutStoresAllowedTypesWithHashSizeAndType(t *testing.T) {
	store := testenv.Get(t).Store
	ctx := context.Background()
	claim := newClaim(t, store)
	files := []struct {
		name, sent, contentType string
		data                    []byte
	}{
		{"pdf", "../Арыз.pdf", "application/pdf", pdfFile(false, 2000)},
		{"jpeg", `C:\scans\photo.JPG`, "image/jpeg", jpegFile(t)},
		{"png", "screenshot.png", "image/png", pngFile(t)},
		{"pdf named .exe", "thing.exe", "application/pdf", pdfFile(false, 0)},
		// Above the 1 MiB read-ahead: multipart of unknown size, single streaming PUT of known size.
		{"pdf 3 MiB", "big.pdf", "application/pdf", pdfFile(false, 3<<20)},
		// Above PartSize: two parts, of known or unknown size.
		{"pdf 17 MiB", "bigger.pdf", "application/pdf", pdfFile(false, 17<<20)},
	}
	for _, f := range files {
		for _, declared := range []int64{int64(len(f.data)), -1} {
			name := f.name + " known size"
			if declared < 0 {
				name = f.name + " unknown size"
			}
			t.Run(name, func(t *testing.T) {
				var body io.Reader = bytes.NewReader(f.data)
				if len(f.data) < smallObject {
					body = &chunkReader{r: body} // reads of 1-7 bytes
				}
				got, err := Put(ctx, store, claim, f.sent, body, declared, DefaultLimits().PerDocument)
				if err != nil {
					t.Fatal(err)
				}
				if got.SHA256 != hexSHA(f.data) || got.Size != int64(len(f.data)) || got.ContentType != f.contentType {
					t.Errorf("stored %+v, want sha256 %s, size %d, type %s", got, hexSHA(f.data), len(f.data), f.contentType)
				}
				if got.Key != "claims/"+claim+"/"+got.ID || got.VersionID == "" || got.Name != CleanName(f.sent) {
					t.Errorf("stored %+v", got)
				}
				rc, info, err := Open(ctx, store, got.Key, got.VersionID)
				if err != nil {
					t.Fatal(err)
				}
				back, err := io.ReadAll(rc)
				rc.Close()
				if err != nil || !bytes.Equal(back, f.data) {
					t.Fatalf("read back %d bytes (%v), want the %d sent", len(back), err, len(f.data))
				}
				if info.ContentType != f.contentType || info.Size != got.Size || info.VersionID != got.VersionID {
					t.Errorf("object info: type %q size %d version %q", info.ContentType, info.Size, info.VersionID)
				}
				sha, size, err := Rehash(ctx, store, got.Key, got.VersionID)
				if err != nil || sha != got.SHA256 || size != got.Size {
					t.Errorf("Rehash = %s, %d, %v; want %s, %d", sha, size, err, got.SHA256, got.Size)
				}
			})
		}
	}
}

func TestPutRefusesAndLeavesNothingBehind(t *testing.T) {
	store := testenv.Get(t).Store
	ctx := context.Background()
	encrypted := pdfFile(true, 0)
	bigEncrypted := pdfFile(true, 1536<<10) // past the 1 MiB read-ahead: streamed in a multipart upload
	const mib = 1 << 20
	tests := []struct {
		name     string
		data     []byte
		wrap     func(io.Reader) io.Reader
		declared int64 // -2: both known and unknown
		max      int64
		code     string
		limit    int64
	}{
		{name: "zip named .pdf", data: []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00 word/document.xml"), code: CodeUnsupportedType},
		{name: "html", data: []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), code: CodeUnsupportedType},
		{name: "exe", data: append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 3000)...), code: CodeUnsupportedType},
		{name: "pdf header not at the start", data: append([]byte(" "), pdfFile(false, 0)...), code: CodeUnsupportedType},
		{name: "gif", data: []byte("GIF89a\x01\x00\x01\x00"), code: CodeUnsupportedType},
		{name: "empty", data: nil, code: CodeEmpty},
		{name: "encrypted pdf", data: encrypted, code: CodeEncryptedPDF},
		{name: "encrypted pdf one byte at a time", data: encrypted, wrap: iotest.OneByteReader, code: CodeEncryptedPDF},
		{name: "encrypted pdf 1.5 MiB in reads of 1-7 bytes", data: bigEncrypted, code: CodeEncryptedPDF},
		{name: "encrypted pdf 1.5 MiB in big reads", data: bigEncrypted, wrap: func(r io.Reader) io.Reader { return r }, code: CodeEncryptedPDF},
		{name: "too large", data: pdfFile(false, 2*mib), max: mib, code: CodeTooLarge, limit: mib},
		{name: "too large by one byte", data: pdfFile(false, mib)[:mib+1], max: mib, code: CodeTooLarge, limit: mib},
		{name: "no room left", data: pdfFile(false, 0), max: 0, code: CodeTooLarge},
		{name: "declared shorter than sent", data: pdfFile(false, 3000), declared: 2000, code: CodeSizeMismatch},
		{name: "declared much shorter than sent", data: pdfFile(false, 40000), declared: 20000, code: CodeSizeMismatch},
		{name: "declared longer than sent", data: pdfFile(false, 3000), declared: 9000, code: CodeSizeMismatch},
		{name: "declared longer than sent, small", data: pdfFile(false, 0), declared: 9000, code: CodeSizeMismatch},
		{name: "declared too large, nothing read", data: pdfFile(false, 0), declared: 2 * mib, max: mib, code: CodeTooLarge, limit: mib},
	}
	for _, tc := range tests {
		declared := []int64{int64(len(tc.data)), -1}
		if tc.declared != 0 {
			declared = []int64{tc.declared}
		}
		for _, d := range declared {
			name := tc.name
			if len(declared) > 1 && d < 0 {
				name += " unknown size"
			} else if len(declared) > 1 {
				name += " known size"
			}
			t.Run(name, func(t *testing.T) {
				claim := newClaim(t, store)
				max := tc.max
				if max == 0 && tc.name != "no room left" {
					max = DefaultLimits().PerDocument
				}
				var body io.Reader = bytes.NewReader(tc.data)
				if tc.wrap != nil {
					body = tc.wrap(body)
				} else {
					body = &chunkReader{r: body}
				}
				var discarded []string
				testHookDiscard = func(key, version string) { discarded = append(discarded, version) }
				defer func() { testHookDiscard = nil }()
				got, err := Put(ctx, store, claim, "x.pdf", body, d, max)
				var e *Error
				if !errors.As(err, &e) || e.Code != tc.code || e.Limit != tc.limit {
					t.Fatalf("Put = %+v, %v; want *Error %s (limit %d)", got, err, tc.code, tc.limit)
				}
				if e.Message == "" {
					t.Error("no message")
				}
				if left := versions(t, store, "claims/"+claim+"/"); len(left) > 0 {
					t.Errorf("left behind: %v", left)
				}
				t.Logf("%s: roll-backs %q", e.Code, discarded)
			})
		}
	}
}

// An encrypted PDF of declared size goes up in one streaming PUT, whose body reaches its end (and
// so the encrypted_pdf answer) only after every byte was sent. Put must fail it and roll back.
func TestPutRollsBackAnEncryptedPDFOfDeclaredSize(t *testing.T) {
	store := testenv.Get(t).Store
	claim := newClaim(t, store)
	data := pdfFile(true, 5000)
	var discarded []string
	testHookDiscard = func(key, version string) { discarded = append(discarded, key) }
	defer func() { testHookDiscard = nil }()
	_, err := Put(context.Background(), store, claim, "secret.pdf", bytes.NewReader(data), int64(len(data)), 1<<20)
	if !isCode(err, CodeEncryptedPDF) {
		t.Fatalf("Put = %v, want encrypted_pdf", err)
	}
	if !strings.Contains(err.Error(), "password") || !strings.Contains(err.Error(), "court") {
		t.Errorf("message does not say why: %q", err)
	}
	if len(discarded) != 1 || !strings.HasPrefix(discarded[0], "claims/"+claim+"/") {
		t.Errorf("roll-backs %q, want one", discarded)
	}
	if left := versions(t, store, "claims/"+claim+"/"); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// discard removes the version a PUT reported or, when the answer was lost, every version of the key.
func TestDiscardRemovesWhatAFailedUploadStored(t *testing.T) {
	store := testenv.Get(t).Store
	ctx := context.Background()
	claim := newClaim(t, store)
	put := func(key string) minio.UploadInfo {
		t.Helper()
		data := pdfFile(true, 100)
		info, err := store.Client.PutObject(ctx, store.Bucket, key, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return info
	}
	kept := put("claims/" + claim + "/kept")
	one := put("claims/" + claim + "/one")
	if err := discard(ctx, store, one.Key, one.VersionID); err != nil {
		t.Fatal(err)
	}
	put("claims/" + claim + "/lost")
	put("claims/" + claim + "/lost")
	cancelled, cancel := context.WithCancel(ctx)
	cancel() // the usual reason an upload failed; the roll-back must still run
	if err := discard(cancelled, store, "claims/"+claim+"/lost", ""); err != nil {
		t.Fatal(err)
	}
	left := versions(t, store, "claims/"+claim+"/")
	if len(left) != 1 || !strings.HasPrefix(left[0], kept.Key+"@"+kept.VersionID) {
		t.Errorf("left %v, want only %s", left, kept.Key)
	}
}

func TestPutRefusesBadClaimIDs(t *testing.T) {
	store := testenv.Get(t).Store
	for _, id := range []string{"", "../x", "a/b", "a b", strings.Repeat("a", 65)} {
		if _, err := Put(context.Background(), store, id, "x.pdf", bytes.NewReader(pdfFile(false, 0)), -1, 1<<20); err == nil {
			t.Errorf("claim id %q accepted", id)
		}
	}
}

func TestPutReportsAFailingBody(t *testing.T) {
	store := testenv.Get(t).Store
	claim := newClaim(t, store)
	broken := errors.New("client went away")
	for _, d := range []int64{-1, 5 << 20} {
		body := io.MultiReader(io.LimitReader(generated(5<<20), 3<<20), iotest.ErrReader(broken))
		_, err := Put(context.Background(), store, claim, "x.pdf", body, d, 50<<20)
		if !errors.Is(err, broken) {
			t.Errorf("declared %d: Put = %v, want the body's error", d, err)
		}
	}
	if left := versions(t, store, "claims/"+claim+"/"); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestLimits(t *testing.T) {
	l := DefaultLimits()
	if l.PerDocument != 50<<20 || l.PerClaim != 200<<20 {
		t.Fatalf("defaults %+v", l)
	}
	for _, tc := range []struct{ used, want int64 }{{0, 50 << 20}, {160 << 20, 40 << 20}, {200 << 20, 0}, {250 << 20, 0}} {
		if got := l.MaxSize(tc.used); got != tc.want {
			t.Errorf("MaxSize(%d) = %d, want %d", tc.used, got, tc.want)
		}
	}
}

func TestOpenAndRehashReportMissingDocuments(t *testing.T) {
	store := testenv.Get(t).Store
	ctx := context.Background()
	claim := newClaim(t, store)
	if _, _, err := Open(ctx, store, "claims/"+claim+"/missing", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open missing = %v", err)
	}
	doc, err := Put(ctx, store, claim, "a.pdf", bytes.NewReader(pdfFile(false, 10)), -1, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	other, err := Put(ctx, store, claim, "b.pdf", bytes.NewReader(pdfFile(false, 20)), -1, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Rehash(ctx, store, doc.Key, other.VersionID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Rehash with another object's version = %v", err)
	}
}

// Every version is locked from the moment it is stored, by the bucket's default retention
// (objectstore.Config.Retention, set by EnsureBucket), with no request of its own.
func TestAStoredVersionCannotBeRemovedOrReplaced(t *testing.T) {
	env := testenv.Get(t)
	store := env.Store
	ctx := context.Background()
	claim := newClaim(t, store)
	data := pdfFile(false, 4000)
	before := time.Now()
	doc, err := Put(ctx, store, claim, "claim.pdf", bytes.NewReader(data), -1, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	period := env.Config.BucketRetention()
	mode, retainUntil, err := store.Client.GetObjectRetention(ctx, store.Bucket, doc.Key, doc.VersionID)
	if err != nil || mode == nil || *mode != minio.Governance || retainUntil == nil ||
		retainUntil.Before(before.Add(period)) || retainUntil.After(time.Now().Add(period+24*time.Hour)) {
		t.Fatalf("retention = %v until %v (%v), want GOVERNANCE for %s from now", mode, retainUntil, err, period)
	}

	err = store.Client.RemoveObject(ctx, store.Bucket, doc.Key, minio.RemoveObjectOptions{VersionID: doc.VersionID})
	if err == nil {
		t.Fatal("a locked version was removed without the governance bypass")
	}
	t.Logf("remove refused: %v", err)

	// Writing the key again adds a version; the locked one stays as it was.
	tampered := pdfFile(false, 4001)
	info, err := store.Client.PutObject(ctx, store.Bucket, doc.Key, bytes.NewReader(tampered), int64(len(tampered)), minio.PutObjectOptions{ContentType: "application/pdf"})
	if err != nil {
		t.Fatal(err)
	}
	if info.VersionID == "" || info.VersionID == doc.VersionID {
		t.Fatalf("overwrite gave version %q", info.VersionID)
	}
	sha, size, err := Rehash(ctx, store, doc.Key, doc.VersionID)
	if err != nil || sha != doc.SHA256 || size != doc.Size {
		t.Errorf("locked version after overwrite: %s, %d, %v; want %s, %d", sha, size, err, doc.SHA256, doc.Size)
	}
	latest, _, err := Rehash(ctx, store, doc.Key, "")
	if err != nil || latest != hexSHA(tampered) || latest == doc.SHA256 {
		t.Errorf("latest version hash %s, %v", latest, err)
	}
	// A plain delete only hides the key behind a delete marker; the locked version stays.
	if err := store.Client.RemoveObject(ctx, store.Bucket, doc.Key, minio.RemoveObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if sha, _, err := Rehash(ctx, store, doc.Key, doc.VersionID); err != nil || sha != doc.SHA256 {
		t.Errorf("locked version after delete: %s, %v", sha, err)
	}
}

// Validation's re-read keeps a filed version locked for the whole period after filing: one whose
// default lock ends sooner (an old draft's) is locked longer; one that was replaced is left alone.
func TestRecheckExtendsAShortLockOfTheFiledVersionOnly(t *testing.T) {
	env := testenv.Get(t)
	store := env.Store
	ctx := context.Background()
	claim := newClaim(t, store)
	doc, err := Put(ctx, store, claim, "claim.pdf", bytes.NewReader(pdfFile(false, 3000)), -1, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	retention := func(version string) time.Time {
		t.Helper()
		_, until, err := store.Client.GetObjectRetention(ctx, store.Bucket, doc.Key, version)
		if err != nil || until == nil {
			t.Fatalf("retention of %s: %v", version, err)
		}
		return *until
	}
	initial := retention(doc.VersionID)
	// Within the default: nothing to do.
	if sha, err := Recheck(ctx, store, doc.Key, doc.VersionID, initial.Add(-time.Hour)); err != nil || sha != doc.SHA256 {
		t.Fatalf("recheck = %s, %v", sha, err)
	}
	if got := retention(doc.VersionID); !got.Equal(initial) {
		t.Fatalf("retention changed to %v without need", got)
	}
	// Filed long after upload: the lock is extended to the period after filing.
	want := initial.Add(48 * time.Hour).Truncate(time.Second)
	if sha, err := Recheck(ctx, store, doc.Key, doc.VersionID, want); err != nil || sha != doc.SHA256 {
		t.Fatalf("recheck = %s, %v", sha, err)
	}
	if got := retention(doc.VersionID); !got.Equal(want) {
		t.Fatalf("retention %v, want %v", got, want)
	}
	// Replaced behind the portal's back: the new content is reported, and the new version is not
	// locked beyond the bucket's default on the filed version's account.
	tampered := pdfFile(false, 3001)
	info, err := store.Client.PutObject(ctx, store.Bucket, doc.Key, bytes.NewReader(tampered), int64(len(tampered)), minio.PutObjectOptions{ContentType: "application/pdf"})
	if err != nil {
		t.Fatal(err)
	}
	if sha, err := Recheck(ctx, store, doc.Key, doc.VersionID, want.Add(time.Hour)); err != nil || sha != hexSHA(tampered) {
		t.Fatalf("recheck after overwrite = %s, %v", sha, err)
	}
	if got := retention(info.VersionID); !got.Before(want) {
		t.Fatalf("replacing version locked until %v", got)
	}
}

// Rehash reads a stored version back and returns its SHA-256 (hex) and size, to compare with
// what Put recorded.
func Rehash(ctx context.Context, store *objectstore.Store, key, versionID string) (sha string, size int64, err error) {
	sha, info, err := reread(ctx, store, key, versionID)
	return sha, info.Size, err
}
