package document

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"

	"talap/portal/objectstore"
	"talap/portal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

// newClaim returns a fresh claim id whose objects (every version, locked or not) are removed
// when the test ends.
func newClaim(t testing.TB, store *objectstore.Store) string {
	t.Helper()
	id := strings.ReplaceAll(uuid.NewString(), "-", "")
	t.Cleanup(func() { removeAll(t, store, "claims/"+id+"/") })
	return id
}

func removeAll(t testing.TB, store *objectstore.Store, prefix string) {
	t.Helper()
	ctx := context.Background()
	for obj := range store.Client.ListObjects(ctx, store.Bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true, WithVersions: true}) {
		if obj.Err != nil {
			t.Errorf("list %s: %v", prefix, obj.Err)
			return
		}
		err := store.Client.RemoveObject(ctx, store.Bucket, obj.Key, minio.RemoveObjectOptions{VersionID: obj.VersionID, GovernanceBypass: true})
		if err != nil {
			t.Errorf("remove %s %s: %v", obj.Key, obj.VersionID, err)
		}
	}
}

// versions lists every object version and unfinished multipart upload under prefix.
func versions(t testing.TB, store *objectstore.Store, prefix string) []string {
	t.Helper()
	ctx := context.Background()
	var found []string
	for obj := range store.Client.ListObjects(ctx, store.Bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true, WithVersions: true}) {
		if obj.Err != nil {
			t.Fatalf("list %s: %v", prefix, obj.Err)
		}
		found = append(found, fmt.Sprintf("%s@%s (%d bytes, delete marker %v)", obj.Key, obj.VersionID, obj.Size, obj.IsDeleteMarker))
	}
	for up := range store.Client.ListIncompleteUploads(ctx, store.Bucket, prefix, true) {
		if up.Err != nil {
			t.Fatalf("list uploads %s: %v", prefix, up.Err)
		}
		found = append(found, "unfinished upload "+up.Key+" "+up.UploadID)
	}
	return found
}

func hexSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// pdfFile is a small, well-formed PDF, encrypted (with an /Encrypt entry in the trailer) or not,
// with filler bytes of random data in a stream object in the middle.
func pdfFile(encrypted bool, filler int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	b.WriteString("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
	b.WriteString("2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
	if filler > 0 {
		fmt.Fprintf(&b, "3 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n", filler)
		_, _ = io.CopyN(&b, newPattern(0), int64(filler))
		b.WriteString("\nendstream\nendobj\n")
	}
	if encrypted {
		b.WriteString("5 0 obj\n<< /Filter /Standard /V 1 /R 2 /P -44 /O <" + strings.Repeat("ab", 32) + "> /U <" + strings.Repeat("cd", 32) + "> >>\nendobj\n")
	}
	xref := b.Len()
	b.WriteString("xref\n0 3\n0000000000 65535 f \n0000000017 00000 n \n0000000066 00000 n \n")
	b.WriteString("trailer\n<< /Size 6 /Root 1 0 R")
	if encrypted {
		b.WriteString(" /Encrypt 5 0 R")
	}
	b.WriteString(" /ID [<0123456789abcdef><0123456789abcdef>] >>\n")
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

func testImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for x := range 32 {
		for y := range 24 {
			img.Set(x, y, color.RGBA{uint8(x * 8), uint8(y * 10), 128, 255})
		}
	}
	return img
}

func jpegFile(t testing.TB) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testImage(), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngFile(t testing.TB) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, testImage()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// chunkReader returns 1, 2, …, 7, 1, 2, … bytes per Read, so that every token meets read
// boundaries at every offset.
type chunkReader struct {
	r io.Reader
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	c.n = c.n%7 + 1
	return c.r.Read(p[:min(len(p), c.n)])
}

// patternBlock is 1 MiB of deterministic pseudo-random bytes, repeated by pattern readers.
var patternBlock = sync.OnceValue(func() []byte {
	b := make([]byte, 1<<20)
	_, _ = rand.NewChaCha8([32]byte{'t', 'a', 'l', 'a', 'p'}).Read(b)
	// Make sure the filler cannot be mistaken for a PDF token.
	for bytes.Contains(b, encryptKey) {
		i := bytes.Index(b, encryptKey)
		b[i] = 'x'
	}
	return b
})

// pattern is an endless reader of patternBlock from an offset.
type pattern struct{ off int }

func newPattern(off int) *pattern { return &pattern{off: off} }

func (p *pattern) Read(b []byte) (int, error) {
	block := patternBlock()
	n := 0
	for n < len(b) {
		c := copy(b[n:], block[p.off%len(block):])
		n += c
		p.off += c
	}
	return n, nil
}

// generated is a PDF-looking stream of size bytes (a header, then the pattern) that is never
// held in memory.
func generated(size int64) io.Reader {
	return io.LimitReader(io.MultiReader(strings.NewReader("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), newPattern(7)), size)
}

// heapPeak samples the heap every 10 ms from a goroutine and, when stopped, returns by how much
// HeapInuse grew above where it was when sampling started (after a GC).
func heapPeak() (stop func() uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	peak.Store(base)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		runtime.ReadMemStats(&ms)
		return max(peak.Load(), ms.HeapInuse) - base
	}
}
