package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"talap/cmd/internal/latency"
)

// result is what one mode measured.
type result struct {
	Mode        string
	Concurrency int
	Duration    time.Duration // the measuring window
	Rate        float64       // claims started per second asked for (0: as fast as possible)
	DocSize     int64

	Completed int // claims routed whose whole cycle ended inside the window
	Late      int // claims routed after the window (started inside it)
	Errors    int // cycles that failed, inside or after the window
	ErrorKind map[string]int
	Missed    int             // -rate ticks dropped because every virtual user was busy
	Submit    []time.Duration // submit call latency, sorted by finish()
	Routed    []time.Duration // submit → routed, sorted by finish()
}

// Throughput is claims routed per second of the window.
func (r *result) Throughput() float64 {
	if r.Duration <= 0 {
		return 0
	}
	return float64(r.Completed) / r.Duration.Seconds()
}

func (r *result) finish() {
	slices.Sort(r.Submit)
	slices.Sort(r.Routed)
}

// ms is d in milliseconds, rounded to the nearest whole one.
func ms(d time.Duration) int64 {
	return int64(math.Round(float64(d) / float64(time.Millisecond)))
}

// msf is d in milliseconds with one decimal, for the detailed report.
func msf(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64)
}

func latencyLine(name string, sorted []time.Duration) string {
	if len(sorted) == 0 {
		return fmt.Sprintf("  %-16s n=0", name)
	}
	return fmt.Sprintf("  %-16s n=%d p50=%sms p95=%sms p99=%sms max=%sms", name, len(sorted),
		msf(latency.Percentile(sorted, 50)), msf(latency.Percentile(sorted, 95)), msf(latency.Percentile(sorted, 99)), msf(sorted[len(sorted)-1]))
}

// writeResult prints one mode's figures.
func writeResult(w io.Writer, r *result) {
	rate := "max"
	if r.Rate > 0 {
		rate = strconv.FormatFloat(r.Rate, 'f', -1, 64) + "/s"
	}
	fmt.Fprintf(w, "== %s: concurrency=%d duration=%s doc=%s rate=%s\n", r.Mode, r.Concurrency, r.Duration, formatSize(r.DocSize), rate)
	fmt.Fprintf(w, "  throughput       %.2f claims/s (%d routed in the window, %d after it)\n", r.Throughput(), r.Completed, r.Late)
	fmt.Fprintln(w, latencyLine("submit", r.Submit))
	fmt.Fprintln(w, latencyLine("submit→routed", r.Routed))
	fmt.Fprintf(w, "  errors           %d\n", r.Errors)
	kinds := make([]string, 0, len(r.ErrorKind))
	for k := range r.ErrorKind {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		return r.ErrorKind[kinds[i]] > r.ErrorKind[kinds[j]] || r.ErrorKind[kinds[i]] == r.ErrorKind[kinds[j]] && kinds[i] < kinds[j]
	})
	for _, k := range kinds {
		fmt.Fprintf(w, "    %6d × %s\n", r.ErrorKind[k], k)
	}
	if r.Missed > 0 {
		fmt.Fprintf(w, "  rate not reached: %d starts skipped because all %d virtual users were busy\n", r.Missed, r.Concurrency)
	}
}

// summaryLine is the report's last line: portal against baseline throughput, and the portal's p99
// submit latency.
func summaryLine(portal, baseline *result) string {
	ratio := 0.0
	if b := baseline.Throughput(); b > 0 {
		ratio = portal.Throughput() / b
	}
	return fmt.Sprintf("ratio=%.2f portal=%.2f baseline=%.2f p99_submit_ms=%d",
		ratio, portal.Throughput(), baseline.Throughput(), ms(latency.Percentile(portal.Submit, 99)))
}

// uploadLine is the upload benchmark's last line.
func uploadLine(growthMiB, portalMBps, directMBps float64) string {
	ratio := 0.0
	if directMBps > 0 {
		ratio = portalMBps / directMBps
	}
	return fmt.Sprintf("upload_rss_growth_mib=%d portal_mbps=%.2f direct_mbps=%.2f ratio=%.2f",
		int64(math.Ceil(growthMiB)), portalMBps, directMBps, ratio)
}

// errorKey shortens an error to a kind for counting: long texts and ids would make every error
// its own kind.
func errorKey(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

// parseSize reads a byte count such as 262144, 256KiB, 256k, 16MiB, 1GiB, 1GB (decimal units for
// KB, MB and GB; binary for KiB, MiB, GiB and the single letters k, m, g).
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') && t[i-1] != '.' {
		i--
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	mult := map[string]float64{"": 1, "b": 1,
		"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
		"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
		"g": 1 << 30, "gib": 1 << 30, "gb": 1e9}[unit]
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || mult == 0 || f < 0 {
		return 0, fmt.Errorf("bad size %q (use e.g. 262144, 256KiB, 16MiB, 1GiB)", s)
	}
	return int64(f * mult), nil
}

// formatSize writes n in the largest binary unit that divides it, or in bytes.
func formatSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

// sizeFlag is a flag.Value for sizes.
type sizeFlag struct{ n *int64 }

func (f sizeFlag) String() string {
	if f.n == nil {
		return ""
	}
	return formatSize(*f.n)
}

func (f sizeFlag) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	*f.n = n
	return nil
}
