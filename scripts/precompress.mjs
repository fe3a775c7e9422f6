// Writes a brotli (`.br`, quality 11) and a gzip (`.gz`, level 9) copy beside each text and
// wasm asset of the built app, once at build time, so the server sends the smallest bytes
// without compressing on every request (actix's on-the-fly gzip runs at a low level).
//
//   node scripts/precompress.mjs frontend/dist
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const dir = process.argv[2] ?? "frontend/dist";
const compressible = /\.(wasm|js|css|html|svg|json|txt)$/;

for (const name of readdirSync(dir)) {
  const path = join(dir, name);
  if (!statSync(path).isFile() || !compressible.test(name)) continue;
  const raw = readFileSync(path);
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      [constants.BROTLI_PARAM_MODE]: name.endsWith(".wasm") ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });
  const gz = gzipSync(raw, { level: 9 });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gz);
  console.log(`${name.padEnd(52)} ${String(raw.length).padStart(9)} br ${String(br.length).padStart(8)} gz ${String(gz.length).padStart(8)}`);
}
