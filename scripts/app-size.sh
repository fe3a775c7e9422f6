#!/usr/bin/env bash
# The web app's size as the server sends it: starts the built `tierdash` on a free port over the
# built app, asks for the page and every asset it loads with `Accept-Encoding: br` and then with
# `gzip`, and adds up the bytes on the wire, per file. Fails when the first load (what a browser
# fetches to show the login page, the shell and Home) exceeds its budget.
#   scripts/app-size.sh [dist-dir]
#   BIN=…            the server binary (default target/release/tierdash)
#   BR_BUDGET=…      first load with brotli, bytes (default 358400 = 350 KiB)
#   GZIP_BUDGET=…    first load with gzip, bytes (default 409600 = 400 KiB: clients without brotli)
set -euo pipefail
dist="${1:-frontend/dist}"
bin="${BIN:-target/release/tierdash}"
br_budget="${BR_BUDGET:-358400}"
gzip_budget="${GZIP_BUDGET:-409600}"
[ -f "$dist/index.html" ] || { echo "no built app in $dist (run make frontend)" >&2; exit 1; }
[ -x "$bin" ] || { echo "no server binary at $bin (run make server)" >&2; exit 1; }

data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
TIERDASH_DATA_DIR="$data" TIERDASH_BIND="127.0.0.1:$port" TIERDASH_STATIC_DIR="$dist" RUST_LOG=warn \
  TIERDASH_DATABASE_URL="sqlite://$data/size.db?mode=rwc" "$bin" serve >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "$base/readyz" >/dev/null || { echo "the server did not start:" >&2; cat "$data/server.log" >&2; exit 1; }

# What the first load fetches: the document, every script, stylesheet and wasm it names, and the
# chunk loader the main module imports. Page chunks (split_*.wasm, and the chunk_*.wasm they
# share) come later, when a page is first opened, and are listed after.
assets=$(grep -oE '/[A-Za-z0-9_.-]+\.(js|wasm|css)' "$dist/index.html" | sort -u)
[ -f "$dist/__wasm_split.js" ] && assets="$assets /__wasm_split.js"

status=0
for encoding in br gzip; do
  budget=$([ "$encoding" = br ] && echo "$br_budget" || echo "$gzip_budget")
  total=0
  printf '\nAccept-Encoding: %s\n%-56s %12s %10s\n' "$encoding" "first load: file" "sent bytes" "encoding"
  for path in / $assets; do
    read -r bytes sent_encoding < <(curl -s -o /dev/null -H "Accept-Encoding: $encoding" \
      -w '%{size_download} %header{content-encoding}\n' "$base$path")
    total=$((total + bytes))
    printf '%-56s %12d %10s\n' "$path" "$bytes" "${sent_encoding:-none}"
  done
  printf '%-56s %12d  (budget %d)\n' "first load, $encoding" "$total" "$budget"
  if [ "$total" -gt "$budget" ]; then
    echo "the app's first load with $encoding is over its budget" >&2
    status=1
  fi
done
sent() { curl -s -o /dev/null -H "Accept-Encoding: br" -w '%{size_download}' "$base/$1"; }
if compgen -G "$dist/split_*.wasm" >/dev/null; then
  printf '\nLoaded when a page is first opened (Accept-Encoding: br)\n%-56s %12s\n' "page chunk" "sent bytes"
  for chunk in "$dist"/split_*.wasm; do
    name=$(basename "$chunk")
    printf '%-56s %12d\n' "$(echo "$name" | sed -E 's/^split___(.*)_route_view_[0-9]+\.wasm$/\1/')" "$(sent "$name")"
  done
  shared=0 count=0
  for chunk in "$dist"/chunk_*.wasm; do
    [ -f "$chunk" ] || continue
    shared=$((shared + $(sent "$(basename "$chunk")"))) count=$((count + 1))
  done
  printf '%-56s %12d\n' "$count chunks shared by pages, in all" "$shared"
fi
exit $status
