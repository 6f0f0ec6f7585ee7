// One build for every room (DESIGN.md): the extension host and worker and CLI run in Node
// (cjs, vscode external); the webview runs in the browser (iife + css).
import * as esbuild from 'esbuild';
import { buildWasm } from './scripts/build-wasm.mjs';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'linked',
};

const nodeTargets = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // web-tree-sitter's ESM build asks import.meta.url where it lives; in a cjs bundle that is __filename.
  define: { 'import.meta.url': '__ktlImportMetaUrl' },
  banner: { js: "const __ktlImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
  entryPoints: {
    extension: 'src/extension/main.ts',
    worker: 'src/worker/main.ts',
    cli: 'src/cli/main.ts',
    // Reads one byte range of a text trace for core/io/parallel-load.ts, beside the bundle that starts it.
    'parallel-worker': 'src/core/io/parallel-worker.ts',
  },
  outdir: 'dist',
};

const webviewTarget = {
  ...common,
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  entryPoints: { webview: 'webview/main.ts', compare: 'webview/compare/main.ts' },
  outdir: 'dist',
  loader: { '.ttf': 'file' },
};

/** The C grammar and tree-sitter runtime are WebAssembly files loaded at run time from dist/. */
function copyWasm() {
  mkdirSync('dist', { recursive: true });
  copyFileSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm');
  copyFileSync('node_modules/tree-sitter-c/tree-sitter-c.wasm', 'dist/tree-sitter-c.wasm');
}

/** The CLI is run directly as `ktl` (package.json bin): give it a shebang and the x bit. */
function markCliExecutable() {
  const cli = 'dist/cli.js';
  if (!existsSync(cli)) return;
  const text = readFileSync(cli, 'utf8');
  if (!text.startsWith('#!')) writeFileSync(cli, `#!/usr/bin/env node\n${text}`);
  chmodSync(cli, 0o755);
}

copyWasm();
// core's AssemblyScript modules, base64 in generated TypeScript the bundles import.
await buildWasm();
if (watch) {
  const contexts = await Promise.all([esbuild.context(nodeTargets), esbuild.context(webviewTarget)]);
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all([esbuild.build(nodeTargets), esbuild.build(webviewTarget)]);
  markCliExecutable();
}
