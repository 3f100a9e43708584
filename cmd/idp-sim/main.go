// Command idp-sim runs the national-eID simulator: an OpenID Connect provider with demo personas,
// for development and tests only. See package talap/cmd/idp-sim/idpsim.
//
// Environment:
//
//	IDPSIM_ADDR                       listen address (127.0.0.1:8090)
//	IDPSIM_ISSUER                     issuer URL (http://<IDPSIM_ADDR>, or http://127.0.0.1:8090)
//	IDPSIM_PERSONAS                   personas file (infra/seed/personas.json)
//	IDPSIM_CLIENT_SECRET              secret of the talap-portal client (talap-dev-secret)
//	IDPSIM_REDIRECT_URIS              extra redirect URIs of talap-portal, comma separated
//	IDPSIM_POST_LOGOUT_REDIRECT_URIS  extra post-logout redirect URIs of talap-portal, comma separated
//	IDPSIM_CLIENTS                    more clients: a JSON array or a path to a JSON file of
//	                                  [{"id","secret","redirect_uris":[],"post_logout_redirect_uris":[]}];
//	                                  a client with id talap-portal replaces the default one
//	IDPSIM_SIGNING_KEY                PEM file with an RSA private key (default: generated at start)
package main

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"talap/cmd/idp-sim/idpsim"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	slog.SetDefault(logger)
	if err := run(logger); err != nil {
		logger.Error("idp-sim stopped", "err", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}

func list(name string) []string {
	var out []string
	for _, s := range strings.Split(os.Getenv(name), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func run(logger *slog.Logger) error {
	addr := env("IDPSIM_ADDR", "127.0.0.1:8090")
	issuer := env("IDPSIM_ISSUER", defaultIssuer(addr))
	clients, err := clientsFromEnv()
	if err != nil {
		return err
	}
	cfg := idpsim.Config{
		Issuer:       issuer,
		PersonasFile: env("IDPSIM_PERSONAS", "infra/seed/personas.json"),
		Clients:      clients,
		Logger:       logger,
	}
	if path := os.Getenv("IDPSIM_SIGNING_KEY"); path != "" {
		if cfg.SigningKey, err = readKey(path); err != nil {
			return err
		}
	}
	handler, err := idpsim.New(cfg)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	ids := make([]string, len(clients))
	for i, c := range clients {
		ids[i] = c.ID
	}
	logger.Info("idp-sim listening", "addr", ln.Addr().String(), "issuer", issuer,
		"personas", cfg.PersonasFile, "clients", ids)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("idp-sim shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// defaultIssuer is http://<addr> when addr names a host, else http://127.0.0.1:8090.
func defaultIssuer(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || port == "0" {
		return "http://127.0.0.1:8090"
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func clientsFromEnv() ([]idpsim.Client, error) {
	def := idpsim.DefaultClient()
	def.Secret = env("IDPSIM_CLIENT_SECRET", def.Secret)
	def.RedirectURIs = append(def.RedirectURIs, list("IDPSIM_REDIRECT_URIS")...)
	def.PostLogoutRedirectURIs = append(def.PostLogoutRedirectURIs, list("IDPSIM_POST_LOGOUT_REDIRECT_URIS")...)
	clients := []idpsim.Client{def}

	raw := strings.TrimSpace(os.Getenv("IDPSIM_CLIENTS"))
	if raw == "" {
		return clients, nil
	}
	data := []byte(raw)
	if !strings.HasPrefix(raw, "[") {
		var err error
		if data, err = os.ReadFile(raw); err != nil {
			return nil, fmt.Errorf("IDPSIM_CLIENTS: %w", err)
		}
	}
	var extra []idpsim.Client
	if err := json.Unmarshal(data, &extra); err != nil {
		return nil, fmt.Errorf("IDPSIM_CLIENTS: %w", err)
	}
	for _, c := range extra {
		if c.ID == def.ID {
			clients[0] = c
			continue
		}
		clients = append(clients, c)
	}
	return clients, nil
}

func readKey(path string) (*rsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("IDPSIM_SIGNING_KEY: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, errors.New("IDPSIM_SIGNING_KEY: no PEM block")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("IDPSIM_SIGNING_KEY: %w", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("IDPSIM_SIGNING_KEY: not an RSA key")
	}
	return rk, nil
}
