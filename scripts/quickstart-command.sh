#!/usr/bin/env bash
# Prints quick-start command N (1: the demo, 2: the test suite) exactly as the README's "Quick start"
# shows it: the first command line after the comment that begins with "# N.". `.ci/run` runs command 2
# through this, so CI runs what the README tells a new user to type, character for character.
set -euo pipefail
n=${1:?usage: quickstart-command.sh N}
readme="$(dirname "$0")/../README.md"
line=$(awk -v n="$n" '
  /^## Quick start/ { inside = 1; next }
  inside && /^## / { exit }
  inside && /^```/ { block = !block; next }
  inside && block && $0 ~ "^# " n "\\." { want = 1; next }
  inside && block && want && /^[^#[:space:]]/ { print; exit }
' "$readme")
if [ -z "$line" ]; then
  echo "quick-start command $n not found in the README's Quick start block" >&2
  exit 1
fi
printf '%s\n' "$line"
