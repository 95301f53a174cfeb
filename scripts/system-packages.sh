#!/usr/bin/env bash
# Installs the Debian packages Fawang needs beside Python, when they are missing.
#   scripts/system-packages.sh run    -> fonts-noto-cjk (Chinese text in generated PDFs)
#   scripts/system-packages.sh test   -> the above + chromium (browser tests) + gettext
# PostgreSQL 15 is installed on demand by scripts/pg-test-cluster.sh.
# Without root it only prints what is missing: a deployment installs them with its own tooling.
set -euo pipefail
purpose=${1:-run}
missing=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
want=(fonts-noto-cjk)
[ "$purpose" = "test" ] && want+=(chromium gettext)
for pkg in "${want[@]}"; do have_pkg "$pkg" || missing+=("$pkg"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "==> installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "注意：缺少系统软件包 (missing Debian packages): ${missing[*]}" >&2
  echo "      sudo apt-get install ${missing[*]}" >&2
fi
