package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"talap/cmd/internal/latency"
)

func durations(ms ...int) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = time.Duration(m) * time.Millisecond
	}
	return out
}

func TestPercentileIsNearestRank(t *testing.T) {
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	cases := []struct {
		samples []time.Duration
		p       float64
		want    time.Duration
	}{
		{nil, 50, 0},
		{durations(7), 99, 7 * time.Millisecond},
		{durations(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{durations(1, 2, 3, 4), 95, 4 * time.Millisecond},
		{durations(hundred...), 50, 50 * time.Millisecond},
		{durations(hundred...), 95, 95 * time.Millisecond},
		{durations(hundred...), 99, 99 * time.Millisecond},
		{durations(hundred...), 100, 100 * time.Millisecond},
	}
	for _, c := range cases {
		if got := latency.Percentile(c.samples, c.p); got != c.want {
			t.Errorf("p%v of %d samples = %v, want %v", c.p, len(c.samples), got, c.want)
		}
	}
}

func TestSummaryLineIsExact(t *testing.T) {
	portal := &result{Duration: 30 * time.Second, Completed: 300, Submit: durations(10, 20, 30, 1234)}
	portal.Submit[3] += 600 * time.Microsecond // 1234.6 ms rounds to 1235
	bare := &result{Duration: 30 * time.Second, Completed: 900}
	got := summaryLine(portal, bare)
	if want := "ratio=0.33 portal=10.00 baseline=30.00 p99_submit_ms=1235"; got != want {
		t.Errorf("summary line %q, want %q", got, want)
	}
	re := regexp.MustCompile(`^ratio=\d+\.\d\d portal=\d+\.\d\d baseline=\d+\.\d\d p99_submit_ms=\d+$`)
	if empty := summaryLine(&result{Duration: time.Second}, &result{Duration: time.Second}); !re.MatchString(empty) {
		t.Errorf("summary line without samples %q does not have the format", empty)
	}
}

func TestUploadLine(t *testing.T) {
	if got, want := uploadLine(12.2, 150.456, 200), "upload_rss_growth_mib=13 portal_mbps=150.46 direct_mbps=200.00 ratio=0.75"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got, want := uploadLine(0, 10, 0), "upload_rss_growth_mib=0 portal_mbps=10.00 direct_mbps=0.00 ratio=0.00"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}

func TestReportEndsWithTheSummary(t *testing.T) {
	var out strings.Builder
	r := &result{Mode: "portal", Concurrency: 8, Duration: 30 * time.Second, DocSize: 256 << 10, Completed: 3, Errors: 2,
		ErrorKind: map[string]int{"submit: HTTP 422 incomplete (documents)": 2}, Submit: durations(5, 6, 7), Routed: durations(50, 60, 70)}
	writeResult(&out, r)
	for _, want := range []string{"concurrency=8", "doc=256KiB", "0.10 claims/s", "p50=6.0ms", "p99=70.0ms", "2 × submit: HTTP 422 incomplete (documents)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestSizes(t *testing.T) {
	for in, want := range map[string]int64{"262144": 262144, "256KiB": 256 << 10, "256k": 256 << 10, "16MiB": 16 << 20,
		"1GiB": 1 << 30, "1GB": 1e9, "1.5MiB": 3 << 19, " 64 KB ": 64000} {
		got, err := parseSize(in)
		if err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "12XB", "-1MiB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
	for n, want := range map[int64]string{1 << 30: "1GiB", 256 << 10: "256KiB", 1000: "1000B", 3 << 19: "1536KiB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestGeneratedPDF(t *testing.T) {
	const size = 3*blockSize + 12345
	whole, err := io.ReadAll(newPDF(size, 77))
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) != size || !bytes.HasPrefix(whole, []byte("%PDF-1.7\n")) || !bytes.HasSuffix(whole, []byte("\n%%EOF\n")) {
		t.Fatalf("generated %d bytes starting %q ending %q", len(whole), whole[:9], whole[len(whole)-7:])
	}
	if bytes.Contains(whole, []byte("/Encrypt")) {
		t.Error("generated PDF contains /Encrypt, which the portal refuses")
	}
	// Read in odd small pieces, it is the same stream.
	pieces, err := io.ReadAll(iotest.OneByteReader(io.LimitReader(newPDF(size, 77), 5000)))
	if err != nil || !bytes.Equal(pieces, whole[:5000]) {
		t.Error("reading in one-byte pieces gives other bytes")
	}
	if err := iotest.TestReader(newPDF(100000, 3), mustRead(t, newPDF(100000, 3))); err != nil {
		t.Error(err)
	}
	if a, b := pdfSHA256(size, 1), pdfSHA256(size, 2); a == b {
		t.Error("documents with other offsets are the same")
	}
}

func mustRead(t *testing.T, r io.Reader) []byte {
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseStatus(t *testing.T) {
	status := "Name:\tportal\nVmPeak:\t 2000000 kB\nVmHWM:\t   81234 kB\nVmRSS:\t   70000 kB\nThreads:\t12\n"
	m, err := parseStatus(strings.NewReader(status))
	if err != nil || m.RSS != 70000<<10 || m.HWM != 81234<<10 {
		t.Errorf("parseStatus = %+v, %v", m, err)
	}
	if _, err := parseStatus(strings.NewReader("Name:\tx\n")); err == nil {
		t.Error("a status without VmRSS was accepted")
	}
}

func TestDriveCountsInsideTheWindowAndErrors(t *testing.T) {
	run := func(ctx context.Context, w, seq int) (time.Duration, time.Duration, error) {
		time.Sleep(5 * time.Millisecond)
		if seq%4 == 0 {
			return 0, 0, &apiError{Op: "submit", Status: 422, Code: "incomplete", Fields: []string{"documents"}}
		}
		return time.Millisecond, 3 * time.Millisecond, nil
	}
	r := drive(context.Background(), "test", load{concurrency: 2, duration: 200 * time.Millisecond}, run)
	if r.Completed+r.Late+r.Errors < 20 || r.Errors == 0 || r.Completed == 0 {
		t.Errorf("completed %d, late %d, errors %d", r.Completed, r.Late, r.Errors)
	}
	if len(r.Submit) != r.Completed+r.Late || r.ErrorKind["submit: HTTP 422 incomplete (documents)"] != r.Errors {
		t.Errorf("samples %d, error kinds %v", len(r.Submit), r.ErrorKind)
	}
}

func TestDriveRateLimitsStarts(t *testing.T) {
	r := drive(context.Background(), "test", load{concurrency: 4, duration: 500 * time.Millisecond, rate: 20},
		func(ctx context.Context, w, seq int) (time.Duration, time.Duration, error) { return 0, 0, nil })
	// 20/s for 0.5 s is 10 starts; allow for timer slack.
	if n := r.Completed + r.Late; n < 7 || n > 11 {
		t.Errorf("%d claims started at 20/s in 0.5 s", n)
	}
}

func TestLoopbackOnly(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:80"} {
		if err := loopbackOnly(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://10.0.0.1:8080", "http://example.com", "nonsense"} {
		if err := loopbackOnly(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestErrorKeyGroupsByKind(t *testing.T) {
	a := opError("poll", errors.New("context deadline exceeded"))
	if got := errorKey(a); got != "poll: context deadline exceeded" {
		t.Errorf("errorKey = %q", got)
	}
	long := errors.New(strings.Repeat("x", 300) + "\nsecond line")
	if got := errorKey(long); len(got) > 170 || strings.Contains(got, "second") {
		t.Errorf("errorKey of a long error = %q", got)
	}
}

func TestMedianMBps(t *testing.T) {
	const size = 100e6
	if got := medianMBps(size, nil); got != 0 {
		t.Errorf("median of nothing = %v", got)
	}
	if got := medianMBps(size, []time.Duration{4 * time.Second, time.Second, 2 * time.Second}); got != 50 {
		t.Errorf("median of 1 s, 2 s, 4 s for 100 MB = %v MB/s, want 50", got)
	}
	if got := medianMBps(size, []time.Duration{time.Second, 2 * time.Second}); got != 75 {
		t.Errorf("median of 1 s, 2 s for 100 MB = %v MB/s, want 75", got)
	}
}

func TestDatabaseURLs(t *testing.T) {
	dsn := "postgres://postgres@127.0.0.1:5432/talap?sslmode=disable&pool_max_conns=20"
	got, err := withDatabase(dsn, "talap_loadtest")
	if err != nil || got != "postgres://postgres@127.0.0.1:5432/talap_loadtest?sslmode=disable&pool_max_conns=20" {
		t.Errorf("withDatabase = %q, %v", got, err)
	}
	if got := withoutPoolParams(dsn); got != "postgres://postgres@127.0.0.1:5432/talap?sslmode=disable" {
		t.Errorf("withoutPoolParams = %q", got)
	}
	if err := recreateDatabase(context.Background(), "postgres://postgres@127.0.0.1:1/talap"); err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Errorf("recreateDatabase of a database not named loadtest: %v", err)
	}
}

func TestFlags(t *testing.T) {
	o, err := parseFlags([]string{"-doc-size", "1MiB", "-concurrency", "32", "-rate", "50"}, io.Discard)
	if err != nil || o.docSize != 1<<20 || o.concurrency != 32 || o.rate != 50 || o.mode != "bench" || o.duration != 30*time.Second {
		t.Errorf("parseFlags = %+v, %v", o, err)
	}
	for _, bad := range [][]string{{"-mode", "upload"}, {"-base", "http://10.1.2.3:8080"}, {"-concurrency", "0"}, {"-framing", "x"}} {
		if _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", bad)
		}
	}
}
