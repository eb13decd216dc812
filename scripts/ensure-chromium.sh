#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (no browser download: Playwright's own cannot be fetched here).
# `npm install` (postinstall) and .ci/run call this, so a fresh Debian machine needs nothing else.
set -euo pipefail
if [ -x /usr/lib/chromium/chromium ] || command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "gochat: installing Chromium for the browser tests (apt-get install chromium)"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
else
  echo "gochat: the browser tests need Chromium; install it (e.g. apt-get install chromium)" >&2
fi
