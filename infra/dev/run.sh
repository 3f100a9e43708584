#!/usr/bin/env bash
# make run: bring up the services, create and migrate the database, seed demo data, start the
# national-eID simulator, the worker and the portal, print where to click, and on Ctrl-C stop all
# that this script started.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export GOTOOLCHAIN=go1.26.9 # as in the Makefile; the go command fetches it on first use
export TALAP_STATE_DIR=${TALAP_STATE_DIR:-$ROOT/.state}
export TALAP_DATABASE_URL=${TALAP_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/talap?sslmode=disable}
LOGS=$TALAP_STATE_DIR/logs
command -v go >/dev/null || { echo "Go is required (see README)"; exit 1; }
command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }

export TALAP_STARTED_FILE=$TALAP_STATE_DIR/started.$$
infra/dev/services.sh up
pids=()
cleanup() {
  trap - INT TERM EXIT
  stopping=1
  echo; echo "Stopping Talap..."
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  infra/dev/services.sh down
}
trap cleanup INT TERM EXIT

echo "Building..."
mkdir -p "$TALAP_STATE_DIR/bin" "$LOGS"
go build -o "$TALAP_STATE_DIR/bin/" ./cmd/portal ./cmd/worker ./cmd/idp-sim
BIN=$TALAP_STATE_DIR/bin

"$BIN/portal" seed

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in 8080 8090; do
  if port_open $port; then echo "Port $port is already in use: stop what runs there (an earlier make run?) and try again."; exit 1; fi
done

"$BIN/idp-sim" >"$LOGS/idp-sim.log" 2>&1 & pids+=($!)
"$BIN/worker" >"$LOGS/worker.log" 2>&1 & pids+=($!)
"$BIN/portal" >"$LOGS/portal.log" 2>&1 & pids+=($!)

for _ in $(seq 1 100); do
  curl -fs http://127.0.0.1:8080/readyz >/dev/null 2>&1 && break
  sleep 0.2
done
if ! curl -fs http://127.0.0.1:8080/readyz >/dev/null; then
  echo "The portal did not become ready; see $LOGS/portal.log"; curl -s http://127.0.0.1:8080/readyz || true; exit 1
fi

cat <<MSG

  Talap is running.

  Portal:            http://127.0.0.1:8080/
  Sign in:           http://127.0.0.1:8080/auth/login   (national-eID simulator: pick a persona)
  Personas (JSON):   http://127.0.0.1:8090/personas
  Mail (Mailpit):    http://127.0.0.1:8025/
  MinIO console:     http://127.0.0.1:9001/   (user ${TALAP_S3_ACCESS_KEY:-talap})
  Readiness:         http://127.0.0.1:8080/readyz
  Logs:              $LOGS/

  Demo personas:
MSG
curl -fs http://127.0.0.1:8090/personas | python3 -c '
import json, sys
seen = {}
for p in json.load(sys.stdin):
    k = p["kind"]
    if seen.get(k, 0) < 3:
        seen[k] = seen.get(k, 0) + 1
        print("    %-8s %s  %s  %s" % (k, p["iin"], p["name"], p.get("body_bin") or p.get("court_id") or ""))
' 2>/dev/null || true
echo
echo "  Press Ctrl-C to stop."
wait -n "${pids[@]}" || true
[ -n "${stopping:-}" ] || echo "A Talap process exited; see $LOGS/"
