#!/bin/bash
# Installs code-server (a real VS Code: server + web workbench + Node extension host) into DIR, for the
# end-to-end tests. Works with only the npm registry and Debian apt reachable: code-server's own
# postinstall downloads from GitHub and breaks under `npm -g`, so its steps are replayed here by hand.
#
#   bash scripts/install-code-server.sh [DIR]     (default .vscode-test/code-server-$CS_VERSION)
#
# code-server is deliberately NOT a dependency in package.json: its postinstall would run in `npm ci`
# and fail offline. DIR lives under the git-ignored .vscode-test/. A `.ok` marker makes re-runs free;
# delete DIR to reinstall.
set -euo pipefail

CS_VERSION=${CS_VERSION:-4.100.3}   # = VS Code 1.100.3; the last code-server line whose engines.node is 20
RG_PKG_VERSION=${RG_PKG_VERSION:-1.18.0}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D=$(realpath -m "${1:-$ROOT/.vscode-test/code-server-$CS_VERSION}")
BIN="$D/node_modules/.bin/code-server"

if [ -f "$D/.ok" ] && [ -x "$BIN" ]; then
  echo "code-server $CS_VERSION already installed in $D"
  exit 0
fi

log() { printf '[install-code-server %3ss] %s\n' "$SECONDS" "$*"; }

# kerberos (a dependency of VS Code's server) compiles against gssapi headers.
if ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing libkrb5-dev with apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q libkrb5-dev >/dev/null
  else
    echo "libkrb5-dev is missing and cannot be installed here (need root + apt-get): install it, then re-run" >&2
    exit 1
  fi
fi
for tool in npm node g++ make python3; do
  command -v "$tool" >/dev/null || { echo "$tool is required to build code-server's native modules" >&2; exit 1; }
done

rm -rf "$D"
mkdir -p "$D"
cd "$D"
# A private package.json keeps the install local (never `-g`: global-mode config leaks into the
# nested npm install of lib/vscode and makes it ignore the bundled shrinkwrap).
printf '{ "name": "code-server-e2e-host", "private": true }\n' > package.json
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

log "npm install code-server@$CS_VERSION (scripts off)"
npm install "code-server@$CS_VERSION" --ignore-scripts --no-save >/dev/null
# argon2 fetches a GitHub prebuilt first and falls back to a source build; code-server only needs it
# for password auth, which the tests never use (--auth none), so a failure is not fatal.
npm rebuild argon2 --foreground-scripts > "$D/argon2.log" 2>&1 || log "argon2 build failed (unused with --auth none)"

cd node_modules/code-server/lib/vscode
log "installing VS Code server dependencies from the bundled shrinkwrap"
npm install --omit=dev --ignore-scripts >/dev/null

# @vscode/ripgrep's postinstall downloads rg from GitHub; it skips the download when bin/ exists, so
# place the binary from the npm-hosted platform package first.
log "ripgrep from @vscode/ripgrep-linux-x64@$RG_PKG_VERSION"
RGTMP=$(mktemp -d)
trap 'rm -rf "$RGTMP"' EXIT
(cd "$RGTMP" && npm pack "@vscode/ripgrep-linux-x64@$RG_PKG_VERSION" >/dev/null 2>&1 && tar xzf ./*.tgz)
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$RGTMP/package/bin/rg" node_modules/@vscode/ripgrep/bin/rg
chmod +x node_modules/@vscode/ripgrep/bin/rg

# node-pty's install script calls `npx node-gyp`; machines with `yes=false` in npmrc cancel that.
log "rebuilding native modules (node-pty, spdlog, watcher, kerberos, ...)"
if ! npm_config_yes=true npm rebuild --foreground-scripts > "$D/rebuild.log" 2>&1; then
  tail -40 "$D/rebuild.log" >&2
  echo "native rebuild failed; full log in $D/rebuild.log" >&2
  exit 1
fi

# The remaining steps of code-server's postinstall.sh.
rm -rf node_modules.asar && ln -s node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
log "built-in extensions' dependencies"
(cd extensions && npm install --omit=dev --foreground-scripts >/dev/null)

# Scratch config/XDG dirs keep even `--version` from writing under ~/.config and ~/.local/share.
XDG_DATA_HOME="$D/.xdg" XDG_CONFIG_HOME="$D/.xdg" XDG_CACHE_HOME="$D/.xdg" \
  "$BIN" --config "$D/.xdg/config.yaml" --version
rm -rf "$D/.xdg"
touch "$D/.ok"
log "done: $BIN"
