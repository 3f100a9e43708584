// Package profiling serves net/http/pprof on an operator-chosen address, for the binaries that
// take TALAP_PPROF_ADDR. It is off unless configured, and never on the public listener.
package profiling

import (
	"log/slog"
	"net/http"
	_ "net/http/pprof" // registers the /debug/pprof handlers on http.DefaultServeMux
)

// Serve listens on addr in the background when addr is set.
func Serve(addr string, log *slog.Logger) {
	if addr == "" {
		return
	}
	go func() {
		log.Warn("pprof enabled", "addr", addr)
		if err := http.ListenAndServe(addr, nil); err != nil {
			log.Error("pprof listener", "error", err)
		}
	}()
}
