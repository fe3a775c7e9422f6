#!/usr/bin/env bash
# Reports the gzipped size of the built web app (wasm, JS and CSS as a browser downloads them)
# and fails when it exceeds the budget. Usage: scripts/app-size.sh [dist-dir] [budget-bytes]
set -euo pipefail
dist="${1:-frontend/dist}"
budget="${2:-409600}"
[ -f "$dist/index.html" ] || { echo "no built app in $dist (run make frontend)" >&2; exit 1; }
total=0
printf '%-52s %10s %10s\n' file bytes gzipped
for f in "$dist"/*.wasm "$dist"/*.js "$dist"/*.css "$dist"/index.html; do
  [ -f "$f" ] || continue
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + gz))
  printf '%-52s %10d %10d\n' "$(basename "$f")" "$raw" "$gz"
done
printf '%-52s %10s %10d  (budget %d)\n' "whole app, gzipped" "" "$total" "$budget"
if [ "$total" -gt "$budget" ]; then
  echo "the app is over its size budget" >&2
  exit 1
fi
