#!/usr/bin/env bash
# Builds the web app into frontend/dist with its pages split into lazily loaded wasm chunks:
#   1. cargo builds the app's wasm (a cdylib, relocations kept so it can be split);
#   2. wasm-split-cli cuts it at the lazy routes (frontend/src/routes.rs) into a main module, a
#      chunk per page and the loader that fetches a chunk when its page is first opened;
#   3. wasm-bindgen makes the main module's JS glue; wasm-opt shrinks every module;
#   4. the page, the stylesheets and the loader are copied beside them, and every file gets a
#      brotli and a gzip copy (scripts/precompress.mjs), which the server sends as they are.
# Trunk cannot split a wasm module (trunk issue #1022), hence this script. Names carry no hash:
# chunk names are tied to one build of the main module, so the server has browsers revalidate
# every file (ETag) rather than cache one for a year. Tools: the Makefile installs them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=frontend/dist
work=target/app-split
profile=wasm-release
wasm_opt="${WASM_OPT:-frontend/node_modules/.bin/wasm-opt}"

RUSTFLAGS="${RUSTFLAGS:-} -Clink-args=--emit-relocs" \
  cargo build --locked --lib -p tierdash-frontend --target wasm32-unknown-unknown --profile "$profile"

rm -rf "$work" "$out"
mkdir -p "$work" "$out"
wasm-split-cli "target/wasm32-unknown-unknown/$profile/tierdash_frontend.wasm" "$work" --target web --out-name tierdash
wasm-bindgen --target web --keep-lld-exports --no-demangle --no-typescript \
  --out-dir "$out" --out-name tierdash "$work/tierdash.wasm"
for chunk in "$work"/*; do
  [ "$(basename "$chunk")" = tierdash.wasm ] || cp -r "$chunk" "$out/"
done
for module in "$out"/*.wasm; do
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    --strip-debug --strip-producers "$module" -o "$module"
done
cp frontend/index.html frontend/style.css frontend/charts.css frontend/settings.css "$out/"
node scripts/precompress.mjs "$out"
