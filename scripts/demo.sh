#!/usr/bin/env bash
# The main job on the bundled example plugin (the SDK tutorial's STAGED rsync plugin): check it as
# `dvp build` would (and more), build its artifact, then run a simulated sync and a resync with rsync.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
CLI="node dist/cli.js"
EXAMPLE=examples/first-plugin
# Work on a copy so the demo leaves the repository as it was (artifact, sandbox, generated/).
WORK=$(mktemp -d "${TMPDIR:-/tmp}/delphix-demo-XXXXXX")
cp -r "$EXAMPLE/." "$WORK/"
trap 'echo; echo "The demo plugin, its artifact and its sandbox are in $WORK"' EXIT

echo "== 1. check"
$CLI check "$WORK"

echo
echo "== 2. build"
# The SDK runtime comes from PyPI (dvp-common, dvp-libs, dvp-platform). Without access to an index,
# point --find-links at a wheelhouse, or build without it (a local build, not uploadable):
if [ -n "${DELPHIX_FIND_LINKS:-}" ]; then
  $CLI build "$WORK" --find-links "$DELPHIX_FIND_LINKS"
elif python3 -m pip download --no-deps --dest "$WORK/.pip-probe" dvp-common==5.0.1 >/dev/null 2>&1; then
  rm -rf "$WORK/.pip-probe"
  $CLI build "$WORK"
else
  echo "(no Python package index reachable: building without the SDK runtime)"
  $CLI build "$WORK" --no-sdk-runtime
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
