package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"

	"talap/portal/objectstore"
)

// Upload benchmark (issue 4): one document of size bytes through POST /api/v1/claims/{id}/documents,
// streamed from an io.Pipe so the client never holds it either, while the portal process's VmRSS is
// sampled every 20 ms (and its VmHWM, reset just before, read after); then a direct minio-go
// PutObject of the same bytes with unknown size and 16 MiB parts, as portal/document does.
//
// framing "length" sends a Content-Length, as browsers and curl -F do; "chunked" sends
// Transfer-Encoding: chunked. fasthttp treats the two differently (see the report).

type uploadRun struct {
	Framing   string
	Before    int64 // VmRSS just before, bytes
	Peak      int64 // highest VmRSS seen or VmHWM, bytes
	HWMReset  bool
	Elapsed   time.Duration
	Size      int64
	SHA256    string
	Status    int
	Err       error
	Samples   int
	PeakAtPct float64 // how far through the upload (by time) the peak was seen
}

func (u uploadRun) growthMiB() float64 { return float64(u.Peak-u.Before) / (1 << 20) }

func mbps(size int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(size) / 1e6 / d.Seconds()
}

// sampler reads a process's memory every interval until stopped, keeping the highest RSS.
type sampler struct {
	pid     int
	stop    chan struct{}
	done    chan struct{}
	mu      sync.Mutex
	peak    int64
	peakAt  time.Time
	samples int
	err     error
}

func sample(pid int, every time.Duration) *sampler {
	s := &sampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			m, err := readMemory(pid)
			s.mu.Lock()
			if err != nil && s.err == nil {
				s.err = err
			}
			if m.RSS > s.peak {
				s.peak, s.peakAt = m.RSS, time.Now()
			}
			s.samples++
			s.mu.Unlock()
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *sampler) finish() (peak int64, at time.Time, n int, err error) {
	close(s.stop)
	<-s.done
	return s.peak, s.peakAt, s.samples, s.err
}

// uploadThroughPortal sends one generated PDF of size bytes as the only part of a multipart form.
func uploadThroughPortal(ctx context.Context, c *citizen, pid int, claimID string, size int64, framing string) uploadRun {
	run := uploadRun{Framing: framing}
	const boundary = "talap-loadtest-boundary-7c1e5a"
	// The form's length without the file, from a dry run of the same writer.
	var overhead countWriter
	dry := multipart.NewWriter(&overhead)
	_ = dry.SetBoundary(boundary)
	_, _ = dry.CreatePart(filePartHeader("big.pdf"))
	_ = dry.Close()

	pr, pw := io.Pipe()
	go func() {
		mw := multipart.NewWriter(pw)
		_ = mw.SetBoundary(boundary)
		part, err := mw.CreatePart(filePartHeader("big.pdf"))
		if err == nil {
			_, err = io.CopyBuffer(part, newPDF(size, 0), make([]byte, 256<<10))
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/v1/claims/"+claimID+"/documents", pr)
	if err != nil {
		run.Err = err
		return run
	}
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	req.Header.Set("X-CSRF-Token", c.csrf)
	req.Header.Set("Accept", "application/json")
	if framing == "length" {
		req.ContentLength = int64(overhead) + size
	} else {
		req.ContentLength = -1
	}

	// Let the process settle, read where it stands, and restart its peak from here.
	time.Sleep(500 * time.Millisecond)
	m, err := readMemory(pid)
	if err != nil {
		run.Err = fmt.Errorf("read portal memory: %w", err)
		pr.Close()
		return run
	}
	run.Before = m.RSS
	run.HWMReset = resetPeak(pid) == nil
	s := sample(pid, 20*time.Millisecond)
	start := time.Now()
	resp, err := c.hc.Do(req)
	var doc struct {
		Size   int64  `json:"size"`
		SHA256 string `json:"sha256"`
		ID     string `json:"id"`
	}
	if err == nil {
		run.Status = resp.StatusCode
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			err = newAPIError("upload", resp.StatusCode, body)
		} else if jerr := json.Unmarshal(body, &doc); jerr != nil {
			err = jerr
		}
	}
	run.Elapsed = time.Since(start)
	peak, peakAt, n, serr := s.finish()
	after, merr := readMemory(pid)
	run.Peak, run.Samples = peak, n
	if merr == nil && run.HWMReset && after.HWM > run.Peak {
		run.Peak = after.HWM
	}
	if !peakAt.IsZero() && run.Elapsed > 0 {
		run.PeakAtPct = 100 * float64(peakAt.Sub(start)) / float64(run.Elapsed)
	}
	if err == nil && serr != nil {
		err = fmt.Errorf("sample portal memory: %w", serr)
	}
	run.Err, run.Size, run.SHA256 = err, doc.Size, doc.SHA256
	if doc.ID != "" {
		_ = c.callTimed(context.Background(), "delete document", http.MethodDelete, "/api/v1/claims/"+claimID+"/documents/"+doc.ID, nil, "", nil, http.StatusNoContent, nil)
	}
	return run
}

type countWriter int64

func (w *countWriter) Write(p []byte) (int, error) { *w += countWriter(len(p)); return len(p), nil }

// directPut sends the same bytes straight to object storage as portal/document.Put does: unknown
// size, 16 MiB parts, one part buffer at a time.
func directPut(ctx context.Context, store *objectstore.Store, size int64) (time.Duration, error) {
	key := "loadtest-direct/" + uuid.NewString()
	start := time.Now()
	info, err := store.Client.PutObject(ctx, store.Bucket, key, newPDF(size, 0), -1, minio.PutObjectOptions{
		ContentType: "application/pdf", PartSize: 16 << 20, NumThreads: 1, ConcurrentStreamParts: false, SendContentMd5: false,
	})
	elapsed := time.Since(start)
	if err != nil {
		return elapsed, err
	}
	if info.Size != size {
		err = fmt.Errorf("direct put stored %d bytes of %d", info.Size, size)
	}
	rctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if rerr := store.Client.RemoveObject(rctx, store.Bucket, key, minio.RemoveObjectOptions{VersionID: info.VersionID, GovernanceBypass: true}); rerr != nil {
		fmt.Fprintln(os.Stderr, "loadtest: direct object not removed:", rerr)
	}
	return elapsed, err
}
