// Golden tests: every real ftrace fixture -> canonical dump -> committed snapshot, and the same
// file fed in 1-, 7- and 4096-byte chunks gives the very same dump.
// Regenerate after an intended change: UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden
// (then read the diff of test/golden/snapshots before committing it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readFtrace } from '../helpers/read';
import { canonicalDump } from '../helpers/dump';
import { corpusPath, corpusSkip } from '../helpers/third-party';

const FIXTURES = [
  ...readdirSync('test/fixtures/ftrace')
    .filter((f) => f.endsWith('.trace'))
    .map((f) => join('test/fixtures/ftrace', f)),
];
// Third-party files, read in place from the shared corpus (skipped where it is absent).
const CORPUS = ['ftrace/langraph-ftrace-tgid-5char-lstripped.log', 'trace-cmd/trappy-trace_no_trailing_line.txt'];
const skipOf = new Map(CORPUS.map((rel) => [corpusPath(rel), corpusSkip(rel)]));
FIXTURES.push(...skipOf.keys());
const SNAPSHOTS = 'test/golden/snapshots';
const update = process.env.UPDATE_GOLDEN === '1';

for (const file of FIXTURES) {
  const name = basename(file);
  const skip = skipOf.get(file) ?? false;
  test(`golden: ${name}`, { skip }, () => {
    const bytes = new Uint8Array(readFileSync(file));
    const dump = canonicalDump(readFtrace(bytes));
    const snapPath = join(SNAPSHOTS, `${name}.json`);
    const text = `${JSON.stringify(dump, null, 1)}\n`;
    if (update || !existsSync(snapPath)) {
      if (!update) assert.fail(`no snapshot ${snapPath}; run with UPDATE_GOLDEN=1 and review it`);
      writeFileSync(snapPath, text);
      return;
    }
    assert.deepEqual(JSON.parse(text), JSON.parse(readFileSync(snapPath, 'utf8')));
  });

  test(`chunking: ${name} read in 1-, 7- and 4096-byte chunks equals the whole-buffer read`, { skip }, () => {
    const bytes = new Uint8Array(readFileSync(file));
    const whole = canonicalDump(readFtrace(bytes));
    for (const chunk of [1, 7, 4096]) assert.deepEqual(canonicalDump(readFtrace(bytes, chunk)), whole, `chunk size ${chunk}`);
  });
}
