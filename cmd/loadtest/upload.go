package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"

	"talap/portal/config"
	"talap/portal/objectstore"
)

// Upload benchmark (issue 4): a document of -size bytes through POST /api/v1/claims/{id}/documents,
// streamed from an io.Pipe so the client never holds it either, while the portal process's VmRSS is
// sampled every 20 ms; and a direct minio-go PutObject of the same bytes with unknown size and
// 16 MiB parts, as portal/document does. The runs alternate (direct, then each framing), -repeat
// times, because on a shared machine one run of each says little; medians are reported. The RSS
// growth is the peak over all uploads (samples, and VmHWM reset before the first) minus the RSS of
// the idle portal before the first upload: Go keeps freed memory for a while, so measuring each
// upload against the RSS just before it would flatter all but the first.
//
// framing "length" sends a Content-Length, as browsers and curl -F do; "chunked" sends
// Transfer-Encoding: chunked. fasthttp treats the two differently.

type uploadRun struct {
	Framing  string
	Before   int64 // VmRSS just before, bytes
	Peak     int64 // highest VmRSS sampled during the upload, bytes
	Elapsed  time.Duration
	Size     int64
	SHA256   string
	Err      error
	Samples  int
	PeakAtPc float64 // how far through the upload (by time) the peak was sampled
}

func mbps(size int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(size) / 1e6 / d.Seconds()
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// medianMBps is the median throughput of the runs that succeeded, or 0.
func medianMBps(size int64, elapsed []time.Duration) float64 {
	if len(elapsed) == 0 {
		return 0
	}
	e := slices.Clone(elapsed)
	slices.Sort(e)
	n := len(e)
	if n%2 == 1 {
		return mbps(size, e[n/2])
	}
	return (mbps(size, e[n/2-1]) + mbps(size, e[n/2])) / 2
}

// sampler reads a process's memory every interval until stopped, keeping the highest RSS.
type sampler struct {
	stop    chan struct{}
	done    chan struct{}
	mu      sync.Mutex
	peak    int64
	peakAt  time.Time
	samples int
	err     error
}

func sample(pid int, every time.Duration) *sampler {
	s := &sampler{stop: make(chan struct{}), done: make(chan struct{})}
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

type countWriter int64

func (w *countWriter) Write(p []byte) (int, error) { *w += countWriter(len(p)); return len(p), nil }

// uploadThroughPortal sends one generated PDF of size bytes as the only part of a multipart form,
// and deletes the stored document afterwards.
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

	m, err := readMemory(pid)
	if err != nil {
		run.Err = fmt.Errorf("read portal memory: %w", err)
		pr.Close()
		return run
	}
	run.Before = m.RSS
	s := sample(pid, 20*time.Millisecond)
	start := time.Now()
	resp, err := c.hc.Do(req)
	var doc struct {
		Size   int64  `json:"size"`
		SHA256 string `json:"sha256"`
		ID     string `json:"id"`
	}
	if err == nil {
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
	run.Peak, run.Samples = peak, n
	if !peakAt.IsZero() && run.Elapsed > 0 {
		run.PeakAtPc = 100 * float64(peakAt.Sub(start)) / float64(run.Elapsed)
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

// runUploadMode is the issue-4 benchmark; it writes its report to out.
func runUploadMode(ctx context.Context, o *options, cfg config.Config, base, idp string, pid int, out io.Writer) error {
	tr := newTransport(2)
	defer tr.CloseIdleConnections()
	iins, err := citizens(ctx, tr, idp)
	if err != nil {
		return err
	}
	fx, err := loadFixture(ctx, tr, base)
	if err != nil {
		return err
	}
	c, err := signIn(ctx, tr, base, iins[0])
	if err != nil {
		return err
	}
	claimID, err := c.createClaim(ctx, fx.answers(1))
	if err != nil {
		return err
	}
	store, err := objectstore.New(objectstore.Config{Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey, Bucket: cfg.S3Bucket, UseTLS: cfg.S3UseTLS})
	if err != nil {
		return err
	}
	if err := store.EnsureBucket(ctx); err != nil {
		return err
	}
	want := pdfSHA256(o.size, 0)
	framings := []string{o.framing}
	if o.framing == "both" {
		framings = []string{"chunked", "length"}
	}

	// The idle portal, and its peak from here on.
	time.Sleep(time.Second)
	idle, err := readMemory(pid)
	if err != nil {
		return fmt.Errorf("read portal memory (pid %d): %w", pid, err)
	}
	hwmReset := resetPeak(pid) == nil
	runs := map[string][]uploadRun{}
	var directs []time.Duration
	var directErr error
	for rep := 1; rep <= o.repeat; rep++ {
		logf("upload %d/%d: %s straight to object storage", rep, o.repeat, formatSize(o.size))
		dctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
		d, err := directPut(dctx, store, o.size)
		cancel()
		if err != nil {
			directErr = err
		} else {
			directs = append(directs, d)
		}
		for _, f := range framings {
			logf("upload %d/%d: %s through the portal (pid %d), framing %s", rep, o.repeat, formatSize(o.size), pid, f)
			uctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
			runs[f] = append(runs[f], uploadThroughPortal(uctx, c, pid, claimID, o.size, f))
			cancel()
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	end, _ := readMemory(pid)

	peak := int64(0)
	var failed error
	portalMBps, slowest := -1.0, ""
	for _, f := range framings {
		desc := map[string]string{"length": "Content-Length, as browsers send", "chunked": "Transfer-Encoding: chunked"}[f]
		fmt.Fprintf(out, "== upload through the portal, %s (%s)\n", f, desc)
		var ok []time.Duration
		for i, r := range runs[f] {
			status := "sha256 matches"
			switch {
			case r.Err != nil:
				status, failed = "ERROR "+r.Err.Error(), r.Err
			case r.SHA256 != want || r.Size != o.size:
				status = fmt.Sprintf("MISMATCH: stored %d bytes, sha256 %s; sent %d, %s", r.Size, r.SHA256, o.size, want)
				failed = fmt.Errorf("upload %s: stored bytes differ from those sent", f)
			default:
				ok = append(ok, r.Elapsed)
			}
			fmt.Fprintf(out, "  run %d  %6.2fs %7.2f MB/s  RSS before %6.1f MiB, peak %6.1f MiB (sampled at %.0f%% of the upload)  %s\n",
				i+1, r.Elapsed.Seconds(), mbps(o.size, r.Elapsed), mib(r.Before), mib(r.Peak), r.PeakAtPc, status)
			peak = max(peak, r.Peak)
		}
		m := medianMBps(o.size, ok)
		fmt.Fprintf(out, "  median %.2f MB/s\n", m)
		if len(ok) < len(runs[f]) {
			m = 0
		}
		if portalMBps < 0 || m < portalMBps {
			portalMBps, slowest = m, f
		}
	}
	fmt.Fprintln(out, "== direct minio-go PutObject (unknown size, 16 MiB parts, 1 thread)")
	for i, d := range directs {
		fmt.Fprintf(out, "  run %d  %6.2fs %7.2f MB/s\n", i+1, d.Seconds(), mbps(o.size, d))
	}
	if directErr != nil {
		fmt.Fprintf(out, "  ERROR %v\n", directErr)
	}
	directMBps := medianMBps(o.size, directs)
	fmt.Fprintf(out, "  median %.2f MB/s\n", directMBps)
	hwm := "VmHWM reset before the first upload and read after the last"
	if hwmReset && end.HWM > peak {
		peak = end.HWM
	}
	if !hwmReset {
		hwm = "VmHWM could not be reset: 20 ms samples only"
	}
	fmt.Fprintf(out, "== portal RSS: idle %.1f MiB before the first upload, peak %.1f MiB over all %d uploads (%s): growth %.1f MiB (limit 64)\n",
		mib(idle.RSS), mib(peak), o.repeat*len(framings), hwm, mib(peak-idle.RSS))
	fmt.Fprintf(out, "(portal_mbps: median of the %s framing, the slower; ratio: to the direct median)\n", slowest)
	fmt.Fprintln(out, uploadLine(mib(peak-idle.RSS), portalMBps, directMBps))
	if failed != nil {
		return failed
	}
	return directErr
}
