#!/usr/bin/env bash
# The main job on the bundled example plugin: check it as `dvp build` would (and more).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
EXAMPLE=examples/first-plugin
echo "== check $EXAMPLE"
node dist/cli.js check "$EXAMPLE"
