#!/usr/bin/env bash
# make lint: govulncheck at symbol level (vulnerable functions this code can reach) against a
# vulnerability database built from the golang.org/x/vulndb module, once per version, under
# $TALAP_STATE_DIR/vulndb/. Fails on a reachable finding that VULN_ACCEPTED does not list.
# VULN_VERSION, VULNDB_VERSION and VULN_ACCEPTED come from the Makefile.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${VULN_VERSION:?set by the Makefile}" "${VULNDB_VERSION:?set by the Makefile}"
ACCEPTED=${VULN_ACCEPTED:-}
STATE=${TALAP_STATE_DIR:-$PWD/.state}
DB=$STATE/vulndb/$VULNDB_VERSION

if [ ! -d "$DB" ]; then
  echo "vulncheck: building the database from golang.org/x/vulndb@$VULNDB_VERSION (once per version)"
  go mod download golang.org/x/vulndb@"$VULNDB_VERSION"
  mkdir -p "$STATE/vulndb"
  tmp=$(mktemp -d "$DB.XXXX")
  trap 'rm -rf "$tmp"' EXIT
  go run golang.org/x/vulndb/cmd/indexdb@"$VULNDB_VERSION" -out "$tmp" \
    -vulns "$(go env GOMODCACHE)/golang.org/x/vulndb@$VULNDB_VERSION/data/osv"
  mv -T "$tmp" "$DB" 2>/dev/null || true # or another run got there first
fi

# Installed rather than run with go run, which turns govulncheck's exit status 3 into 1; go install
# rebuilds it when the toolchain changes.
GOBIN=$STATE/vulndb/bin go install golang.org/x/vuln/cmd/govulncheck@"$VULN_VERSION"
status=0
report=$("$STATE/vulndb/bin/govulncheck" -db "file://$DB" ./...) || status=$?
echo "$report"
case $status in
  0 | 3) ;;           # 3: reachable vulnerabilities found
  *) exit "$status" ;; # govulncheck itself failed
esac
found=$(sed -n 's/^Vulnerability #[0-9]*: \(GO-[0-9-]*\)$/\1/p' <<<"$report")
for id in $ACCEPTED; do
  grep -qxF "$id" <<<"$found" || echo "vulncheck: $id is accepted in the Makefile but no longer found: remove it"
done
if [ "$status" -eq 0 ]; then exit 0; fi
unaccepted=$(for id in $found; do [[ " $ACCEPTED " == *" $id "* ]] || echo "$id"; done)
if [ -z "$found" ] || [ -n "$unaccepted" ]; then
  echo "vulncheck: reachable vulnerabilities:" ${unaccepted:-"(see the report above)"} >&2
  exit 1
fi
echo "vulncheck: passed; every reachable finding above is accepted in the Makefile (VULN_ACCEPTED)"
