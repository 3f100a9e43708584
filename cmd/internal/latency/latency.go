// Package latency summarises measured durations for Talap's measuring tools (cmd/loadtest,
// cmd/seedclaims).
package latency

import (
	"math"
	"time"
)

// Percentile is the nearest-rank percentile p (0 < p <= 100) of sorted samples, or 0 without any.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}
