# Talap: `make run` starts everything with demo data; `make test` runs every check and test.
# Both install what is missing (apt-get for PostgreSQL and Redis, go install for MinIO, Mailpit and
# staticcheck) and keep local state under .state/ (git-ignored).
SHELL := /bin/bash
export TALAP_STATE_DIR ?= $(CURDIR)/.state
STATICCHECK_VERSION := v0.8.2
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

# The load test (cmd/loadtest) on a stack of its own (-start: own ports, database, queue, bucket),
# at 8 then 32 virtual citizens for 30 s each, each followed by the bare-I/O baseline. Each run's
# last line is: ratio=<portal/baseline> portal=<claims/s> baseline=<claims/s> p99_submit_ms=<n>
bench:
	@mkdir -p $(TALAP_STATE_DIR)/loadtest
	go build -o $(TALAP_STATE_DIR)/loadtest/loadtest ./cmd/loadtest
	$(TALAP_STATE_DIR)/loadtest/loadtest -start -concurrency 8 -duration 30s
	$(TALAP_STATE_DIR)/loadtest/loadtest -start -concurrency 32 -duration 30s
