#!/usr/bin/env bash
# What `make run` starts: `govshield up`, with CONFIG=FILE if given, else the embedded demo
# default (keys and audit store under ./govshield-data, listeners on 127.0.0.1). It prints its
# endpoints and example commands; Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/release/apps/govshield/govshield
if [ -n "${CONFIG:-}" ]; then
  exec "$BIN" up -c "$CONFIG"
fi
exec "$BIN" up
