#!/usr/bin/env bash
# `make fuzz-api`: schemathesis (PyPI, in .venv) runs every operation of openapi/openapi.json
# against the real binary, over real HTTP, on a fresh database loaded with the demo data.
#
# Three runs, one after the other, each with all checks (stateful links included):
#   1. the distributor's admin, every operation but the two that could lock the fuzzer out
#      (PATCH /users/{id} may disable or demote the caller, DELETE /api-keys/{id} revoke its key);
#   2. a reseller's admin, the same operations;
#   3. a user of its own (made here, distributor admin), those two operations alone, last.
# Bounded: a fixed seed, FUZZ_EXAMPLES cases per operation and phase, and each run in a timeout.
# Fails on any 5xx, schema, status-code or content-type violation, and on accepting what the
# schema forbids (where the server refuses what no schema can say, scripts/schemathesis.toml
# names the operation and why). Reports (JUnit) go to target/fuzz-api/.
set -euo pipefail
cd "$(dirname "$0")/.."

EXAMPLES=${FUZZ_EXAMPLES:-12}
SEED=${FUZZ_SEED:-20261204}
RUN_TIMEOUT=${FUZZ_RUN_TIMEOUT:-360}
SCHEMATHESIS=.venv/bin/schemathesis
OUT=target/fuzz-api
PASSWORD=tierdash-demo

mkdir -p "$OUT"
SERVER_LOG=$OUT/server.log
# /metrics asks for its token (else loopback callers, as the fuzzer is, would not be asked).
export TIERDASH_METRICS_TOKEN=fuzz-api-metrics-token-0123456789abcdef
. scripts/serve-fresh.sh

# The operations that act on the caller's own access, fuzzed last with a user of their own.
own_access=(--include-operation-id update_user --include-operation-id revoke_api_key)
not_own_access=(--exclude-operation-id update_user --exclude-operation-id revoke_api_key)

fuzz() {
  local name=$1 bearer=$2
  shift 2
  echo "fuzz-api: $name"
  timeout "$RUN_TIMEOUT" "$SCHEMATHESIS" --config-file scripts/schemathesis.toml run openapi/openapi.json \
    --url "$base" \
    --header "Authorization: Bearer $bearer" \
    --seed "$SEED" \
    --max-examples "$EXAMPLES" \
    --workers 2 \
    --no-color \
    --report junit --report-junit-path "$OUT/$name.xml" \
    "$@"
}

fuzz distributor "$(token admin@northwind.example "$PASSWORD")" "${not_own_access[@]}"
fuzz reseller "$(token admin@alpine-cloud.example "$PASSWORD")" "${not_own_access[@]}"

admin=$(token admin@northwind.example "$PASSWORD")
fuzzer_password=fuzzer-password-$RANDOM$RANDOM
curl -fsS "$base/api/v1/users" -H "Authorization: Bearer $admin" -H 'content-type: application/json' \
  -d "{\"email\":\"fuzzer@northwind.example\",\"name\":\"Fuzzer\",\"role\":\"admin\",\"password\":\"$fuzzer_password\"}" >/dev/null
fuzz own-access "$(token fuzzer@northwind.example "$fuzzer_password")" "${own_access[@]}"

echo "fuzz-api: no failures"
