#!/usr/bin/env bash
# `make soak`: scripts/soak.py's mixed load against the release binary over loopback, on a fresh
# demo database, for SOAK_SECONDS (default 600). Fails on any failed request or on memory that
# does not stay flat.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/soak
SERVER_LOG=target/soak/server.log
. scripts/serve-fresh.sh
python3 scripts/soak.py "$base" "$fresh_server" "$DEMO_PASSWORD"
