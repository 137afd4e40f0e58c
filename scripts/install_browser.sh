#!/usr/bin/env bash
# Debian's Chromium for the end-to-end tests (Playwright drives it; no browser download), and
# poppler-utils, with which the board pack test reads the PDF's text and draws its pages.
set -euo pipefail
if [ "$(id -u)" = 0 ]; then sudo_cmd=(); else sudo_cmd=(sudo); fi
if ! command -v pdftoppm >/dev/null 2>&1; then
  echo "Installing poppler-utils (Debian package) for the board pack PDF test"
  { "${sudo_cmd[@]}" apt-get update -qq &&
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; } ||
    echo "poppler-utils could not be installed: the PDF text and image checks will be skipped"
fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "Installing Chromium (Debian package) for the browser tests"
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
