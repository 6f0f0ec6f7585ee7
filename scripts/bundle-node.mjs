// One Node entry bundled the way esbuild.mjs bundles dist/worker.js and dist/cli.js (cjs, the
// import.meta.url shim web-tree-sitter needs), with the two tree-sitter wasm files copied beside
// it as in dist/: for benchmarks and tests that run the code as it ships, outside dist/.
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/** Bundles `entry` to `outfile` and puts the wasm files in its folder; resolves to `outfile`. */
export async function bundleNode(entry, outfile) {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'error',
    define: { 'import.meta.url': '__ktlImportMetaUrl' },
    banner: { js: "const __ktlImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
  });
  copyFileSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', join(dirname(outfile), 'web-tree-sitter.wasm'));
  copyFileSync('node_modules/tree-sitter-c/tree-sitter-c.wasm', join(dirname(outfile), 'tree-sitter-c.wasm'));
  return outfile;
}
