# Talap: `make run` starts everything with demo data; `make test` runs every check and test.
# Both install what is missing (apt-get for PostgreSQL and Redis, go install for MinIO, Mailpit and
# staticcheck) and keep local state under .state/ (git-ignored).
SHELL := /bin/bash
# Go 1.26.9 fixes standard-library vulnerabilities of 1.26.8 (what a fresh machine has); the go
# command fetches it from the module proxy on first use. The scripts under infra/dev say the same.
export GOTOOLCHAIN := go1.26.9
export TALAP_STATE_DIR ?= $(CURDIR)/.state
STATICCHECK_VERSION := v0.8.2
# make lint runs govulncheck (golang.org/x/vuln) against a database built here from the
# golang.org/x/vulndb module (infra/dev/vulncheck.sh). VULN_ACCEPTED: reachable findings that are
# reported but do not fail lint. GO-2026-6809 (crypto/x509 distrusts compromised intermediates,
# reached through TLS) is fixed in go1.26.10 and go1.27.3, not in go1.26.9.
export VULN_VERSION := v1.9.0
export VULNDB_VERSION := v0.0.0-20261105234957-e22db6528018
export VULN_ACCEPTED := GO-2026-6809
GOBIN := $(shell go env GOPATH)/bin

.PHONY: run test services services-down migrate seed audit-verify lint build bench

run:
	@infra/dev/run.sh

test:
	@infra/dev/test.sh

services:
	@infra/dev/services.sh up

services-down:
	@infra/dev/services.sh down

build:
	go build -o bin/ ./cmd/...

migrate:
	go run ./cmd/portal migrate

seed:
	go run ./cmd/portal seed

audit-verify:
	go run ./cmd/portal audit-verify

lint:
	infra/dev/tracked-files.sh
	@[ -x $(GOBIN)/staticcheck ] || go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	go vet ./...
	$(GOBIN)/staticcheck ./...
	infra/dev/vulncheck.sh

# The load test (cmd/loadtest) on a stack of its own (-start: own ports, database, queue, bucket),
# at 8 then 32 virtual citizens for 30 s each, each followed by the bare-I/O baseline. Each run's
# last line is: ratio=<portal/baseline> portal=<claims/s> baseline=<claims/s> p99_submit_ms=<n>
bench:
	@mkdir -p $(TALAP_STATE_DIR)/loadtest
	go build -o $(TALAP_STATE_DIR)/loadtest/loadtest ./cmd/loadtest
	$(TALAP_STATE_DIR)/loadtest/loadtest -start -concurrency 8 -duration 30s
	$(TALAP_STATE_DIR)/loadtest/loadtest -start -concurrency 32 -duration 30s
