package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"talap/cmd/internal/latency"
)

// msf is d in milliseconds with two decimals.
func msf(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64)
}

// summary is one line of percentiles; it sorts samples.
func summary(name string, samples []time.Duration) string {
	slices.Sort(samples)
	if len(samples) == 0 {
		return fmt.Sprintf("%-10s n=0", name)
	}
	return fmt.Sprintf("%-10s n=%d p50=%sms p95=%sms p99=%sms max=%sms", name, len(samples),
		msf(latency.Percentile(samples, 50)), msf(latency.Percentile(samples, 95)), msf(latency.Percentile(samples, 99)), msf(samples[len(samples)-1]))
}

var placeholder = regexp.MustCompile(`\$(\d+)`)

// inline puts literal arguments in place of a statement's $n placeholders, so that the statement
// can be explained as the planner sees it with those values.
func inline(sql string, args []any) (string, error) {
	var bad error
	out := placeholder.ReplaceAllStringFunc(sql, func(m string) string {
		i, _ := strconv.Atoi(m[1:])
		if i < 1 || i > len(args) {
			bad = fmt.Errorf("placeholder %s without an argument", m)
			return m
		}
		lit, err := literal(args[i-1])
		if err != nil {
			bad = err
		}
		return lit
	})
	return out, bad
}

func literal(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "NULL", nil
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'", nil
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case time.Time:
		return "'" + v.Format(time.RFC3339Nano) + "'::timestamptz", nil
	case *time.Time:
		if v == nil {
			return "NULL", nil
		}
		return literal(*v)
	}
	return "", fmt.Errorf("no literal for %T", v)
}
