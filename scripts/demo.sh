#!/usr/bin/env bash
# The main job on the bundled example plugin (the SDK tutorial's STAGED rsync plugin): check it as
# `dvp build` would (and more), build its artifact, then run a simulated sync and a resync with rsync.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
CLI="node dist/cli.js"
EXAMPLE=examples/first-plugin
# Work on a copy so the demo leaves the repository as it was (artifact, sandbox, generated/).
WORK=$(mktemp -d "${TMPDIR:-/tmp}/delphix-demo-XXXXXX")
cp -r "$EXAMPLE/." "$WORK/"
trap 'echo; echo "The demo plugin, its artifact and its sandbox are in $WORK"' EXIT
trap 'echo "The demo stopped: \"$BASH_COMMAND\" failed (exit $?)." >&2' ERR

echo "== 1. check"
$CLI check "$WORK"

echo
echo "== 2. build"
# The build checks the plugin again; its findings are the ones printed by step 1, so they are not
# repeated here (errors would have stopped step 1 already).
build() {
  $CLI build "$@" 2>&1 | awk '
    /^[^ ]+:[0-9]+:[0-9]+ (warning|info) / { n++; next }
    { print; fflush() }
    END { if (n) printf "(%d finding%s of step 1 apply to this build too; not repeated)\n", n, n == 1 ? "" : "s" }'
}
# The SDK runtime comes from a Python package index (dvp-common, dvp-libs, dvp-platform). Without one,
# point --find-links at a wheelhouse, or build without it (a local build, not uploadable). Whether pip
# reaches an index is remembered for a day, so only the first demo of the day waits for the answer.
probe_cache="${XDG_CACHE_HOME:-$HOME/.cache}/delphix-plugin-studio/demo-index-probe"
probe_key=$( { command -v python3 || true; python3 -m pip config list 2>/dev/null || true; env | grep -E '^PIP_' | sort || true; } | cksum | cut -d' ' -f1)
index_reachable() {
  local now when answer key
  now=$(date +%s)
  if [ -f "$probe_cache" ] && read -r when answer key < "$probe_cache" && [ "$key" = "$probe_key" ] && [ $((now - when)) -lt 86400 ]; then
    local age=$(( (now - when) / 60 ))
    if [ "$age" -ge 60 ]; then age="$((age / 60)) h ago"; elif [ "$age" -gt 0 ]; then age="$age min ago"; else age="just now"; fi
    echo "(pip's package index was $answer when checked $age; remembered for a day in $probe_cache: delete it to check again)"
    [ "$answer" = reachable ]
    return
  fi
  echo "(checking whether pip can reach a package index for the SDK runtime: a few seconds, up to about 10 s without a network)"
  if python3 -m pip download --disable-pip-version-check --no-input --retries 0 --timeout 5 --no-deps \
      --dest "$WORK/.pip-probe" dvp-common==5.0.1 >/dev/null 2>&1; then answer=reachable; else answer=unreachable; fi
  rm -rf "$WORK/.pip-probe"
  mkdir -p "$(dirname "$probe_cache")" && echo "$now $answer $probe_key" > "$probe_cache" || true
  [ "$answer" = reachable ]
}
if [ -n "${DELPHIX_FIND_LINKS:-}" ]; then
  build "$WORK" --find-links "$DELPHIX_FIND_LINKS"
elif index_reachable; then
  build "$WORK"
else
  echo "(no Python package index reachable: building without the SDK runtime; DELPHIX_FIND_LINKS=WHEELHOUSE builds the uploadable artifact offline)"
  build "$WORK" --no-sdk-runtime
fi

echo
echo "== 3. simulated sync (rsync from sample-source/ into the staging mount, then a snapshot)"
$CLI sync "$WORK"

echo
echo "== 4. a change at the source, and an incremental sync"
echo "added at $(date -u +%FT%TZ)" > "$WORK/sample-source/new-file.txt"
$CLI sync "$WORK"

echo
echo "== 5. simulated resync (resync: true reaches pre_snapshot and post_snapshot)"
$CLI resync "$WORK"

echo
echo "== 6. the VDB side: provision a VDB from the latest snapshot (a copy-on-write clone), list the objects, delete it"
$CLI provision "$WORK" --name demo
$CLI objects "$WORK"
$CLI vdb delete demo "$WORK"
