#!/usr/bin/env bash
# Installs the Debian packages the test suites use (.ci/apt-packages.txt) that are not installed
# yet. Quiet and instant when everything is there; needs root (apt-get) otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
while read -r pkg; do
  [ -z "$pkg" ] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done < <(grep -v '^\s*#' .ci/apt-packages.txt)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
