// Package ops serves the operators' listeners of the binaries: net/http/pprof (TALAP_PPROF_ADDR)
// and the portal's Prometheus metrics (TALAP_METRICS_ADDR). Each is off unless configured, has a
// mux and server timeouts of its own, and is never the public listener. Configuration refuses a
// pprof address off the loopback interface unless TALAP_PPROF_ALLOW_REMOTE is set.
package ops

import (
	"log/slog"
	"net/http"
	"net/http/pprof"
	"time"
)

// Pprof is a mux with the net/http/pprof handlers, without touching http.DefaultServeMux.
func Pprof() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// Serve listens on addr in the background when addr is set. The write timeout leaves room for a
// 30-second CPU profile or trace.
func Serve(name, addr string, h http.Handler, log *slog.Logger) {
	if addr == "" {
		return
	}
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 2 * time.Minute, IdleTimeout: time.Minute, MaxHeaderBytes: 16 << 10}
	go func() {
		log.Info("operators' listener", "what", name, "addr", addr)
		if err := srv.ListenAndServe(); err != nil {
			log.Error("operators' listener stopped", "what", name, "addr", addr, "error", err)
		}
	}()
}
