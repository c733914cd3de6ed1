#!/usr/bin/env bash
# Fetches Debian source packages into a cache folder (default: .cache/corpus) for the real-code tests
# and benchmarks, and prints each unpacked folder:
#   fetch-debian-source.sh libpcap stenographer   -> as apt-get source unpacks them
#   fetch-debian-source.sh linux                  -> Linux from Debian's linux-source (~1.3 GB unpacked)
# Needs root (apt). Idempotent. A package appears in the folder only once it is whole (unpacked beside
# it, then renamed), so a test that reads a corpus never sees half of one; fetches run one at a time
# (apt's own lock fails a second apt-get instead of waiting).
set -euo pipefail
dest=${CORPUS_DIR:-.cache/corpus}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
exec 9>"$dest/.fetch.lock"
flock 9

ensure_source_indexes() {
  local list=/etc/apt/sources.list.d/ringlint-corpus-src.sources
  grep -rqsE '^(Types: deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/ && return 0
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$list"
  else
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > "${list%.sources}.list"
    list=${list%.sources}.list
  fi
  apt-get update -qq >/dev/null
}

# Moves the one folder unpacked in $1 to $dest.
publish() {
  local unpacked
  unpacked=$(find "$1" -mindepth 1 -maxdepth 1 -type d | head -n1)
  mv -T "$unpacked" "$dest/$(basename "$unpacked")"
}

for name in "$@"; do
  if [ "$name" = linux ]; then
    if [ ! -d "$dest/linux" ]; then
      command -v xz >/dev/null || apt-get install -y -qq xz-utils >/dev/null
      [ -n "$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null)" ] || { apt-get update -qq >/dev/null; apt-get install -y -qq linux-source >/dev/null; }
      work=$(mktemp -d "$dest/.fetch-linux-XXXXXX")
      mkdir "$work/linux" && tar -xJf "$(ls /usr/src/linux-source-*.tar.xz | head -n1)" -C "$work/linux" --strip-components=1
      publish "$work"; rm -rf "$work"
    fi
    echo "$dest/linux"
    continue
  fi
  if ! ls -d "$dest/$name"-*/ >/dev/null 2>&1; then
    ensure_source_indexes
    work=$(mktemp -d "$dest/.fetch-$name-XXXXXX")
    if ! (cd "$work" && apt-get source -qq "$name" >/dev/null 2>&1); then
      # An archive file can be missing from the mirror: the upstream tarball alone then.
      orig=$(ls "$work/${name}"_*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n1) || true
      [ -n "$orig" ] || { rm -rf "$work"; echo "fetch-debian-source: no source for $name" >&2; exit 1; }
      version=$(basename "$orig" | sed -E "s/^${name}_(.*)\.orig\.tar\..*/\1/")
      find "$work" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
      mkdir "$work/$name-$version" && tar -xf "$orig" -C "$work/$name-$version" --strip-components=1
    fi
    publish "$work"; rm -rf "$work"
  fi
  ls -d "$dest/$name"-*/ | head -n1
done
