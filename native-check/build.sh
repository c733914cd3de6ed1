#!/bin/sh
# Builds the runtime check's native parts into native-check/build/ with the system C compiler:
# the preload emulator, the traffic generator, the sandbox launcher, the output scanner and, in a
# clone (the npm package ships no fixtures), the fixture consumers and the Node fixture addon.
# Without a C compiler it warns and exits 0: static scans need none of this, and `ringlint check`
# explains how to build it when it is missing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$here/build"
CC=${CC:-cc}
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "ringlint: warning: no C compiler ($CC) found; the runtime check (ringlint check) is not built — install gcc and run 'npm run build:native' in $root" >&2
  exit 0
fi
mkdir -p "$out"
flags="-O2 -g -Wall -Wextra -std=gnu11 -I$here"
# Build into temporary names and rename: a running check never sees a half-written library.
$CC $flags -shared -fPIC -fvisibility=hidden -pthread -o "$out/libringemu.so.tmp" "$here/ringemu.c" -ldl
mv "$out/libringemu.so.tmp" "$out/libringemu.so"
for tool in traffic sandbox output-scan; do
  $CC $flags -o "$out/ringlint-$tool.tmp" "$here/$tool.c"
  mv "$out/ringlint-$tool.tmp" "$out/ringlint-$tool"
done
[ -d "$root/fixtures/consumers" ] || exit 0
mkdir -p "$out/consumers"
for source in "$root"/fixtures/consumers/*.c; do
  name=$(basename "$source" .c)
  $CC $flags -o "$out/consumers/$name.tmp" "$source"
  mv "$out/consumers/$name.tmp" "$out/consumers/$name"
done
# The C++ consumers include the C fixtures' shared body (C idiom: `= {0}` initialisers).
CXX=${CXX:-c++}
if command -v "$CXX" >/dev/null 2>&1; then
  for source in "$root"/fixtures/consumers/*.cc; do
    name=$(basename "$source" .cc)
    $CXX -O2 -g -Wall -Wextra -Wno-missing-field-initializers -std=gnu++20 -I"$here" -o "$out/consumers/$name.tmp" "$source"
    mv "$out/consumers/$name.tmp" "$out/consumers/$name"
  done
else
  echo "ringlint: warning: no C++ compiler ($CXX) found; the C++ fixture consumers are not built" >&2
fi
node_include="$(dirname "$(dirname "$(command -v node)")")/include/node"
if [ -f "$node_include/node_api.h" ]; then
  $CC $flags -shared -fPIC -I"$node_include" -o "$out/ring-addon.node.tmp" "$root/fixtures/consumers/node/ring-addon.c"
  mv "$out/ring-addon.node.tmp" "$out/ring-addon.node"
else
  echo "ringlint: warning: Node headers not found at $node_include; the JavaScript fixture consumers are not built" >&2
fi
