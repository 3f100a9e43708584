package worker

import (
	"context"
	"log/slog"
	"time"

	"talap/portal/storage"
)

// SealAudit links new audit events into the hash chain every interval until ctx ends. Writers
// append events without waiting for one another; this loop is the chain's only writer (a database
// lock keeps a second worker's loop from sealing at the same time).
func SealAudit(ctx context.Context, db *storage.DB, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := db.SealAllAudit(ctx); err != nil && ctx.Err() == nil {
			log.Warn("audit events not sealed yet; trying again", "error", err)
		} else if n > 0 {
			log.Debug("audit events sealed", "events", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
