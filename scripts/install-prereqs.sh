#!/usr/bin/env bash
# Installs the system packages Delphix Plugin Studio's commands and tests use, on Debian/Ubuntu.
# Idempotent: only missing packages are installed. Run it as you are: it uses sudo only when something
# must be installed and you are not root (a root shell or a container without sudo needs none).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if ! command -v node >/dev/null 2>&1; then
  echo "Node.js is not installed: Delphix Plugin Studio needs Node.js 20 or later with npm (Debian 12's nodejs is 18:" >&2
  echo "use the packages from nodejs.org or NodeSource), then run this again." >&2
  exit 1
fi
node -e 'const [maj] = process.versions.node.split(".").map(Number); if (maj < 20) { console.error(`Node.js ${process.versions.node} is too old: Delphix Plugin Studio needs Node.js 20 or later.`); process.exit(1); }'

# The python3 the tools run (first on PATH); Debian's packages serve /usr/bin/python3 only.
py=$(command -v python3 || true)
system_py=0
if [ -z "$py" ] || [ "$(readlink -f "$py")" = "$(readlink -f /usr/bin/python3 2>/dev/null)" ]; then system_py=1; fi

need=()
[ -x /usr/bin/python3 ] || need+=(python3)
# pip installs the SDK runtime into artifacts; apt can provide it for the system interpreter only.
if [ "$system_py" = 1 ] && ! /usr/bin/python3 -m pip --version >/dev/null 2>&1; then need+=(python3-pip); fi
command -v rsync >/dev/null 2>&1 || need+=(rsync)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
# sshd is only needed by the tests (a throwaway sshd on 127.0.0.1 for the remote-copy path).
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# debugpy for "Delphix: Debug Sync" and its test (Debian ships it for /usr/bin/python3).
/usr/bin/python3 -c 'import debugpy' >/dev/null 2>&1 || need+=(python3-debugpy)
if [ "${WITH_E2E:-1}" = "1" ]; then
  # The end-to-end suite drives a real VS Code (code-server) with Debian's Chromium; code-server's
  # native modules compile against the kerberos headers with g++ and make.
  [ -x /usr/bin/chromium ] || need+=(chromium)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
  { command -v g++ && command -v make; } >/dev/null 2>&1 || need+=(build-essential)
fi

if [ ${#need[@]} -gt 0 ]; then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "Missing: ${need[*]}. Installing them needs root, and sudo is not installed:" >&2
      echo "run this script as root, or install them with: apt-get install ${need[*]}" >&2
      exit 1
    fi
    as_root=(sudo)
    echo "Installing with sudo: ${need[*]}"
  else
    echo "Installing: ${need[*]}"
  fi
  "${as_root[@]}" apt-get update -q >/dev/null
  "${as_root[@]}" apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

# debugpy for the python3 on PATH when that is not Debian's (pyenv, a virtualenv): Debug Sync runs the
# plugin with that interpreter, so it must be able to start debugpy itself.
if [ "$system_py" = 0 ] && ! python3 -m debugpy --version >/dev/null 2>&1; then
  echo "$py cannot start debugpy; trying pip install debugpy ..."
  if python3 -m pip install --disable-pip-version-check --no-input --retries 0 --timeout 10 -q debugpy >/dev/null 2>&1; then
    echo "Installed debugpy for $py with pip."
  else
    # Offline: Debian's debugpy (with the pydevd and bytecode it needs) is pure Python plus modules
    # built for CPython 3.x, so the same 3.x can use it. A .pth file appends a folder of links to just
    # those packages to the end of sys.path: the interpreter's own packages still come first.
    same_minor=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)
    system_minor=$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)
    if [ -n "$same_minor" ] && [ "$same_minor" = "$system_minor" ] && /usr/bin/python3 -m debugpy --version >/dev/null 2>&1; then
      site=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
      links="$site/delphix-studio-debian-debugpy"
      rm -rf "$links" && mkdir -p "$links"
      for pkg in python3-debugpy python3-pydevd python3-bytecode python3-coverage; do
        dpkg -s "$pkg" >/dev/null 2>&1 || continue
        dpkg -L "$pkg" | grep -E '^/usr/lib/python3/dist-packages/[^/]+$' | grep -vE '\.(egg|dist)-info$' | while read -r entry; do
          ln -sfn "$entry" "$links/$(basename "$entry")"
        done
      done
      echo "$links" > "$site/delphix-studio-debian-debugpy.pth"
      if python3 -m debugpy --version >/dev/null 2>&1; then
        echo "pip could not install it (no package index reachable): made Debian's debugpy (python3-debugpy, for Python $system_minor) importable by $py (Python $same_minor)"
        echo "  through $site/delphix-studio-debian-debugpy.pth; delete that file and $links to undo."
      else
        rm -rf "$links" "$site/delphix-studio-debian-debugpy.pth"
      fi
    fi
    if ! python3 -m debugpy --version >/dev/null 2>&1; then
      echo "warning: $py cannot start debugpy, pip could not install it (no package index reachable?), and Debian's debugpy is for Python ${system_minor:-?}," >&2
      echo "  not ${same_minor:-this version}. Only Debug Sync needs it: run '$py -m pip install debugpy' where PyPI is reachable," >&2
      echo "  or debug with /usr/bin/python3 (the sync profile's \"python\", or the setting delphix.python)." >&2
    fi
  fi
fi

debugpy=$(python3 -m debugpy --version 2>/dev/null | tail -1 || true)
if [ -n "$debugpy" ]; then debugpy="debugpy $debugpy"; else debugpy="no debugpy for python3 (only Debug Sync needs it)"; fi
echo "Prerequisites present: node $(node --version), $(python3 --version), $(rsync --version | head -1 | awk "{print \$1, \$3}"), $(ssh -V 2>&1 | cut -d, -f1), $debugpy"
