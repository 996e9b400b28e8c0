#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (browsers are never downloaded by the test tools).
# Installs it when missing and we are allowed to; otherwise says exactly what to do.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then exit 0; fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "Chromium is missing: installing Debian's chromium package (apt-get)…"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
    exit 0
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "Chromium is missing: installing Debian's chromium package (sudo apt-get)…"
    sudo apt-get update -q >/dev/null
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
    exit 0
  fi
fi
echo "The browser tests need Chromium at /usr/bin/chromium (Debian: apt-get install chromium)," >&2
echo "or set CHROMIUM_PATH to a Chromium/Chrome executable." >&2
exit 1
