#!/usr/bin/env bash
# make test: bring up the services, run make lint, then every test with the race detector
# against the real services. Services this script started are stopped at the end.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export GOTOOLCHAIN=go1.26.9 # as in the Makefile; the go command fetches it on first use
export TALAP_STATE_DIR=${TALAP_STATE_DIR:-$ROOT/.state}
command -v go >/dev/null || { echo "Go is required (see README)"; exit 1; }

export TALAP_STARTED_FILE=$TALAP_STATE_DIR/started.$$
# The tools installed below must be there: tests that need them fail rather than skip.
export TALAP_REQUIRE_TOOLS=1
infra/dev/services.sh up
trap 'infra/dev/services.sh down' EXIT

# Browser tests: Debian's Chromium and axe-core (pinned in infra/e2e/package-lock.json).
if ! command -v chromium >/dev/null; then
  echo "== installing chromium"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
# The receipt tests read the PDFs back (pdftotext, pdffonts) and decode the QR code (zbarimg).
if ! command -v pdftotext >/dev/null || ! command -v zbarimg >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils zbar-tools >/dev/null
fi
if ! command -v npm >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
[ -f infra/e2e/node_modules/axe-core/axe.min.js ] || npm ci --prefix infra/e2e --no-audit --no-fund --silent

start=$(date +%s)
echo "== make lint: tracked files, go vet, staticcheck, govulncheck"
make --no-print-directory lint
echo "== go test -race ./..."
go test -race -count=1 -timeout 25m ./...
echo "== make test finished in $(( $(date +%s) - start )) s"
