#!/usr/bin/env bash
# Set up everything the app needs on this machine: a virtual environment with the Python
# dependencies (plus extras named in $1, e.g. "test,dev") and the NHS.UK frontend assets.
# Safe to run again: it only does what is missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${1:-}"
python="${PYTHON:-python3}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

apt_install() {
  # Debian packages, installed only when missing.
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  apt_install python3-venv
fi
if ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
fi

if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv"
  "$python" -m venv .venv
fi

spec="."
[ -n "$extras" ] && spec=".[${extras}]"
stamp=".venv/.installed-$(echo "$spec" | tr -c 'a-z0-9' '_')"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installing Python dependencies ($spec)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e "$spec"
  touch "$stamp"
fi

if [ ! -f node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing the NHS.UK frontend assets (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
