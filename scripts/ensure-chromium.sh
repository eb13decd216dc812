#!/usr/bin/env bash
# The browser tests drive Debian's Chromium with playwright-core (`npx playwright install` cannot
# download browsers here). /usr/lib/chromium/chromium is the binary itself: it starts fastest.
set -euo pipefail
if [ -x /usr/lib/chromium/chromium ] || command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "gochat: installing Chromium for the browser tests (apt-get install chromium)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "gochat: the browser tests need Chromium; install it (e.g. apt-get install chromium)" >&2
fi
