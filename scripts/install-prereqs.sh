#!/usr/bin/env bash
# Installs the system packages Delphix Plugin Studio's commands and tests use, on Debian/Ubuntu.
# Idempotent: only missing packages are installed. Needs root (or sudo).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v rsync >/dev/null 2>&1 || need+=(rsync)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
# sshd is only needed by the tests (a throwaway sshd on 127.0.0.1 for the remote-copy path).
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# debugpy for "Delphix: Debug Sync" and its test (Debian ships it for /usr/bin/python3).
/usr/bin/python3 -c 'import debugpy' >/dev/null 2>&1 || need+=(python3-debugpy)
if [ "${WITH_E2E:-1}" = "1" ]; then
  # The end-to-end suite drives a real VS Code (code-server) with Debian's Chromium.
  [ -x /usr/bin/chromium ] || need+=(chromium)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
fi

if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
node -e 'const [maj] = process.versions.node.split(".").map(Number); if (maj < 20) { console.error(`Node.js ${process.versions.node} is too old: Delphix Plugin Studio needs Node.js 20 or later.`); process.exit(1); }'
echo "Prerequisites present: node $(node --version), $(python3 --version), $(rsync --version | head -1 | awk "{print \$1, \$3}"), $(ssh -V 2>&1 | cut -d, -f1)"
