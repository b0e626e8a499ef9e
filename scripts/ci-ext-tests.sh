#!/bin/bash
# End-to-end tests in a real VS Code for CI: the mocha suites of test/e2e/ run inside code-server's
# Node extension host, driven by headless Chromium (see scripts/run-ext-tests.js).
#
#   bash scripts/ci-ext-tests.sh [run-ext-tests options] [WORKSPACE...]
#
# Works on a fresh Debian 12 machine as root (CI=true): installs what is missing with apt (Chromium,
# the kerberos headers and compilers code-server's native modules need), installs code-server into
# the git-ignored .vscode-test/ once (~1 min; reused afterwards), builds the extension and runs the
# suites (~8 s per workspace). The last line of output is `N passed, N failed`; the exit code is 0
# only when every test passed.
set -euo pipefail
cd "$(dirname "$0")/.."

CS_VERSION=${CS_VERSION:-4.100.3}   # = VS Code 1.100.3, the last code-server line that runs on Node 20
CS_DIR=.vscode-test/code-server-$CS_VERSION
phase() { printf '[ci-ext-tests %4ss] %s\n' "$SECONDS" "$*"; }

need=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need+=(chromium)
if [ ! -f "$CS_DIR/.ok" ]; then
  dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
  command -v g++ >/dev/null && command -v make >/dev/null || need+=(build-essential)
  command -v python3 >/dev/null || need+=(python3)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing system packages: ${need[*]} (run as root, or install them with apt-get first)" >&2
    exit 1
  fi
  phase "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q "${need[@]}" >/dev/null
fi

if [ ! -f "$CS_DIR/.ok" ]; then
  phase "installing code-server $CS_VERSION into $CS_DIR (log: .vscode-test/install.log)"
  mkdir -p .vscode-test
  CS_VERSION=$CS_VERSION bash scripts/install-code-server.sh "$CS_DIR" > .vscode-test/install.log 2>&1 \
    || { tail -50 .vscode-test/install.log; echo "code-server install failed" >&2; exit 1; }
else
  phase "code-server $CS_VERSION cached in $CS_DIR"
fi

if [ ! -d node_modules ]; then
  phase "npm ci"
  npm ci --no-audit --no-fund
fi
phase "building: npm run compile && npm run build"
npm run --silent compile
npm run --silent build

phase "running the e2e suites"
status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
node scripts/run-ext-tests.js --code-server "$CS_DIR/node_modules/.bin/code-server" "$@" 2>&1 | tee "$log" || status=1
if [ $# -eq 0 ]; then
  # The forms preview is driven through the workbench UI (its webview), screenshots in test-results/forms-preview/.
  phase "forms preview in the workbench"
  node scripts/forms-preview-e2e.js --code-server "$CS_DIR/node_modules/.bin/code-server" 2>&1 | tee -a "$log" || status=1
  # Debug Sync with no Python extension: gutter breakpoint, Run view, Variables, screenshots in test-results/debug-sync/.
  phase "debug sync in the workbench"
  node scripts/debug-sync-e2e.js --code-server "$CS_DIR/node_modules/.bin/code-server" 2>&1 | tee -a "$log" || status=1
fi
# One closing line for every part above: each part prints its own `N passed, N failed` last.
passed=0; failed=0
while read -r p _ f _; do passed=$((passed + p)); failed=$((failed + f)); done < <(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "e2e total: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
exit $status
