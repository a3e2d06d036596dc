#!/usr/bin/env bash
# Runs a command (default: npm test) as it would run on a fresh machine without bubblewrap and
# strace: in a mount namespace of its own where /usr/bin (and /bin, its link) is a copy without
# them, so neither faithh nor the tests can find them, by PATH or by their usual path.
#
#   sudo scripts/without-sandbox-tools.sh                      # the whole suite
#   sudo scripts/without-sandbox-tools.sh npx vitest run test/e2e/plan.test.ts
#
# Needs root (unshare -m and mount) and /usr/bin on the same file system as the temp folder (the
# copy is made of hard links, so it costs no space). Nothing outside the namespace changes.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "run it as root: it hides programs with a mount namespace" >&2; exit 2; }
[ $# -gt 0 ] || set -- npm test

copy=$(mktemp -d "${TMPDIR:-/tmp}/faithh-usr-bin-XXXXXX")
trap 'rm -rf "$copy"' EXIT
cp -al /usr/bin/. "$copy/"
for tool in bwrap strace; do
  found=$(command -v "$tool" || true)
  case "$found" in
    /usr/bin/*|/bin/*) rm -f "$copy/$tool" ;;
    '') ;;
    *) echo "$tool is at $found, outside /usr/bin: this script cannot hide it" >&2; exit 2 ;;
  esac
done

unshare --mount --propagation private -- sh -c 'mount --bind "$0" /usr/bin && exec "$@"' "$copy" "$@"
