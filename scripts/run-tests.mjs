// Runs the test suites with Node's own test runner (its TAP/spec summary is what CI reads).
// Usage: node scripts/run-tests.mjs [suite ...]   suites: unit golden fuzz kernel webview e2e (kernel: records on this machine's tracefs; skips without root) (default: all)
// TypeScript test files are loaded through tsx; the webview and e2e suites need `npm run build` first.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildWasm } from './build-wasm.mjs';

const ALL = ['unit', 'golden', 'fuzz', 'kernel', 'webview', 'e2e'];
/** A suite's time limit: each takes under 10 min on the CI machine (2 cores); CI stops at 90 min in all. */
const SUITE_TIMEOUT_MS = 30 * 60_000;
const suites = process.argv.slice(2).length ? process.argv.slice(2) : ALL;

function testFiles(dir) {
  let out = [];
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// core's WebAssembly (generated TypeScript, not committed) for the suites that import core from source.
await buildWasm();

let failed = false;
for (const suite of suites) {
  if (!ALL.includes(suite)) {
    console.error(`unknown suite ${suite}; expected one of ${ALL.join(', ')}`);
    process.exit(2);
  }
  const files = testFiles(join('test', suite));
  if (files.length === 0) {
    console.error(`suite ${suite}: no test files`);
    failed = true;
    continue;
  }
  console.log(`\n=== suite ${suite}: ${files.length} file(s)`);
  // Browser suites start Chromium / code-server: run their files one at a time.
  // kernel: one tracefs, one recording at a time.
  const concurrency = suite === 'webview' || suite === 'e2e' || suite === 'kernel' ? ['--test-concurrency=1'] : [];
  // No --test-force-exit: with it Node drops the tail of a file's already-run verdicts before the
  // parent reads them and still exits 0 (nodejs/node#64833; the golden suite reported 707-715 of
  // its 737 tests here, a different count each run). A test that leaves a handle open is caught by
  // the suite's time limit instead, loudly.
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...concurrency, ...files], {
    stdio: 'inherit',
    timeout: SUITE_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (r.error || r.signal) console.error(`suite ${suite}: stopped after ${SUITE_TIMEOUT_MS / 60_000} min (${r.error?.message ?? r.signal}): a test left a handle open, or the suite hung`);
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
