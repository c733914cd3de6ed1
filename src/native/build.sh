#!/bin/sh
# Builds ringscan, the scan's native walker and cache check, into dist/native/. It is compiled on
# the machine that runs it, so -march=native is used when the compiler accepts it (AVX2 halves the
# search's work). Without a C compiler it warns and exits 0: scans then walk and search in Node.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$(dirname "$(dirname "$here")")/dist/native"
CC=${CC:-cc}
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "ringlint: warning: no C compiler ($CC) found; scans walk and search in Node instead of ringscan" >&2
  exit 0
fi
mkdir -p "$out"
flags="-O2 -Wall -Wextra -std=gnu11 -pthread"
if echo 'int main(void){return 0;}' | $CC -march=native -x c -o /dev/null - 2>/dev/null; then flags="$flags -march=native"; fi
# Build into a temporary name and rename: a running scan never sees a half-written binary.
$CC $flags -o "$out/ringscan.tmp" "$here/ringscan.c"
mv "$out/ringscan.tmp" "$out/ringscan"
