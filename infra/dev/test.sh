#!/usr/bin/env bash
# make test: bring up the services, run vet and staticcheck, then every test with the race detector
# against the real services. Services this script started are stopped at the end.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export TALAP_STATE_DIR=${TALAP_STATE_DIR:-$ROOT/.state}
command -v go >/dev/null || { echo "Go is required (see README)"; exit 1; }

export TALAP_STARTED_FILE=$TALAP_STATE_DIR/started.$$
infra/dev/services.sh up
trap 'infra/dev/services.sh down' EXIT

start=$(date +%s)
echo "== go vet and staticcheck"
make --no-print-directory lint
echo "== go test -race ./..."
go test -race -count=1 -timeout 25m ./...
echo "== make test finished in $(( $(date +%s) - start )) s"
