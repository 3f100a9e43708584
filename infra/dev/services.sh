#!/usr/bin/env bash
# Brings up (or down) the services Talap needs on this machine: PostgreSQL, Redis, MinIO, Mailpit.
# A service already answering on its port is reused; otherwise it is installed if missing (apt-get,
# go install) and started with its state under $TALAP_STATE_DIR. `down` stops only what `up` started.
set -euo pipefail

export GOTOOLCHAIN=go1.26.9 # as in the Makefile; the go command fetches it on first use
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STATE=${TALAP_STATE_DIR:-$ROOT/.state}
GOBIN=$(go env GOPATH)/bin
# Each caller (make run, make test) keeps its own list, so it stops only what it started.
STARTED=${TALAP_STARTED_FILE:-$STATE/started}
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
MAILPIT_VERSION=v1.33.1
export MINIO_ROOT_USER=${TALAP_S3_ACCESS_KEY:-talap}
export MINIO_ROOT_PASSWORD=${TALAP_S3_SECRET_KEY:-talap-dev-secret}

log() { printf '[services] %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port name seconds
  for _ in $(seq 1 $(($3 * 10))); do port_open "$1" && return 0; sleep 0.1; done
  log "$2 did not start on port $1 within $3 s; see $STATE/logs"; return 1
}

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq; apt_updated=1; fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

mark_started() { echo "$1" >>"$STARTED"; }

postgres_up() {
  if port_open 5432; then log "PostgreSQL: reusing 127.0.0.1:5432"; return; fi
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then apt_install postgresql; fi
  if command -v pg_lsclusters >/dev/null && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
    read -r ver name _ < <(pg_lsclusters -h | head -n1)
    log "PostgreSQL: starting cluster $ver/$name"
    pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start
    mark_started "pgcluster $ver $name"
  else
    local bin; bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")
    mkdir -p "$STATE/postgres"; chown postgres "$STATE/postgres"
    if [ ! -f "$STATE/postgres/PG_VERSION" ]; then
      runuser -u postgres -- "$bin/initdb" -D "$STATE/postgres" -U postgres --auth=trust >/dev/null
    fi
    log "PostgreSQL: starting own server in $STATE/postgres"
    runuser -u postgres -- "$bin/pg_ctl" -D "$STATE/postgres" -l "$STATE/logs/postgres.log" \
      -o "-c listen_addresses=127.0.0.1 -p 5432 -k /tmp" start >/dev/null
    mark_started "pgown $bin"
  fi
  wait_port 5432 PostgreSQL 30
}

redis_up() {
  if port_open 6379; then log "Redis: reusing 127.0.0.1:6379"; return; fi
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p "$STATE/redis"
  log "Redis: starting own server in $STATE/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir "$STATE/redis" --appendonly yes \
    --maxmemory-policy noeviction --pidfile "$STATE/redis.pid" --logfile "$STATE/logs/redis.log"
  mark_started "pid $STATE/redis.pid"
  wait_port 6379 Redis 15
}

go_tool() { # binary module version
  [ -x "$GOBIN/$1" ] && return
  log "installing $1 with go install (first time only; MinIO takes a few minutes)"
  GOFLAGS=-buildvcs=false go install "$2@$3"
}

minio_up() {
  if port_open 9000; then log "MinIO: reusing 127.0.0.1:9000"; return; fi
  go_tool minio github.com/minio/minio "$MINIO_VERSION"
  mkdir -p "$STATE/minio"
  log "MinIO: starting own server in $STATE/minio"
  MINIO_BROWSER=on nohup "$GOBIN/minio" server "$STATE/minio" --address 127.0.0.1:9000 \
    --console-address 127.0.0.1:9001 >"$STATE/logs/minio.log" 2>&1 &
  echo $! >"$STATE/minio.pid"; mark_started "pid $STATE/minio.pid"
  wait_port 9000 MinIO 60
}

mailpit_up() {
  if port_open 1025; then log "Mailpit: reusing 127.0.0.1:1025"; return; fi
  go_tool mailpit github.com/axllent/mailpit "$MAILPIT_VERSION"
  log "Mailpit: starting own server"
  nohup "$GOBIN/mailpit" --smtp 127.0.0.1:1025 --listen 127.0.0.1:8025 --database "$STATE/mailpit.db" \
    >"$STATE/logs/mailpit.log" 2>&1 &
  echo $! >"$STATE/mailpit.pid"; mark_started "pid $STATE/mailpit.pid"
  wait_port 1025 Mailpit 30
}

up() {
  mkdir -p "$STATE/logs"
  postgres_up; redis_up; minio_up; mailpit_up
}

down() {
  [ -f "$STARTED" ] || return 0
  tac "$STARTED" | while read -r kind a b; do
    case $kind in
      pid) [ -f "$a" ] && kill "$(cat "$a")" 2>/dev/null && rm -f "$a" ;;
      pgcluster) pg_ctlcluster --skip-systemctl-redirect "$a" "$b" stop || true ;;
      pgown) runuser -u postgres -- "$a/pg_ctl" -D "$STATE/postgres" stop -m fast >/dev/null || true ;;
    esac
  done
  rm -f "$STARTED"
  log "stopped the services this script started"
}

case ${1:-up} in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
