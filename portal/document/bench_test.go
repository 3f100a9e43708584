package document

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"

	"github.com/minio/minio-go/v7"

	"talap/portal/testenv"
)

// TestPutStreamsWithoutHoldingTheFileInMemory sends 256 MiB of unknown size through Put and
// checks that the heap never grows by more than a few parts' worth while it does.
func TestPutStreamsWithoutHoldingTheFileInMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 256 MiB")
	}
	store := testenv.Get(t).Store
	claim := newClaim(t, store)
	const size = 256 << 20
	stop := heapPeak()
	doc, err := Put(context.Background(), store, claim, "big.pdf", generated(size), -1, 1<<30)
	growth := stop()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("uploaded %d MiB, peak heap growth %.1f MiB", size>>20, float64(growth)/(1<<20))
	if growth >= 64<<20 {
		t.Errorf("heap grew by %.1f MiB while streaming %d MiB; want < 64 MiB", float64(growth)/(1<<20), size>>20)
	}
	h := sha256.New()
	if _, err := io.Copy(h, generated(size)); err != nil {
		t.Fatal(err)
	}
	if want := hex.EncodeToString(h.Sum(nil)); doc.SHA256 != want || doc.Size != size {
		t.Errorf("stored %s, %d bytes; want %s, %d", doc.SHA256, doc.Size, want, size)
	}
}

const benchSize = 64 << 20

// BenchmarkPut and BenchmarkDirectPutObject upload the same 64 MiB generated stream of unknown
// size with the same part size; the ratio of their times is what Put's checks and hashing cost.
func BenchmarkPut(b *testing.B) {
	store := testenv.Get(b).Store
	claim := newClaim(b, store)
	ctx := context.Background()
	b.SetBytes(benchSize)
	var peak uint64
	for b.Loop() {
		b.StopTimer()
		stop := heapPeak()
		b.StartTimer()
		doc, err := Put(ctx, store, claim, "bench.pdf", generated(benchSize), -1, 1<<30)
		peak = max(peak, stop())
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		removeVersion(b, doc.Key, doc.VersionID)
		b.StartTimer()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

func BenchmarkDirectPutObject(b *testing.B) {
	store := testenv.Get(b).Store
	claim := newClaim(b, store)
	ctx := context.Background()
	b.SetBytes(benchSize)
	var peak uint64
	for b.Loop() {
		b.StopTimer()
		stop := heapPeak()
		b.StartTimer()
		key := "claims/" + claim + "/direct"
		info, err := store.Client.PutObject(ctx, store.Bucket, key, generated(benchSize), -1, minio.PutObjectOptions{
			ContentType: "application/pdf", PartSize: PartSize, NumThreads: 1,
		})
		peak = max(peak, stop())
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		removeVersion(b, key, info.VersionID)
		b.StartTimer()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

func removeVersion(b *testing.B, key, version string) {
	store := testenv.Get(b).Store
	err := store.Client.RemoveObject(context.Background(), store.Bucket, key, minio.RemoveObjectOptions{VersionID: version, GovernanceBypass: true})
	if err != nil {
		b.Fatal(err)
	}
}
