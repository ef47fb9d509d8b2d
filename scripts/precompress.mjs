#!/usr/bin/env node
// Writes FILE.br (brotli, quality 11) and FILE.gz (gzip -9) beside every .wasm/.js/.css/.html file
// of a build folder, so the server sends them precompressed (tower-http ServeDir).
//   node scripts/precompress.mjs target/csr
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/precompress.mjs DIR");
  process.exit(2);
}
let raw = 0;
let br = 0;
for (const name of readdirSync(dir)) {
  const path = join(dir, name);
  if (!/\.(wasm|js|css|html)$/.test(name) || !statSync(path).isFile()) continue;
  const bytes = readFileSync(path);
  const brotli = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
  raw += bytes.length;
  br += brotli.length;
}
console.log(`[precompress] ${dir}: ${raw} bytes -> ${br} bytes brotli`);
