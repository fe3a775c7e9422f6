# Sourced by scripts that test the real binary over HTTP (fuzz-api.sh, client-test.sh): starts
# `tierdash serve` on a free loopback port over a fresh SQLite database with the demo data, waits
# until it is ready, and stops it and removes the data when the script exits. Sets `base`.
BIN=${TIERDASH_BIN:-target/release/tierdash}
DEMO_PASSWORD=tierdash-demo
fresh_data=$(mktemp -d)
fresh_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$fresh_port"
fresh_server=""
stop_fresh() {
  [ -n "$fresh_server" ] && kill "$fresh_server" 2>/dev/null && wait "$fresh_server" 2>/dev/null
  rm -rf "$fresh_data"
}
trap stop_fresh EXIT

export TIERDASH_DATA_DIR=$fresh_data TIERDASH_BIND=127.0.0.1:$fresh_port RUST_LOG=${RUST_LOG:-warn}
unset TIERDASH_DATABASE_URL TIERDASH_JWT_SECRET
"$BIN" migrate >/dev/null
"$BIN" demo-data --if-empty >/dev/null
"$BIN" serve >"${SERVER_LOG:-/dev/null}" 2>&1 &
fresh_server=$!
for _ in $(seq 1 150); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$base/readyz" >/dev/null || { echo "the server did not become ready" >&2; exit 1; }

# A bearer token of EMAIL with PASSWORD.
token() {
  curl -fsS "$base/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
