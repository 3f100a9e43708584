// Package ratelimit counts requests per key in fixed one-minute windows in Redis.
package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limiter allows up to a number of events per minute per key.
type Limiter struct {
	rdb       *redis.Client
	namespace string
}

// New makes a limiter whose counters are kept under namespace, so deployments (and test runs)
// sharing a Redis do not count each other's requests.
func New(rdb *redis.Client, namespace string) *Limiter {
	return &Limiter{rdb: rdb, namespace: namespace}
}

// Allow counts one event for key and reports whether it is within limit per minute; when it is not,
// it says how long until the window resets.
func (l *Limiter) Allow(ctx context.Context, key string, limit int) (bool, time.Duration, error) {
	now := time.Now()
	window := now.Truncate(time.Minute)
	k := fmt.Sprintf("talap:rate:%s:%s:%d", l.namespace, key, window.Unix())
	pipe := l.rdb.TxPipeline()
	incr := pipe.Incr(ctx, k)
	pipe.Expire(ctx, k, 2*time.Minute)
	if _, err := pipe.Exec(ctx); err != nil {
		return false, 0, fmt.Errorf("rate limit: %w", err)
	}
	if incr.Val() > int64(limit) {
		return false, window.Add(time.Minute).Sub(now), nil
	}
	return true, 0, nil
}
