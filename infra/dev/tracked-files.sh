#!/usr/bin/env bash
# make lint: no tracked file may be an executable or other binary (an ELF, Mach-O or PE header, or
# any NUL byte) or larger than 2 MiB, unless ALLOW names it. Build outputs belong in bin/ or .state/
# (both git-ignored). Reads the index, so a file counts as soon as it is `git add`ed.
set -euo pipefail
cd "$(dirname "$0")/../.."
MAX_BYTES=$((2 * 1024 * 1024))
ALLOW=('frontend/fonts/*.ttf') # shell patterns

allowed() {
  local pattern
  for pattern in "${ALLOW[@]}"; do
    [[ $1 == $pattern ]] && return 0
  done
  return 1
}

kind() { # what a staged file with NUL bytes is, from its first four bytes
  case $( { git cat-file blob ":$1" || true; } | od -An -tx1 -N4 | tr -d ' \n') in
    7f454c46) echo "ELF executable" ;;
    feedface | feedfacf | cefaedfe | cffaedfe | cafebabe) echo "Mach-O executable (or Java class)" ;;
    4d5a*) echo "PE (Windows) executable" ;;
    *) echo "binary file (contains NUL bytes)" ;;
  esac
}

problems=0
report() {
  echo "tracked-files: $1: $2" >&2
  problems=$((problems + 1))
}

# git grep exits 1 when nothing matches; any other failure stops the script.
binaries=$(git -c core.quotePath=false grep --cached -l -P '\x00' || [ $? -eq 1 ])
while IFS= read -r file; do
  if [ -n "$file" ] && ! allowed "$file"; then report "$file" "$(kind "$file")"; fi
done <<<"$binaries"

while read -r size file; do
  if ((size > MAX_BYTES)) && ! allowed "$file"; then
    report "$file" "$((size / 1024)) KiB, over the 2 MiB limit"
  fi
done < <(git ls-files --format='%(objectname) %(path)' | git cat-file --batch-check='%(objectsize) %(rest)')

if ((problems > 0)); then
  echo "tracked-files: $problems problem(s). Build outputs go to bin/ or .state/; a binary the" \
    "repository needs goes on the ALLOW list in $0." >&2
  exit 1
fi
